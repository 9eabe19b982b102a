import { APPROVAL_DEFAULT_EXPIRES_S, RETRY_DEFAULTS, SessionEnvelope, SETTLED_TASK_STATES, TaskSpecDto, TaskState } from '@ioa/protocol';
import { TaskEntity } from '../../data/tasks/task.entity';

export const isSettled = (t: Pick<TaskEntity, 'state'>): boolean => SETTLED_TASK_STATES.includes(t.state);

/** A new task; as a node of a graph (and its place in the assignment), it waits (`pending`, no deadline yet) until the graph dispatches it. */
export function newTask(id: string, groupId: string, mode: 'sync' | 'async', spec: TaskSpecDto, by: string, now: number, node: { graphId: string; index: number } | null = null): TaskEntity {
  const graphId = node?.graphId ?? null;
  return Object.assign(new TaskEntity(), {
    id, groupId, mode, description: spec.task_desc, abstract: spec.task_abstract, assignee: [...new Set(spec.assignee ?? [])],
    state: 'submitted' as TaskState, progress: 0, deadline: spec.deadline_s && !graphId ? now + spec.deadline_s * 1000 : null,
    suspendedFrom: null, graceDeadline: null, result: null, reason: null,
    history: [{ at: now, state: 'submitted' as TaskState, by }], createdAt: now, updatedAt: now,
    graphId, nodeKey: graphId ? spec.key ?? null : null, nodeIndex: node?.index ?? null, nodeState: graphId ? 'pending' : null,
    edges: graphId ? (spec.depends_on ?? []).map((key) => ({ key, ...(spec.when?.[key] ? { when: spec.when[key] } : {}) })) : null,
    policy: graphId ? spec.policy ?? 'fail' : null, deadlineS: graphId ? deadlineS(spec) : null,
    retriesLeft: spec.policy === 'retry' || spec.policy === 'reassign' ? spec.max_retries ?? RETRY_DEFAULTS.max_retries : null,
    retryDelayS: spec.policy === 'retry' ? spec.retry_delay_s ?? RETRY_DEFAULTS.retry_delay_s : null, retryAt: null, tried: null,
    kind: graphId ? spec.kind ?? null : null, approvers: spec.kind === 'approval' && graphId ? spec.approvers ?? null : null,
  });
}

/** A node's deadline once dispatched: its `deadline_s`, or for an approval its `expires_in_s` (by default an hour). */
const deadlineS = (spec: TaskSpecDto): number | null =>
  spec.kind === 'approval' ? spec.expires_in_s ?? APPROVAL_DEFAULT_EXPIRES_S : spec.deadline_s ?? null;

/** Why the tasks still open when their group closes end `canceled`. */
export const GROUP_CLOSED = 'group closed';

/** The history note of a graph node's dispatch (by `system`). */
export const DISPATCHED = 'dispatched';

/** A graph node waiting for its predecessors: its assignees are not told yet and may not act on it. */
export const isPendingNode = (t: Pick<TaskEntity, 'nodeState'>): boolean => t.nodeState === 'pending';

/** A task its assignees are told of: a plain task, or a graph node once dispatched (its history says so). */
export const wasDispatched = (t: Pick<TaskEntity, 'nodeState' | 'history'>): boolean => !t.nodeState || t.history.some((h) => h.by === 'system' && h.note === DISPATCHED);

/** A failed node under `retry` waits to run again: after its delay, doubled for the next time. */
export function awaitRetry(t: TaskEntity, now: number): void {
  const delayS = t.retryDelayS ?? 0;
  t.nodeState = 'ready';
  t.retryAt = now + delayS * 1000;
  t.retryDelayS = delayS * 2;
  t.retriesLeft = (t.retriesLeft ?? 1) - 1;
  t.updatedAt = now;
}

/** A node's next run: its task starts over (the failed run stays in its history), and is dispatched. */
export function rerunNode(t: TaskEntity, now: number): void {
  t.retryAt = null;
  t.result = null;
  t.reason = null;
  t.progress = 0;
  move(t, 'submitted', 'system', now, `run again (${t.retriesLeft} more after this)`);
  dispatchNode(t, now);
}

/** A failed node under `reassign` waits (`ready`) for its next assignee; those it had are not asked again. */
export function awaitAssignee(t: TaskEntity, now: number): void {
  t.nodeState = 'ready';
  t.tried = [...new Set([...(t.tried ?? []), ...t.assignee])];
  t.updatedAt = now;
}

/** A node waiting under `reassign` runs again with `agentId` (the failed run stays in its history). */
export function reassignNode(t: TaskEntity, agentId: string, now: number): void {
  t.assignee = [agentId];
  t.tried = [...new Set([...(t.tried ?? []), agentId])];
  t.retriesLeft = (t.retriesLeft ?? 1) - 1;
  t.result = null;
  t.reason = null;
  t.progress = 0;
  move(t, 'submitted', 'system', now, `reassigned to ${agentId} (${t.retriesLeft} more after this)`);
  dispatchNode(t, now);
}

/** A node waiting under `reassign` that no candidate is left for: its failure stands, and its graph steps on it. */
export function giveUpReassign(t: TaskEntity, now: number): void {
  t.nodeState = 'dispatched';
  t.retriesLeft = 0;
  t.updatedAt = now;
  t.history = [...t.history, { at: now, state: t.state, by: 'system', note: 'no further candidate for its need' }];
}

/** A node waiting under `reassign` for an answer to the invite sent for it. */
export const awaitsAssignee = (t: Pick<TaskEntity, 'nodeState' | 'policy'>): boolean => t.nodeState === 'ready' && t.policy === 'reassign';

/** A graph node its graph starts: its deadline runs from now. */
export function dispatchNode(t: TaskEntity, now: number, from = now): void {
  t.nodeState = 'dispatched';
  t.deadline = t.deadlineS ? from + t.deadlineS * 1000 : null;
  t.updatedAt = now;
  t.history = [...t.history, { at: now, state: t.state, by: 'system', note: DISPATCHED }];
}

function move(t: TaskEntity, state: TaskState, by: string, now: number, note?: string): void {
  t.state = state;
  t.updatedAt = now;
  t.history = [...t.history, { at: now, state, by, ...(note ? { note } : {}) }];
}

/** The messages about one task, which carry its `task_id`. */
export type TaskEnvelope = Extract<SessionEnvelope, { type: 'task_reply' | 'task_progress' | 'task_result' | 'task_cancel' | 'task_reassign' }>;

const TASK_MESSAGE_TYPES: ReadonlySet<string> = new Set(['task_reply', 'task_progress', 'task_result', 'task_cancel', 'task_reassign']);

export const isTaskMessage = (env: SessionEnvelope): env is TaskEnvelope => TASK_MESSAGE_TYPES.has(env.type);

/**
 * Applies an accepted task message to its task (the policy has already checked sender and task state).
 * Returns true when the task became settled.
 */
export function applyTaskMessage(t: TaskEntity, env: TaskEnvelope, by: string, now: number): boolean {
  switch (env.type) {
    case 'task_reply': {
      const { accept, eta_s, reason } = env.payload;
      if (accept) move(t, 'running', by, now, eta_s !== undefined ? `eta ${eta_s}s` : undefined);
      else {
        t.reason = reason ?? 'declined';
        move(t, 'rejected', by, now, t.reason);
      }
      break;
    }
    case 'task_progress': {
      const { progress, note } = env.payload;
      t.progress = progress;
      t.updatedAt = now;
      // The latest report replaces the one before it: history holds changes, and an assignee reporting progress ten
      // thousand times must not make every task event and every commit of the task ten thousand entries long.
      const entry = { at: now, state: t.state, by, note: `${Math.round(progress * 100)}% ${note ?? ''}`.trim(), progress };
      const last = t.history.at(-1);
      t.history = last?.progress !== undefined && last.state === t.state && last.by === by ? [...t.history.slice(0, -1), entry] : [...t.history, entry];
      break;
    }
    case 'task_result': {
      const { status, task_conclusion, task_abstract } = env.payload;
      t.result = { status, task_conclusion, task_abstract };
      if (status === 'completed') t.progress = 1;
      move(t, status, by, now);
      break;
    }
    case 'task_cancel':
      t.reason = env.payload.reason ?? null;
      move(t, 'canceled', by, now, env.payload.reason);
      break;
    case 'task_reassign':
      t.assignee = [...new Set(env.payload.assignee)];
      t.progress = 0;
      t.suspendedFrom = null;
      t.graceDeadline = null;
      move(t, 'submitted', by, now, `reassigned to ${t.assignee.join(', ')}`);
      break;
  }
  return isSettled(t);
}

/** Completes a task by the server's hand: a sub-team formed for it concluded, and its summary is the result. */
export function completeTask(t: TaskEntity, summary: string, note: string, now: number): void {
  t.result = { status: 'completed', task_conclusion: summary, task_abstract: summary.slice(0, 200) };
  t.progress = 1;
  move(t, 'completed', 'system', now, note);
}

/**
 * An approval node decided by `by` (an admin, a participant's id, or `system` when it expired): approved, it completes
 * with the comment as its conclusion; rejected (or expired), it ends `rejected` and its failure policy applies.
 */
export function decideApproval(t: TaskEntity, decision: 'approve' | 'reject' | 'expire', by: string, comment: string | null, now: number): void {
  const note = decision === 'expire' ? EXPIRED : comment ?? undefined;
  if (decision === 'approve') {
    t.result = { status: 'completed', task_conclusion: comment ?? 'approved', task_abstract: `approved by ${by}${comment ? `: ${comment}` : ''}`.slice(0, 200) };
    t.progress = 1;
    move(t, 'completed', by, now, note);
    return;
  }
  t.reason = decision === 'expire' ? `${EXPIRED}: nobody decided in time, which counts as rejected` : `rejected by ${by}${comment ? `: ${comment}` : ''}`;
  move(t, 'rejected', by, now, note);
}

/** The history note of an approval that nobody decided in time. */
export const EXPIRED = 'expired';

/** Ends a task by the server's hand: `failed` (deadline, lost assignee, failed sub-team) or `canceled` (group closed). */
export function endTask(t: TaskEntity, state: 'failed' | 'canceled', reason: string, now: number): void {
  t.reason = reason;
  t.suspendedFrom = null;
  t.graceDeadline = null;
  move(t, state, 'system', now, reason);
}

/** A task its assignee is working on or has yet to accept: what a disconnection suspends (not a node still pending). */
export function isOpen(t: TaskEntity): boolean {
  return (t.state === 'submitted' || t.state === 'running') && !isPendingNode(t);
}

/** `from`: when the grace runs from (the pause, while an operator has the group paused). */
export function suspendTask(t: TaskEntity, graceMs: number, now: number, from = now, why = 'assignee disconnected'): void {
  t.suspendedFrom = t.state;
  t.graceDeadline = from + graceMs;
  move(t, 'suspended', 'system', now, why);
}

export function resumeTask(t: TaskEntity, now: number): void {
  const back = t.suspendedFrom ?? 'running';
  t.suspendedFrom = null;
  t.graceDeadline = null;
  move(t, back, 'system', now, 'assignee reconnected');
}
