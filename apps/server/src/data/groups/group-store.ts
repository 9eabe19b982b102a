import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, In, LessThan, MoreThan, Not } from 'typeorm';
import { AuditEntity } from '../audit/audit.entity';
import { TaskEntity } from '../tasks/task.entity';
import { MetaEntity } from '../../foundation/persistence/meta.entity';
import { NodeEntity } from '../../foundation/persistence/node.entity';
import { RowWriter } from '../../foundation/persistence/row-writer';
import { SqliteWriter } from '../../foundation/persistence/sqlite-writer';
import { GroupEntity } from './group.entity';
import { MessageEntity } from './message.entity';

/** The one heartbeat row of versions before per-node heartbeats. */
const LEGACY_ALIVE_KEY = 'alive_at';
/** Group columns written once, when the group is created; a session step updates only the others. */
const FIXED_AT_CREATION: Array<keyof GroupEntity> = ['goal', 'createdBy', 'createdAt', 'goalId', 'parentGroupId', 'parentTaskId', 'level', 'teamUpDepth', 'maxTurns', 'options'];

/** Everything one accepted action changes, written together so that a crash leaves all of it or none. */
export interface Changes {
  group?: GroupEntity;
  messages?: MessageEntity[];
  tasks?: TaskEntity[];
  audit?: AuditEntity[];
}

/** Groups, their messages and tasks (data layer). Writes are serialised: one transaction at a time. */
@Injectable()
export class GroupStore {
  private tail: Promise<unknown> = Promise.resolve();
  private readonly sqlite: SqliteWriter | null;
  /** Changes waiting for the next group commit (SQLite), with whoever waits on each. */
  private pending: Array<{ changes: Changes; done: (error?: unknown) => void }> = [];

  constructor(@InjectDataSource() private readonly ds: DataSource, writer: RowWriter) {
    this.sqlite = writer.sqlite;
  }

  /**
   * Stores one step's changes atomically; resolves once they are committed. On SQLite the steps of every group that
   * arrive in the same turn of the event loop share one transaction (group commit): a transaction's fixed cost was
   * the largest single cost of a session step, and the callers wait for the commit before acking or delivering.
   */
  commit(changes: Changes): Promise<void> {
    if (this.sqlite) {
      return new Promise((resolve, reject) => {
        if (!this.pending.length) setImmediate(() => this.flush());
        this.pending.push({ changes, done: (e) => (e === undefined ? resolve() : reject(e)) });
      });
    }
    const run = () =>
      this.ds.transaction(async (m) => {
        if (changes.group) await m.upsert(GroupEntity, changes.group as never, ['id']);
        if (changes.messages?.length) await m.insert(MessageEntity, changes.messages as never);
        if (changes.tasks?.length) await m.upsert(TaskEntity, changes.tasks as never, ['id']);
        if (changes.audit?.length) await m.insert(AuditEntity, changes.audit as never);
      });
    const result = this.tail.then(run, run);
    this.tail = result.catch(() => undefined);
    return result;
  }

  /** One transaction for everything pending; if it fails, each step's changes are retried alone so that one bad step fails alone. */
  private flush(): void {
    const steps = this.pending;
    this.pending = [];
    const write = (list: typeof steps) => this.sqlite!.transaction((put) => {
      for (const { changes } of list) {
        if (changes.group) put(GroupEntity, [changes.group], ['id'], FIXED_AT_CREATION);
        if (changes.messages?.length) put(MessageEntity, changes.messages);
        if (changes.tasks?.length) put(TaskEntity, changes.tasks, ['id']);
        if (changes.audit?.length) put(AuditEntity, changes.audit);
      }
    });
    try {
      write(steps);
      for (const step of steps) step.done();
    } catch (e) {
      if (steps.length === 1) return steps[0].done(e);
      for (const step of steps) {
        try {
          write([step]);
          step.done();
        } catch (error) {
          step.done(error);
        }
      }
    }
  }

  get(id: string): Promise<GroupEntity | null> {
    return this.ds.getRepository(GroupEntity).findOneBy({ id });
  }

  openGroups(): Promise<GroupEntity[]> {
    return this.ds.getRepository(GroupEntity).findBy({ state: Not('closed') });
  }

  async list(filter: { ids?: string[]; goalIds?: string[]; member?: string }, limit: number, offset: number): Promise<[GroupEntity[], number]> {
    const qb = this.ds.getRepository(GroupEntity).createQueryBuilder('g').orderBy('g.createdAt', 'DESC').take(limit).skip(offset);
    if (filter.ids || filter.goalIds) {
      qb.andWhere('(g.id IN (:...ids) OR g.goalId IN (:...goalIds))', { ids: filter.ids?.length ? filter.ids : [''], goalIds: filter.goalIds?.length ? filter.goalIds : [''] });
    }
    // members is a JSON array of ids: match the quoted id.
    if (filter.member) qb.andWhere('g.members LIKE :member', { member: `%"${filter.member}"%` });
    return qb.getManyAndCount();
  }

  tasksOf(groupId: string): Promise<TaskEntity[]> {
    return this.ds.getRepository(TaskEntity).find({ where: { groupId }, order: { createdAt: 'ASC', id: 'ASC' } });
  }

  tasksIn(groupIds: string[]): Promise<TaskEntity[]> {
    return groupIds.length ? this.ds.getRepository(TaskEntity).findBy({ groupId: In(groupIds) }) : Promise.resolve([]);
  }

  /** What a resend needs: the original's seq, content digest and task ids (the hot path of every message). */
  async findMessage(groupId: string, sender: string, messageId: string): Promise<Pick<MessageEntity, 'seq' | 'messageId' | 'digest' | 'taskIds'> | null> {
    if (this.sqlite) {
      const row = this.sqlite.get<{ seq: number; messageId: string; digest: string; taskIds: string | null }>(
        'SELECT "seq", "messageId", "digest", "taskIds" FROM "messages" WHERE "groupId" = ? AND "sender" = ? AND "messageId" = ?', groupId, sender, messageId);
      return row ? { ...row, taskIds: row.taskIds === null ? null : JSON.parse(row.taskIds) } : null;
    }
    return this.ds.getRepository(MessageEntity).findOne({ select: { seq: true, messageId: true, digest: true, taskIds: true }, where: { groupId, sender, messageId } });
  }

  /** Who sent which message ids in a group (at most `limit`): an open group keeps them to tell resends from new ids. */
  messageIds(groupId: string, limit: number): Promise<Array<{ sender: string; messageId: string }>> {
    return this.ds.getRepository(MessageEntity).find({ select: { sender: true, messageId: true }, where: { groupId }, take: limit });
  }

  /** A message by its sender's id, in any group (team_formation creates its group, so the group is not known yet). */
  findBySender(sender: string, messageId: string): Promise<MessageEntity | null> {
    return this.ds.getRepository(MessageEntity).findOneBy({ sender, messageId });
  }

  byGoal(goalId: string): Promise<GroupEntity[]> {
    return this.ds.getRepository(GroupEntity).find({ where: { goalId }, order: { level: 'ASC', createdAt: 'ASC' } });
  }

  /** A group and every group below it. */
  async subtree(groupId: string): Promise<GroupEntity[]> {
    const repo = this.ds.getRepository(GroupEntity);
    const root = await repo.findOneBy({ id: groupId });
    if (!root) return [];
    const all = [root];
    for (let frontier = [root.id]; frontier.length; ) {
      const children = await repo.findBy({ parentGroupId: In(frontier) });
      all.push(...children);
      frontier = children.map((c) => c.id);
    }
    return all;
  }

  messages(groupId: string, afterSeq: number, limit: number): Promise<MessageEntity[]> {
    return this.ds.getRepository(MessageEntity).find({ where: { groupId, seq: MoreThan(afterSeq) }, order: { seq: 'ASC' }, take: limit });
  }

  /** Records this node's heartbeat. */
  async setAliveAt(node: string, now: number): Promise<void> {
    await this.ds.getRepository(NodeEntity).upsert({ id: node, aliveAt: now }, ['id']);
  }

  /**
   * When each node last beat; under `null`, the server-wide heartbeat of versions that kept one row for all, which
   * stands for groups stored before nodes were recorded.
   */
  async lastAlive(): Promise<Map<string | null, number>> {
    const rows = await this.ds.getRepository(NodeEntity).find();
    const alive = new Map<string | null, number>(rows.map((n) => [n.id, n.aliveAt]));
    const legacy = Number((await this.ds.getRepository(MetaEntity).findOneBy({ key: LEGACY_ALIVE_KEY }))?.value);
    if (legacy) alive.set(null, legacy);
    return alive;
  }

  /** Forgets the heartbeats of nodes silent since `before` that hold no open group (every boot beats as a new one). */
  async forgetIdleNodes(keep: string, before: number): Promise<void> {
    const open = await this.ds.getRepository(GroupEntity).find({ select: { heldBy: true }, where: { state: Not('closed') } });
    const holders = new Set(open.map((g) => g.heldBy));
    const busy = [keep, ...holders].filter((h): h is string => h !== null);
    await this.ds.getRepository(NodeEntity).delete({ id: Not(In(busy)), aliveAt: LessThan(before) });
    if (!holders.has(null)) await this.ds.getRepository(MetaEntity).delete({ key: LEGACY_ALIVE_KEY });
  }
}
