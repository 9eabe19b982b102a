import { Injectable } from '@nestjs/common';
import { CheckpointView, Envelope, ErrorCode, GraphView, TaskView } from '@ioa/protocol';
import { GroupEntity } from '../../data/groups/group.entity';
import { GroupStore } from '../../data/groups/group-store';
import { ApiError } from '../../foundation/http/api-error';
import { assertAllowed } from '../access/access';
import { Principal } from '../../foundation/security/principal';
import { SubscriptionSink } from './commands';
import { Checkpoints } from './checkpoints';
import { GroupHost } from './group-host';
import { asNode, graphOutcome, nodesOf } from './task-graph';
import { groupView, GroupView, messageView, taskView } from './views';


/** Messages per page of a replay: one page at most waits in a socket's output for each group it is replaying… */
export const REPLAY_PAGE = 100;
/** …and about this many bytes, whichever comes first. */
const REPLAY_PAGE_BYTES = 1024 * 1024;

/** Whether `p` may read the group (access.ts decides). */
export function assertCanRead(p: Principal, row: Pick<GroupEntity, 'id' | 'members' | 'goalId'>): void {
  assertAllowed(p, { action: 'group.read', group: row });
}

/** Groups as their readers see them: the live state of open groups, the stored one of closed groups. */
@Injectable()
export class SessionReader {
  constructor(private readonly host: GroupHost, private readonly store: GroupStore, private readonly checkpointer: Checkpoints) {}

  async group(p: Principal, id: string): Promise<GroupView> {
    const row = await this.row(p, id);
    return groupView(row, this.holders(row));
  }

  /** Who holds the turn: as this node runs the group, or as its last step stored it (another node runs it, or none). */
  private holders(row: Readonly<GroupEntity>): readonly string[] {
    const live = this.host.get(row.id);
    if (live) return live.holders;
    if (row.state === 'closed') return [];
    return (row.snapshot as { context?: { holders?: string[] } } | null)?.context?.holders ?? [];
  }

  async list(p: Principal, limit = 50, offset = 0): Promise<{ items: GroupView[]; total: number; limit: number; offset: number }> {
    const filter = p.role === 'admin' || (p.role === 'observer' && p.scope?.all) ? {}
      : p.role === 'agent' ? { member: p.id }
      : { ids: p.scope?.groups ?? [], goalIds: p.scope?.goals ?? [], ...(p.role === 'participant' ? { member: p.id } : {}) };
    const [rows, total] = await this.store.list(filter, limit, offset);
    const items = rows.map((r) => groupView(this.host.get(r.id)?.row ?? r, this.holders(r)));
    return { items, total, limit, offset };
  }

  async messages(p: Principal, id: string, afterSeq = 0, limit = 100): Promise<{ items: Envelope[]; next_after_seq: number | null }> {
    const row = await this.row(p, id);
    const rows = await this.store.messages(id, afterSeq, limit);
    const items = rows.map((m) => messageView(m, row, p));
    return { items, next_after_seq: rows.length === limit ? rows[rows.length - 1].seq : null };
  }

  /** A group's checkpoints, each verified against its hash and signature (their state documents are not shown). */
  async checkpoints(p: Principal, id: string): Promise<CheckpointView[]> {
    await this.row(p, id);
    return (await this.store.checkpoints(id)).map((c) => this.checkpointer.view(c));
  }

  async tasks(p: Principal, id: string): Promise<TaskView[]> {
    const row = await this.row(p, id);
    const live = this.host.get(id);
    const tasks = live ? live.tasks : new Map((await this.store.tasksOf(id)).map((t) => [t.id, t]));
    return [...tasks.values()].map((t) => taskView(t, row, p, tasks));
  }

  /** A task graph of the group, named by its assignment's message_id: nodes as `p` may see them, edges, outcome. */
  async graph(p: Principal, id: string, graphId: string): Promise<GraphView> {
    const row = await this.row(p, id);
    const live = this.host.get(id);
    const tasks = live ? live.tasks : new Map((await this.store.tasksOf(id)).map((t) => [t.id, t]));
    const nodes = nodesOf(tasks.values(), graphId);
    if (!nodes.length) throw new ApiError(ErrorCode.NOT_FOUND, `group ${id} has no task graph ${graphId}`);
    return {
      graph_id: graphId, group_id: id, mode: nodes[0].mode, outcome: graphOutcome(nodes.map(asNode)),
      nodes: nodes.map((t) => taskView(t, row, p, tasks)),
      edges: nodes.flatMap((t) => (t.edges ?? []).map((e) => ({ from: e.key, to: t.nodeKey as string, ...(e.when ? { when: e.when } : {}) }))),
    };
  }

  /**
   * Acks, then replays the history after `afterSeq` from the database a page at a time, each page only once the
   * socket has sent the last (a reader that stops reading holds one page, not the history), outside the group's lock.
   * Once within a page of the end, the rest and the joining of the rooms run under the lock (`subscribe.handler.ts`),
   * so that the replay ends exactly where live delivery begins; `replayed` marks the point.
   */
  async subscribe(p: Principal, groupId: string, afterSeq: number, sink: SubscriptionSink): Promise<void> {
    const first = await this.row(p, groupId);
    sink.ack({ group_id: groupId, state: this.host.get(groupId)?.state ?? first.state, seq: first.lastSeq });
    let after = afterSeq;
    for (;;) {
      // Read access is checked again for each page: a member removed meanwhile reads no further.
      const row = await this.current(p, groupId);
      if (row.state === 'closed') return this.finishClosed(p, row, after, sink);
      if (row.lastSeq - after <= REPLAY_PAGE) break;
      after = await replay(this.store, p, row, after, after + REPLAY_PAGE, sink);
    }
    await this.host.execute({ type: 'subscribe', group_id: groupId, by: p, after_seq: after, sink }).catch(async (e) => {
      const row = await this.current(p, groupId);
      // It closed between the last page and the lock: finish from the database.
      if (row.state === 'closed') return this.finishClosed(p, row, after, sink);
      throw e;
    });
  }

  /**
   * The group as it is now, readable by `p`; an open group this node is reloading is not closed, it is unavailable.
   * (On several nodes, an open group not run here is run by another node: the stored row is as current.)
   */
  private async current(p: Principal, groupId: string): Promise<Readonly<GroupEntity>> {
    const live = this.host.get(groupId)?.row;
    const row = live ?? (await this.store.get(groupId));
    if (!row) throw ApiError.notFound('group', groupId);
    assertCanRead(p, row);
    if (!live && row.state !== 'closed' && !this.host.clustered) throw new ApiError(ErrorCode.UNAVAILABLE, `group ${groupId} is being reloaded; subscribe again`);
    return row;
  }

  /** A closed group: the rest of its history, then `replayed`; nothing live follows. */
  private async finishClosed(p: Principal, row: Readonly<GroupEntity>, after: number, sink: SubscriptionSink): Promise<void> {
    await replay(this.store, p, row, after, row.lastSeq, sink);
    sink.replayed(row.lastSeq, 'closed');
  }

  private async row(p: Principal, id: string): Promise<Readonly<GroupEntity>> {
    const row = this.host.get(id)?.row ?? (await this.store.get(id));
    if (!row) throw ApiError.notFound('group', id);
    assertCanRead(p, row);
    return row;
  }
}

/**
 * Writes the group's messages after `afterSeq` up to `upTo` to the sink, as `p` may see them, a page at a time; with
 * `paced`, each next page only once the sink has sent the last (never under a group's lock: a stalled reader would
 * hold it). Returns the last seq written (`afterSeq` if none).
 */
export async function replay(store: GroupStore, p: Principal, row: Readonly<GroupEntity>, afterSeq: number, upTo: number, sink: SubscriptionSink, paced = true): Promise<number> {
  let after = afterSeq;
  while (after < upTo) {
    const page = await store.messages(row.id, after, Math.min(REPLAY_PAGE, upTo - after));
    if (!page.length) break;
    let bytes = 0;
    for (const m of page) {
      const view = messageView(m, row, p);
      sink.send(view);
      after = m.seq;
      // Large messages: wait for the socket every REPLAY_PAGE_BYTES too, so a page never queues more than about that.
      bytes += JSON.stringify(view.payload).length;
      if (paced && bytes > REPLAY_PAGE_BYTES) {
        await sink.drained();
        bytes = 0;
      }
    }
    if (paced) await sink.drained();
  }
  return after;
}
