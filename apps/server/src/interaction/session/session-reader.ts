import { Injectable } from '@nestjs/common';
import { Envelope, SubscribeAck, TaskView } from '@ioa/protocol';
import { GroupEntity } from '../../data/groups/group.entity';
import { GroupStore } from '../../data/groups/group-store';
import { ApiError } from '../../foundation/http/api-error';
import { assertAllowed } from '../access/access';
import { ROOM } from '../../foundation/network/emitter.port';
import { Principal } from '../../foundation/security/principal';
import { SessionService } from './session.service';
import { groupView, GroupView, messageView, taskView } from './views';

const REPLAY_PAGE = 500;

/** Where a subscription's rooms are joined and its replay is written (a socket, in practice). */
export interface SubscriptionSink {
  join(rooms: string[]): void;
  ack(result: SubscribeAck): void;
  send(envelope: Envelope): void;
}

/** Whether `p` may read the group (access.ts decides). */
export function assertCanRead(p: Principal, row: Pick<GroupEntity, 'id' | 'members' | 'goalId'>): void {
  assertAllowed(p, { action: 'group.read', group: row });
}

@Injectable()
export class SessionReader {
  constructor(private readonly sessions: SessionService, private readonly store: GroupStore) {}

  async group(p: Principal, id: string): Promise<GroupView> {
    const row = await this.row(p, id);
    return groupView(row, this.sessions.live.get(id)?.context.holders ?? []);
  }

  async list(p: Principal, limit = 50, offset = 0): Promise<{ items: GroupView[]; total: number; limit: number; offset: number }> {
    const filter = p.role === 'admin' || (p.role === 'observer' && p.scope?.all) ? {}
      : p.role === 'agent' ? { member: p.id }
      : { ids: p.scope?.groups ?? [], goalIds: p.scope?.goals ?? [] };
    const [rows, total] = await this.store.list(filter, limit, offset);
    const items = rows.map((r) => groupView(this.sessions.live.get(r.id)?.row ?? r, this.sessions.live.get(r.id)?.context.holders ?? []));
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
    const live = this.sessions.live.get(id);
    const tasks = live ? [...live.tasks.values()] : await this.store.tasksOf(id);
    return tasks.map((t) => taskView(t, row, p));
  }

  /**
   * Joins the group's rooms and replays what came after `afterSeq`, under the group's lock, so that no message
   * is accepted in between: the replay ends where live delivery begins, with nothing lost and nothing twice.
   */
  async subscribe(p: Principal, groupId: string, afterSeq: number, sink: SubscriptionSink): Promise<void> {
    if (!this.sessions.live.has(groupId)) {
      // A closed group: history only, nothing live will follow.
      const row = await this.row(p, groupId);
      sink.ack({ group_id: groupId, state: row.state, seq: row.lastSeq });
      await this.replay(p, row, afterSeq, row.lastSeq, sink);
      return;
    }
    await this.sessions.run(groupId, async (live) => {
      assertCanRead(p, { id: groupId, members: live.context.members, goalId: live.row.goalId });
      const rooms = [ROOM.group(groupId)];
      if (p.role === 'admin') rooms.push(ROOM.admins(groupId));
      if (p.role === 'agent') rooms.push(ROOM.member(groupId, p.id));
      sink.join(rooms);
      sink.ack({ group_id: groupId, state: live.state, seq: live.row.lastSeq });
      await this.replay(p, live.row, afterSeq, live.row.lastSeq, sink);
    });
  }

  private async replay(p: Principal, row: GroupEntity, afterSeq: number, upTo: number, sink: SubscriptionSink): Promise<void> {
    for (let after = afterSeq; after < upTo; ) {
      const page = await this.store.messages(row.id, after, REPLAY_PAGE);
      if (!page.length) break;
      for (const m of page) if (m.seq <= upTo) sink.send(messageView(m, row, p));
      after = page[page.length - 1].seq;
    }
  }

  private async row(p: Principal, id: string): Promise<GroupEntity> {
    const row = this.sessions.live.get(id)?.row ?? (await this.store.get(id));
    if (!row) throw ApiError.notFound('group', id);
    assertCanRead(p, row);
    return row;
  }
}

