import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import type { GoalStatus } from '@ioa/protocol';
import { In, IsNull, LessThan, MoreThan, Not, Repository } from 'typeorm';
import type { QueryDeepPartialEntity } from 'typeorm/query-builder/QueryPartialEntity';
import { GoalEntity } from './goal.entity';

/** Goals (data layer): what the interaction layer reads and writes of them, and nothing of TypeORM beyond this file. */
@Injectable()
export class GoalRepository {
  constructor(@InjectRepository(GoalEntity) private readonly goals: Repository<GoalEntity>) {}

  get(id: string): Promise<GoalEntity | null> {
    return this.goals.findOneBy({ id });
  }

  async insert(goal: GoalEntity): Promise<void> {
    await this.goals.insert(goal as QueryDeepPartialEntity<GoalEntity>);
  }

  async update(id: string, changes: Partial<GoalEntity>): Promise<void> {
    await this.goals.update({ id }, changes as QueryDeepPartialEntity<GoalEntity>);
  }

  /** Changes the goal only while it is as `where` says (another node or step may have moved it); whether it did. */
  /** Moves the goal's `updatedAt` on to `at`, never back (writes after a step's commit may land out of order). */
  async touch(id: string, at: number): Promise<void> {
    await this.goals.update({ id, updatedAt: LessThan(at) }, { updatedAt: at });
  }

  async updateWhere(id: string, where: Pick<GoalEntity, 'status' | 'coordinator'>, changes: Partial<GoalEntity>): Promise<boolean> {
    const { affected } = await this.goals.update({ id, ...where, rootGroupId: IsNull() }, changes as QueryDeepPartialEntity<GoalEntity>);
    return (affected ?? 0) > 0;
  }

  /**
   * A page of goals, newest first: every goal, or those `involving` an agent (created or coordinated by it), or those
   * of `ids`; of one status when given.
   */
  list(q: { involving?: string; ids?: string[]; status?: GoalStatus }, limit: number, offset: number): Promise<[GoalEntity[], number]> {
    const status = q.status ? { status: q.status } : {};
    const where = q.involving ? [{ createdBy: q.involving, ...status }, { coordinator: q.involving, ...status }] : q.ids ? { id: In(q.ids), ...status } : status;
    return this.goals.findAndCount({ where, order: { createdAt: 'DESC', id: 'DESC' }, take: limit, skip: offset });
  }

  /**
   * A page of the goals submitted over A2A, newest first: every one, or those `createdBy` a client; of these statuses,
   * of one A2A context, changed after a time.
   */
  a2aTasks(q: { createdBy?: string; statuses?: GoalStatus[]; contextId?: string; updatedAfter?: number }, limit: number, offset: number): Promise<[GoalEntity[], number]> {
    const where = {
      a2a: Not(IsNull()),
      ...(q.createdBy ? { createdBy: q.createdBy } : {}),
      ...(q.contextId ? { a2aContextId: q.contextId } : {}),
      ...(q.statuses ? { status: In(q.statuses) } : {}),
      ...(q.updatedAfter !== undefined ? { updatedAt: MoreThan(q.updatedAfter) } : {}),
    };
    return this.goals.findAndCount({ where, order: { createdAt: 'DESC', id: 'DESC' }, take: limit, skip: offset });
  }

  /** Cancels a goal that is not settled yet; whether it did (a settled goal keeps its outcome). */
  /** `by`: who canceled it, as its reason says (`admin`, or the `client` that submitted it). */
  async cancel(id: string, by: 'admin' | 'client', now: number): Promise<boolean> {
    const { affected } = await this.goals.update({ id, status: In(['pending', 'running']) }, { status: 'canceled', reason: `canceled by ${by === 'client' ? 'the client that submitted it' : 'admin'}`, acceptDeadline: null, updatedAt: now });
    return (affected ?? 0) > 0;
  }

  /** Goals still waiting for their coordinator (this one, when given) to form the root team. */
  pending(coordinator?: string): Promise<GoalEntity[]> {
    return this.goals.findBy({ status: 'pending', rootGroupId: IsNull(), ...(coordinator !== undefined && { coordinator }) });
  }
}
