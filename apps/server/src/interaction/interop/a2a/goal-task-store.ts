import { Injectable } from '@nestjs/common';
import { ListTasksRequest, ListTasksResponse, Task, TaskState } from '@a2a-js/sdk';
import { RequestMalformedError } from '@a2a-js/sdk/errors';
import type { ServerCallContext, TaskStore, User } from '@a2a-js/sdk/server';
import type { GoalStatus } from '@ioa/protocol';
import { GoalEntity } from '../../../data/goals/goal.entity';
import { GoalRepository } from '../../../data/goals/goal-repository';
import { Principal } from '../../../foundation/security/principal';
import { refusal } from '../../access/access';
import { kept, STATE_OF, taskOf } from './goal-task';

/** The caller of an A2A request, as the A2A SDK carries it: the principal of its verified ioa token. */
export class PrincipalUser implements User {
  constructor(readonly principal: Principal) {}

  get isAuthenticated(): boolean {
    return true;
  }

  get userName(): string {
    return this.principal.id;
  }
}

export function principalOf(context: ServerCallContext): Principal {
  if (!(context.user instanceof PrincipalUser)) throw new Error('an A2A call without an ioa principal');
  return context.user.principal;
}

/** The goal statuses a task state may be in (input-required: a running goal whose coordinator asked). */
const GOAL_STATUSES_OF = new Map<TaskState, GoalStatus[]>([
  ...Object.entries(STATE_OF).map(([goal, state]): [TaskState, GoalStatus[]] => [state, [goal as GoalStatus]]),
  [TaskState.TASK_STATE_INPUT_REQUIRED, ['running']],
]);

/**
 * The A2A SDK's task store on the goal rows, so an A2A task lives as long as its goal, on every node: a task's id is
 * its goal's, its state is the goal's, and the row keeps the rest (history, the last status an update gave).
 * A caller sees the tasks whose goals it may read (a client its own, an admin all); any other is "not found".
 */
@Injectable()
export class GoalTaskStore implements TaskStore {
  constructor(private readonly goals: GoalRepository) {}

  async load(taskId: string, context: ServerCallContext): Promise<Task | undefined> {
    const goal = await this.readable(taskId, principalOf(context));
    return goal ? taskOf(goal) : undefined;
  }

  async save(task: Task, context: ServerCallContext): Promise<void> {
    const goal = await this.readable(task.id, principalOf(context));
    if (goal) await this.goals.update(goal.id, { a2a: kept(task) });
  }

  async list(params: ListTasksRequest, context: ServerCallContext): Promise<ListTasksResponse> {
    const p = principalOf(context);
    const pageSize = params.pageSize ?? 50;
    // A page token is the offset this store gave with the page before.
    if (params.pageToken && !/^\d{1,9}$/.test(params.pageToken)) throw new RequestMalformedError(`invalid page token: ${params.pageToken.slice(0, 64)}`);
    // An ISO 8601 time (Date.parse alone takes "-1" for the year 1 BC).
    if (params.statusTimestampAfter && !/^\d{4}-\d{2}-\d{2}T[\d:.]+(Z|[+-]\d{2}:\d{2})$/.test(params.statusTimestampAfter)) {
      throw new RequestMalformedError('statusTimestampAfter must be an ISO 8601 time, as 2026-12-07T10:00:00Z');
    }
    const offset = Number(params.pageToken || 0);
    // States no goal is ever in (rejected, auth-required): no task.
    if (params.status && !GOAL_STATUSES_OF.has(params.status)) return { tasks: [], nextPageToken: '', pageSize: 0, totalSize: 0 };
    const [rows, total] = await this.goals.a2aTasks({
      createdBy: p.role === 'admin' ? undefined : p.id, statuses: params.status ? GOAL_STATUSES_OF.get(params.status) : undefined,
      contextId: params.contextId || undefined, updatedAfter: params.statusTimestampAfter ? Date.parse(params.statusTimestampAfter) : undefined,
    }, pageSize, offset);
    // Input-required is a running goal with an open question: the one filter not decided in SQL (a page may be short).
    const tasks = rows.map(taskOf).filter((t) => !params.status || t.status?.state === params.status);
    for (const t of tasks) if (!params.includeArtifacts) t.artifacts = [];
    return { tasks, nextPageToken: offset + rows.length < total ? String(offset + rows.length) : '', pageSize: tasks.length, totalSize: total };
  }

  private async readable(taskId: string, p: Principal): Promise<GoalEntity | null> {
    const goal = await this.goals.get(taskId);
    return goal && !refusal(p, { action: 'goal.read', goal }) ? goal : null;
  }
}
