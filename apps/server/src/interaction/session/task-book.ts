import { SETTLED_TASK_STATES, TaskSpecDto, TaskState } from '@ioa/protocol';
import { TaskEntity } from '../../data/tasks/task.entity';

export const isSettled = (t: Pick<TaskEntity, 'state'>): boolean => SETTLED_TASK_STATES.includes(t.state);

export function newTask(id: string, groupId: string, mode: 'sync' | 'async', spec: TaskSpecDto, by: string, now: number): TaskEntity {
  return Object.assign(new TaskEntity(), {
    id, groupId, mode, description: spec.task_desc, abstract: spec.task_abstract, assignee: [...new Set(spec.assignee)],
    state: 'submitted' as TaskState, progress: 0, deadline: spec.deadline_s ? now + spec.deadline_s * 1000 : null,
    suspendedFrom: null, graceDeadline: null, result: null, reason: null,
    history: [{ at: now, state: 'submitted' as TaskState, by }], createdAt: now, updatedAt: now,
  });
}

function move(t: TaskEntity, state: TaskState, by: string, now: number, note?: string): void {
  t.state = state;
  t.updatedAt = now;
  t.history = [...t.history, { at: now, state, by, ...(note ? { note } : {}) }];
}

/**
 * Applies an accepted task message to its task (the policy has already checked sender and task state).
 * Returns true when the task became settled.
 */
export function applyTaskMessage(t: TaskEntity, type: string, p: Record<string, any>, by: string, now: number): boolean {
  switch (type) {
    case 'task_reply':
      if (p.accept) move(t, 'running', by, now, p.eta_s !== undefined ? `eta ${p.eta_s}s` : undefined);
      else {
        t.reason = p.reason ?? 'declined';
        move(t, 'rejected', by, now, t.reason ?? undefined);
      }
      break;
    case 'task_progress':
      t.progress = p.progress;
      t.updatedAt = now;
      t.history = [...t.history, { at: now, state: t.state, by, note: `${Math.round(p.progress * 100)}% ${p.note}`.trim() }];
      break;
    case 'task_result':
      t.result = { status: p.status, task_conclusion: p.task_conclusion, task_abstract: p.task_abstract };
      if (p.status === 'completed') t.progress = 1;
      move(t, p.status, by, now);
      break;
    case 'task_cancel':
      t.reason = p.reason;
      move(t, 'canceled', by, now, p.reason);
      break;
    case 'task_reassign':
      t.assignee = [...new Set(p.assignee as string[])];
      t.progress = 0;
      t.suspendedFrom = null;
      t.graceDeadline = null;
      move(t, 'submitted', by, now, `reassigned to ${t.assignee.join(', ')}`);
      break;
  }
  return isSettled(t);
}

/** Ends a task by the server's hand: `failed` (deadline, lost assignee, failed sub-team) or `canceled` (group closed). */
export function endTask(t: TaskEntity, state: 'failed' | 'canceled', reason: string, now: number): void {
  t.reason = reason;
  t.suspendedFrom = null;
  t.graceDeadline = null;
  move(t, state, 'system', now, reason);
}

export function suspendTask(t: TaskEntity, graceMs: number, now: number): void {
  t.suspendedFrom = t.state;
  t.graceDeadline = now + graceMs;
  move(t, 'suspended', 'system', now, 'assignee disconnected');
}

export function resumeTask(t: TaskEntity, now: number): void {
  const back = t.suspendedFrom ?? 'running';
  t.suspendedFrom = null;
  t.graceDeadline = null;
  move(t, back, 'system', now, 'assignee reconnected');
}
