import { Logger } from '@nestjs/common';
import { DataSource, EntityManager, IsNull, QueryFailedError } from 'typeorm';
import { AuditEntity } from '../audit/audit.entity';
import { CheckpointEntity } from '../checkpoints/checkpoint.entity';
import { GoalChange } from '../goals/goal-change';
import { GoalEntity } from '../goals/goal.entity';
import { TaskEntity } from '../tasks/task.entity';
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
  checkpoints?: CheckpointEntity[];
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

/** A step waiting for its commit, and whoever waits on it. */
interface Step {
  changes: Changes;
  fence: Fence | null;
  done: (error?: unknown) => void;
}

/**
 * SQLite: the steps of every group that arrive in the same turn of the event loop share one transaction (group
 * commit), through prepared statements: a transaction's fixed cost was the largest single cost of a session step.
 */
export class SqliteGroupCommitter extends GroupCommitter {
  /** Changes waiting for the next group commit, with whoever waits on each. */
  private pending: Step[] = [];

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
        if (changes.checkpoints?.length) put(CheckpointEntity, changes.checkpoints);
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
 * The most rows one PostgreSQL transaction writes to a table in one statement: with at most 30 columns a row, its
 * statements stay well under the 65,535 parameters allowed (a step bigger than this alone still goes alone).
 */
const MAX_ROWS_PER_COMMIT = 1000;

const rowsOf = (c: Changes) => 1 + (c.messages?.length ?? 0) + (c.tasks?.length ?? 0) + (c.audit?.length ?? 0) + (c.checkpoints?.length ?? 0) + (c.goals?.length ?? 0);

/** An error of the data (PostgreSQL's classes 22 and 23: a bad value, a violated constraint), raised before COMMIT. */
const isDataError = (e: unknown) => e instanceof QueryFailedError && /^2[23]/.test(String((e.driverError as { code?: string })?.code ?? ''));

/**
 * PostgreSQL (any database but SQLite): group commit too. The steps that arrive while a transaction is under way
 * share the next one, each table written by one statement for all of them: a step's cost was its round trips (each
 * a system call and a parse at both ends, five per step), not its rows. The fencing of all of them is one conditional
 * update first, which also locks their groups' rows until the commit: a step refused by fencing is left out before
 * anything is written, so it never rolls back the others. A transaction that fails on a step's data is retried step
 * by step, so that one bad step fails alone. One group's steps never share a transaction (the host runs them one after
 * another). Lock and statement timeouts (`data-source.ts`) keep one stalled transaction from holding the node.
 */
export class TypeOrmGroupCommitter extends GroupCommitter {
  private readonly logger = new Logger('group-commit');
  private pending: Step[] = [];
  private writing = false;

  constructor(private readonly ds: DataSource) {
    super();
  }

  commit(changes: Changes, fence: Fence | null): Promise<void> {
    return new Promise((resolve, reject) => {
      this.pending.push({ changes, fence, done: (e) => (e === undefined ? resolve() : reject(e)) });
      void this.flush();
    });
  }

  private async flush(): Promise<void> {
    if (this.writing || !this.pending.length) return;
    this.writing = true;
    try {
      const steps = this.next();
      await this.settle(steps).catch(async (e: unknown) => {
        // Only a step's own bad data is worth a retry alone; anything else (a lost connection, a failed COMMIT, a
        // timeout) may have stored the batch or may fail again: every step of it gets the error.
        if (steps.length === 1 || !isDataError(e)) return steps.forEach((step) => step.done(e));
        this.logger.warn(`a commit of ${steps.length} steps failed (${(e as Error).message}); each is tried alone`);
        for (const step of steps) await this.settle([step]).catch((error) => step.done(error));
      });
    } finally {
      this.writing = false;
      void this.flush();
    }
  }

  /** The steps of the next transaction: in arrival order, one per group, at most `MAX_ROWS_PER_COMMIT` rows. */
  private next(): Step[] {
    const taken: Step[] = [];
    const groups = new Set<string>();
    const left: Step[] = [];
    let rows = 0;
    for (const step of this.pending) {
      const id = step.changes.group?.id;
      const size = rowsOf(step.changes);
      if ((taken.length && rows + size > MAX_ROWS_PER_COMMIT) || (id !== undefined && groups.has(id))) {
        left.push(step);
        continue;
      }
      taken.push(step);
      rows += size;
      if (id !== undefined) groups.add(id);
    }
    this.pending = left;
    return taken;
  }

  /** Commits the steps in one transaction and tells each how it went; rejects (telling none) if the transaction failed. */
  private async settle(steps: Step[]): Promise<void> {
    const refused = await this.ds.transaction((m) => this.write(m, steps));
    for (const step of steps) {
      const id = step.changes.group?.id;
      step.done(id !== undefined && refused.has(id) ? new FencedOff(id) : undefined);
    }
  }

  /** Writes the steps whose groups this node still holds; returns the groups of those refused by fencing. */
  private async write(m: EntityManager, steps: Step[]): Promise<Set<string>> {
    const checks = steps.flatMap((s) => fenced(s.changes, s.fence) ?? []);
    const held = new Set<string>();
    if (checks.length) {
      const where = checks.map((_, i) => `(id = :id${i} AND fence = :token${i})`).join(' OR ');
      const params = Object.fromEntries(checks.flatMap((c, i) => [[`id${i}`, c.id], [`token${i}`, c.token]]));
      const result = await m.createQueryBuilder().update(GroupEntity).set({ fence: () => 'fence' }).where(`(${where})`, params).returning(['id']).execute();
      for (const row of result.raw as Array<{ id: string }>) held.add(row.id);
    }
    const refused = new Set(checks.filter((c) => !held.has(c.id)).map((c) => c.id));
    const kept = steps.map((s) => s.changes).filter((c) => !(c.group && refused.has(c.group.id)));
    const all = <T>(of: (c: Changes) => T[] | undefined) => kept.flatMap((c) => of(c) ?? []);
    // TypeORM's upsert leaves out of the update the properties that are undefined in every row: hence two statements.
    const groups = kept.filter((c) => c.group);
    const sameDecision = groups.filter((c) => c.decisionUnchanged).map((c) => ({ ...c.group, decision: undefined }));
    const newDecision = groups.filter((c) => !c.decisionUnchanged).map((c) => c.group);
    if (sameDecision.length) await m.upsert(GroupEntity, sameDecision as never, ['id']);
    if (newDecision.length) await m.upsert(GroupEntity, newDecision as never, ['id']);
    const [messages, tasks, audit] = [all((c) => c.messages), all((c) => c.tasks), all((c) => c.audit)];
    if (messages.length) await m.insert(MessageEntity, messages as never);
    if (tasks.length) await m.upsert(TaskEntity, tasks as never, ['id']);
    if (audit.length) await m.insert(AuditEntity, audit as never);
    const checkpoints = all((c) => c.checkpoints);
    if (checkpoints.length) await m.insert(CheckpointEntity, checkpoints as never);
    for (const g of all((c) => c.goals)) await m.update(GoalEntity, { ...g.where, id: g.id, rootGroupId: g.where.rootGroupId ?? IsNull() }, g.set as never);
    return refused;
  }
}
