import { DataSource, IsNull } from 'typeorm';
import { AuditEntity } from '../audit/audit.entity';
import { GoalChange } from '../goals/goal-change';
import { GoalEntity } from '../goals/goal.entity';
import { TaskEntity } from '../tasks/task.entity';
import { KeyedQueue } from '../../foundation/runtime/keyed-queue';
import { SqliteWriter } from '../../foundation/persistence/sqlite-writer';
import { GroupEntity } from './group.entity';
import { MessageEntity } from './message.entity';

/** Everything one accepted action changes, written together so that a crash leaves all of it or none. */
export interface Changes {
  group?: GroupEntity;
  /** The step that creates the group: there is no stored token to check yet. */
  created?: boolean;
  /** The group's `decision` record is as stored (it changes only while the group forms): left out of the write. */
  decisionUnchanged?: boolean;
  messages?: MessageEntity[];
  tasks?: TaskEntity[];
  audit?: AuditEntity[];
  goals?: GoalChange[];
}

/**
 * Proof that the writer still holds the group: the fencing token it took the group with. A commit is refused (and
 * nothing of it written) unless the group's stored token is still this one, checked in the commit's own transaction.
 */
export interface Fence {
  token: number;
}

/** A commit refused by fencing: another node took the group since this one did. */
export class FencedOff extends Error {
  constructor(readonly groupId: string) {
    super(`group ${groupId}: another node took it (its fencing token moved on); this node's step is not stored`);
  }
}

/** The fencing check of one step, if it needs one: the group exists already and a token was given. */
const fenced = (changes: Changes, fence: Fence | null): (Fence & { id: string }) | null =>
  fence && changes.group && !changes.created ? { id: changes.group.id, token: fence.token } : null;

/** Group columns written once, when the group is created; a session step updates only the others. */
const FIXED_AT_CREATION: Array<keyof GroupEntity> = ['goal', 'createdBy', 'createdAt', 'goalId', 'parentGroupId', 'parentTaskId', 'level', 'teamUpDepth', 'maxTurns', 'options'];

const FIXED_AT_CREATION_AND_DECISION: Array<keyof GroupEntity> = [...FIXED_AT_CREATION, 'decision'];

/**
 * The port every session step's writes go through: resolves once the changes are committed (callers wait for it
 * before acking or delivering). Chosen by database, as `VECTOR_STORE` is by kind (`groups-data.module.ts`).
 */
export abstract class GroupCommitter {
  abstract commit(changes: Changes, fence: Fence | null): Promise<void>;
}

/**
 * SQLite: the steps of every group that arrive in the same turn of the event loop share one transaction (group
 * commit), through prepared statements: a transaction's fixed cost was the largest single cost of a session step.
 */
export class SqliteGroupCommitter extends GroupCommitter {
  /** Changes waiting for the next group commit, with whoever waits on each. */
  private pending: Array<{ changes: Changes; fence: Fence | null; done: (error?: unknown) => void }> = [];

  constructor(private readonly sqlite: SqliteWriter) {
    super();
  }

  commit(changes: Changes, fence: Fence | null): Promise<void> {
    return new Promise((resolve, reject) => {
      if (!this.pending.length) setImmediate(() => this.flush());
      this.pending.push({ changes, fence, done: (e) => (e === undefined ? resolve() : reject(e)) });
    });
  }

  /** One transaction for everything pending; if it fails, each step's changes are retried alone so that one bad step fails alone. */
  private flush(): void {
    const steps = this.pending;
    this.pending = [];
    const write = (list: typeof steps) => this.sqlite.transaction((put, update) => {
      for (const { changes, fence } of list) {
        const check = fenced(changes, fence);
        if (check && update<GroupEntity>(GroupEntity, { fence: check.token }, { id: check.id, fence: check.token }) !== 1) throw new FencedOff(check.id);
        if (changes.group) put(GroupEntity, [changes.group], ['id'], changes.decisionUnchanged ? FIXED_AT_CREATION_AND_DECISION : FIXED_AT_CREATION);
        if (changes.messages?.length) put(MessageEntity, changes.messages);
        if (changes.tasks?.length) put(TaskEntity, changes.tasks, ['id']);
        if (changes.audit?.length) put(AuditEntity, changes.audit);
        for (const g of changes.goals ?? []) update<GoalEntity>(GoalEntity, g.set, { id: g.id, ...g.where });
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
}

/**
 * PostgreSQL (any database but SQLite): one TypeORM transaction per step; one group's one at a time, different
 * groups' side by side on the connection pool (a step's latency is mostly the round trips of its transaction, so
 * serialising every group behind one another capped a node at a few hundred steps per second).
 */
export class TypeOrmGroupCommitter extends GroupCommitter {
  private readonly queue = new KeyedQueue();

  constructor(private readonly ds: DataSource) {
    super();
  }

  commit(changes: Changes, fence: Fence | null): Promise<void> {
    const run = () =>
      this.ds.transaction(async (m) => {
        // Locks the group's row until the commit ends: a node taking the group meanwhile waits, then sees the step.
        const check = fenced(changes, fence);
        if (check && (await m.update(GroupEntity, { id: check.id, fence: check.token }, { fence: check.token })).affected !== 1) throw new FencedOff(check.id);
        // TypeORM's upsert leaves out of the update the properties that are undefined.
        if (changes.group) await m.upsert(GroupEntity, (changes.decisionUnchanged ? { ...changes.group, decision: undefined } : changes.group) as never, ['id']);
        if (changes.messages?.length) await m.insert(MessageEntity, changes.messages as never);
        if (changes.tasks?.length) await m.upsert(TaskEntity, changes.tasks as never, ['id']);
        if (changes.audit?.length) await m.insert(AuditEntity, changes.audit as never);
        for (const g of changes.goals ?? []) await m.update(GoalEntity, { ...g.where, id: g.id, rootGroupId: g.where.rootGroupId ?? IsNull() }, g.set as never);
      });
    return this.queue.run(changes.group?.id ?? '', run);
  }
}
