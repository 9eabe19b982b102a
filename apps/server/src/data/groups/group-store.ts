import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { Brackets, DataSource, In, LessThan, Like, MoreThan, Not } from 'typeorm';
import { CheckpointEntity } from '../checkpoints/checkpoint.entity';
import { TaskEntity } from '../tasks/task.entity';
import { MetaEntity } from '../../foundation/persistence/meta.entity';
import { NodeEntity } from '../../foundation/persistence/node.entity';
import { RowWriter } from '../../foundation/persistence/row-writer';
import { SqliteWriter } from '../../foundation/persistence/sqlite-writer';
import { GroupEntity } from './group.entity';
import { Changes, Fence, GroupCommitter } from './group-committer';
import { MessageEntity } from './message.entity';

/** The one heartbeat row of versions before per-node heartbeats. */
const LEGACY_ALIVE_KEY = 'alive_at';

/** Groups, their messages and tasks (data layer): reads here; every write of a session step goes through `GroupCommitter`. */
@Injectable()
export class GroupStore {
  private readonly sqlite: SqliteWriter | null;

  constructor(@InjectDataSource() private readonly ds: DataSource, writer: RowWriter, private readonly committer: GroupCommitter) {
    this.sqlite = writer.sqlite;
  }

  /** Stores one step's changes atomically (see `GroupCommitter`), fenced by the token its writer took the group with. */
  commit(changes: Changes, fence: Fence | null = null): Promise<void> {
    return this.committer.commit(changes, fence);
  }

  checkpoint(id: string): Promise<CheckpointEntity | null> {
    return this.ds.getRepository(CheckpointEntity).findOneBy({ id });
  }

  /** A group's checkpoints, oldest first. */
  checkpoints(groupId: string): Promise<CheckpointEntity[]> {
    return this.ds.getRepository(CheckpointEntity).find({ where: { groupId }, order: { seq: 'ASC', createdAt: 'ASC' } });
  }

  getMany(ids: string[]): Promise<GroupEntity[]> {
    return ids.length ? this.ds.getRepository(GroupEntity).findBy({ id: In(ids) }) : Promise.resolve([]);
  }

  get(id: string): Promise<GroupEntity | null> {
    return this.ds.getRepository(GroupEntity).findOneBy({ id });
  }

  /**
   * Who holds each open group, and its members: what a takeover round reads at every heartbeat, without the snapshots
   * and decisions (the round reads a group's whole row once it took it).
   */
  openGroups(): Promise<Array<Pick<GroupEntity, 'id' | 'state' | 'heldBy' | 'fence' | 'machineVersion' | 'members'>>> {
    return this.ds.getRepository(GroupEntity).find({
      select: { id: true, state: true, heldBy: true, fence: true, machineVersion: true, members: true }, where: { state: Not('closed') },
    });
  }

  /** Groups in `ids` or `goalIds`, or (either way) with `member` among their members; no filter: every group. */
  async list(filter: { ids?: string[]; goalIds?: string[]; member?: string }, limit: number, offset: number): Promise<[GroupEntity[], number]> {
    const qb = this.ds.getRepository(GroupEntity).createQueryBuilder('g').orderBy('g.createdAt', 'DESC').take(limit).skip(offset);
    const clauses = [
      ...(filter.ids || filter.goalIds ? ['g.id IN (:...ids)', 'g.goalId IN (:...goalIds)'] : []),
      // members is a JSON array of ids: match the quoted id.
      ...(filter.member ? ['g.members LIKE :member'] : []),
    ];
    if (clauses.length) {
      qb.andWhere(`(${clauses.join(' OR ')})`, { ids: filter.ids?.length ? filter.ids : [''], goalIds: filter.goalIds?.length ? filter.goalIds : [''], member: `%"${filter.member}"%` });
    }
    return qb.getManyAndCount();
  }

  /** Ids of the open groups an agent is a member of (members is a JSON array of ids: the quoted id matches). */
  async openGroupsOf(agentId: string): Promise<string[]> {
    const rows = await this.ds.getRepository(GroupEntity).find({ select: { id: true }, where: { state: Not('closed'), members: Like(`%"${agentId}"%`) as never } });
    return rows.map((r) => r.id);
  }

  /** The tasks an agent is assigned that are not settled, in open groups (who must hear of its coming and going). */
  async unsettledTasksOf(agentId: string): Promise<TaskEntity[]> {
    return this.ds.getRepository(TaskEntity).find({ where: { state: In(['submitted', 'running', 'suspended']), assignee: Like(`%"${agentId}"%`) as never } });
  }

  task(id: string): Promise<TaskEntity | null> {
    return this.ds.getRepository(TaskEntity).findOneBy({ id });
  }

  /**
   * Approval nodes, newest first: those waiting for a decision (`pending`), or every one; with `scope` (a
   * participant's), only those of its groups or goals that name nobody or that person.
   */
  approvals(q: { pending: boolean; scope?: { personId: string; groups: string[]; goals: string[] } }, limit: number): Promise<TaskEntity[]> {
    const qb = this.ds.getRepository(TaskEntity).createQueryBuilder('t').where('t.kind = :kind', { kind: 'approval' });
    if (q.pending) qb.andWhere('t.nodeState = :dispatched AND t.state IN (:...open)', { dispatched: 'dispatched', open: ['submitted', 'running', 'suspended'] });
    if (q.scope) {
      const { personId, groups, goals } = q.scope;
      qb.innerJoin(GroupEntity, 'g', 'g.id = t.groupId')
        .andWhere(new Brackets((w) => {
          w.where('1 = 0');
          if (groups.length) w.orWhere('t.groupId IN (:...groups)', { groups });
          if (goals.length) w.orWhere('g.goalId IN (:...goals)', { goals });
        }))
        .andWhere('(t.approvers IS NULL OR t.approvers LIKE :named)', { named: `%"${personId}"%` });
    }
    return qb.orderBy('t.createdAt', 'DESC').addOrderBy('t.id', 'ASC').take(limit).getMany();
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

  /** The open sub-teams formed for task `taskId` of group `groupId`. */
  openSubteams(groupId: string, taskId: string): Promise<GroupEntity[]> {
    return this.ds.getRepository(GroupEntity).findBy({ parentGroupId: groupId, parentTaskId: taskId, state: Not('closed') });
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

  /**
   * Makes `holder` the holder of an open group if its fencing token is still `seen` (compare and set), moving the token
   * on by one: of two nodes taking the same group at once, one wins, and the one that held it can commit no more.
   * Returns the new token, or null when the group moved meanwhile.
   */
  async take(groupId: string, seen: number, holder: string): Promise<number | null> {
    const postgres = this.ds.options.type === 'postgres';
    try {
      return await this.ds.transaction(async (m) => {
        // The old holder may hold the row locked (a commit under way, or stalled): wait a moment, not forever.
        if (postgres) await m.query(`SET LOCAL lock_timeout = '1s'`);
        const result = await m.update(GroupEntity, { id: groupId, fence: seen, state: Not('closed') }, { heldBy: holder, fence: seen + 1 });
        return result.affected === 1 ? seen + 1 : null;
      });
    } catch (e) {
      // lock_not_available: tried again at the next heartbeat.
      if ((e as { code?: string }).code === '55P03') return null;
      throw e;
    }
  }

  /** The open group an invite belongs to (on several nodes, the node an invitee answers on may not run it). */
  async groupOfInvite(inviteId: string): Promise<string | null> {
    // Invite ids are uuids: the quoted id appears in the decision's JSON text only as that invite's id.
    const row = await this.ds.getRepository(GroupEntity).findOne({ select: { id: true }, where: { state: Not('closed'), decision: Like(`%"${inviteId.replace(/[%_"\\]/g, '')}"%`) as never } });
    return row?.id ?? null;
  }

  /** A node shutting down lets go of its open groups: any node may take them at once. Returns how many. */
  async release(holder: string): Promise<number> {
    const result = await this.ds.getRepository(GroupEntity).update({ heldBy: holder, state: Not('closed') }, { heldBy: null });
    return result.affected ?? 0;
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
