import { randomUUID } from 'node:crypto';
import { Artifact, Message, Role, Task, TaskState, TaskStatus } from '@a2a-js/sdk';
import { RequestMalformedError } from '@a2a-js/sdk/errors';
import { CreateGoalDto, GoalStatus } from '@ioa/protocol';
import { GoalA2a, GoalEntity, isAsked } from '../../../data/goals/goal.entity';
import { parseDto } from '../../../foundation/http/api-error';
import { iso } from '../../../foundation/runtime/time';

/** An A2A task is a goal: each goal status is a task state. */
export const STATE_OF: Record<GoalStatus, TaskState> = {
  pending: TaskState.TASK_STATE_SUBMITTED,
  running: TaskState.TASK_STATE_WORKING,
  completed: TaskState.TASK_STATE_COMPLETED,
  failed: TaskState.TASK_STATE_FAILED,
  canceled: TaskState.TASK_STATE_CANCELED,
};
const SETTLED = new Set<GoalStatus>(['completed', 'failed', 'canceled']);
/** The A2A task states that end a task. */
export const ENDED_STATES: ReadonlySet<TaskState> = new Set([TaskState.TASK_STATE_COMPLETED, TaskState.TASK_STATE_FAILED, TaskState.TASK_STATE_CANCELED, TaskState.TASK_STATE_REJECTED]);
export const isSettled = (goal: Pick<GoalEntity, 'status'>): boolean => SETTLED.has(goal.status);

/** Messages a task keeps in its history (the newest), and the bytes they may take in the goal row. */
const HISTORY_MAX = 20;
const KEPT_BYTES_MAX = 256 * 1024;

const textPart = (text: string) => ({ content: { $case: 'text' as const, value: text }, mediaType: 'text/plain', filename: '', metadata: {} });

/** A message from ioa (the agent) in a task. */
export function agentMessage(taskId: string, contextId: string, text: string): Message {
  return { messageId: randomUUID(), taskId, contextId, role: Role.ROLE_AGENT, parts: [textPart(text)], metadata: {}, extensions: [], referenceTaskIds: [] };
}

export function status(state: TaskState, message?: Message, at = Date.now()): TaskStatus {
  return { state, message, timestamp: iso(at) as string };
}

/** The goal's result: the root team's conclusion, as the task's one artifact. */
export function resultArtifact(result: string): Artifact {
  return { artifactId: 'result', name: 'result', description: "the root team's conclusion", parts: [textPart(result)], metadata: {}, extensions: [] };
}

/** The text parts of a message, joined. */
export function textOf(message: Message): string {
  return message.parts.flatMap((p) => (p.content?.$case === 'text' ? [p.content.value] : [])).join('\n').trim();
}

/**
 * The goal a message asks for: its text parts are the goal; one data part may name `coordinator`, `max_turns`,
 * `team_up_depth` and `accept_timeout_s`, checked as `POST /v1/goals` checks them.
 */
export function goalRequest(message: Message): CreateGoalDto {
  const data = message.parts.flatMap((p) => (p.content?.$case === 'data' ? [p.content.value as unknown] : []));
  if (data.length > 1) throw new RequestMalformedError('at most one data part: { coordinator?, max_turns?, team_up_depth?, accept_timeout_s? }');
  const options = data[0] ?? {};
  if (options === null || typeof options !== 'object' || Array.isArray(options)) throw new RequestMalformedError('the data part must be an object');
  try {
    return parseDto(CreateGoalDto, { ...options, goal: textOf(message) || undefined }, undefined, 'the message');
  } catch (e) {
    throw new RequestMalformedError(`the goal is its text parts (${e instanceof Error ? e.message : String(e)})`);
  }
}

/**
 * The A2A task of a goal, as it stands, from the goal row alone (any node may have moved the goal on): its state
 * is the goal's, or input-required while a question the coordinator asked the requester is not answered (a
 * `requester_message` since, over A2A or REST, answers it; both times from the server's clock); the result as an
 * artifact; what the row kept of the task (history, the last status message while it is still the state's).
 */
export function taskOf(goal: GoalEntity): Task {
  const kept = goal.a2a?.task ? Task.fromJSON(goal.a2a.task) : null;
  const contextId = goal.a2aContextId ?? goal.id;
  const state = isAsked(goal) ? TaskState.TASK_STATE_INPUT_REQUIRED : STATE_OF[goal.status];
  const said = state === TaskState.TASK_STATE_INPUT_REQUIRED ? goal.requesterQuestion ?? '' : isSettled(goal) ? goal.reason ?? `goal ${goal.status}` : null;
  return {
    id: goal.id,
    contextId,
    status: kept?.status?.state === state && state !== TaskState.TASK_STATE_INPUT_REQUIRED ? kept.status
      : status(state, said === null ? undefined : agentMessage(goal.id, contextId, said), state === TaskState.TASK_STATE_INPUT_REQUIRED ? goal.requesterAskedAt ?? goal.updatedAt : goal.updatedAt),
    artifacts: goal.result !== null ? [resultArtifact(goal.result)] : [],
    history: kept?.history ?? [],
    metadata: { ...kept?.metadata, ioa_goal_id: goal.id },
  };
}

/** What the goal row keeps of a task the SDK saves: its newest history and its status, within a size bound. */
export function kept(task: Task): GoalA2a {
  const history = task.history.slice(-HISTORY_MAX);
  const json = () => Task.toJSON({ ...task, history, artifacts: [] });
  let value = json();
  while (history.length > 1 && JSON.stringify(value).length > KEPT_BYTES_MAX) {
    history.shift();
    value = json();
  }
  return { task: value };
}
