import { Injectable } from '@nestjs/common';
import { Envelope, TaskView } from '@ioa/protocol';
import { GroupEntity } from '../../data/groups/group.entity';
import { GroupStore } from '../../data/groups/group-store';
import { ApiError } from '../../foundation/http/api-error';
import { assertAllowed } from '../access/access';
import { Principal } from '../../foundation/security/principal';
import { SubscriptionSink } from './commands';
import { GroupHost } from './group-host';
import { groupView, GroupView, messageView, taskView } from './views';


const REPLAY_PAGE = 500;

/** Whether `p` may read the group (access.ts decides). */
export function assertCanRead(p: Principal, row: Pick<GroupEntity, 'id' | 'members' | 'goalId'>): void {
  assertAllowed(p, { action: 'group.read', group: row });
}

/** Groups as their readers see them: the live state of open groups, the stored one of closed groups. */
@Injectable()
export class SessionReader {
  constructor(private readonly host: GroupHost, private readonly store: GroupStore) {}

  async group(p: Principal, id: string): Promise<GroupView> {
    const row = await this.row(p, id);
    return groupView(row, this.host.get(id)?.holders ?? []);
  }

  async list(p: Principal, limit = 50, offset = 0): Promise<{ items: GroupView[]; total: number; limit: number; offset: number }> {
    const filter = p.role === 'admin' || (p.role === 'observer' && p.scope?.all) ? {}
      : p.role === 'agent' ? { member: p.id }
      : { ids: p.scope?.groups ?? [], goalIds: p.scope?.goals ?? [] };
    const [rows, total] = await this.store.list(filter, limit, offset);
    const items = rows.map((r) => groupView(this.host.get(r.id)?.row ?? r, this.host.get(r.id)?.holders ?? []));
    return { items, total, limit, offset };
  }

  async messages(p: Principal, id: string, afterSeq = 0, limit = 100): Promise<{ items: Envelope[]; next_after_seq: number | null }> {
    const row = await this.row(p, id);
    const rows = await this.store.messages(id, afterSeq, limit);
    const items = rows.map((m) => messageView(m, row, p));
    return { items, next_after_seq: rows.length === limit ? rows[rows.length - 1].seq : null };
  }

  async tasks(p: Principal, id: string): Promise<TaskView[]> {
    const row = await this.row(p, id);
    const live = this.host.get(id);
    const tasks = live ? [...live.tasks.values()] : await this.store.tasksOf(id);
    return tasks.map((t) => taskView(t, row, p));
  }

  /** An open group's subscription is a command on the group (`subscribe.handler.ts`); a closed group replays its history. */
  async subscribe(p: Principal, groupId: string, afterSeq: number, sink: SubscriptionSink): Promise<void> {
    if (this.host.isOpen(groupId)) return this.host.execute({ type: 'subscribe', group_id: groupId, by: p, after_seq: afterSeq, sink });
    const row = await this.row(p, groupId);
    sink.ack({ group_id: groupId, state: row.state, seq: row.lastSeq });
    await replay(this.store, p, row, afterSeq, row.lastSeq, sink);
  }

  private async row(p: Principal, id: string): Promise<Readonly<GroupEntity>> {
    const row = this.host.get(id)?.row ?? (await this.store.get(id));
    if (!row) throw ApiError.notFound('group', id);
    assertCanRead(p, row);
    return row;
  }
}

/** Writes the group's messages after `afterSeq` up to `upTo` to the sink, as `p` may see them, a page at a time. */
export async function replay(store: GroupStore, p: Principal, row: Readonly<GroupEntity>, afterSeq: number, upTo: number, sink: SubscriptionSink): Promise<void> {
  for (let after = afterSeq; after < upTo; ) {
    const page = await store.messages(row.id, after, REPLAY_PAGE);
    if (!page.length) break;
    for (const m of page) if (m.seq <= upTo) sink.send(messageView(m, row, p));
    after = page[page.length - 1].seq;
  }
}
