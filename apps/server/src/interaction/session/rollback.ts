import type { InvalidatedResult } from '@ioa/protocol';
import type { CheckpointEntity } from '../../data/checkpoints/checkpoint.entity';
import type { TaskEntity } from '../../data/tasks/task.entity';
import { canonical } from './session-engine';
import { dispatchNode, endTask, isSettled } from './task-book';
import { terminal } from './task-graph';

/** The state document of a checkpoint (`checkpoints.ts`), as a rollback reads it back. */
export interface CheckpointDocument {
  format: number;
  seq: number;
  state: string;
  snapshot: { value?: unknown; context?: { held?: string[] } };
  tasks: TaskEntity[];
}

/** What returning a group's tasks to a checkpoint changed. */
export interface Restore {
  invalidated: InvalidatedResult[];
  /** Tasks back to their state at the checkpoint (written again). */
  restored: TaskEntity[];
  /** Tasks assigned after the checkpoint, now canceled. */
  canceled: TaskEntity[];
  /** When the checkpoint was taken during a sync assignment: the tasks that hold it again. */
  hold: { pending: string[]; held: string[] } | null;
}

/** The start of the history note a rollback leaves on each task it changes. */
export const ROLLED_BACK = 'rolled back to checkpoint';

/** Whether this rollback already returned `t` and nobody but the server acted on it since. */
function untouchedSince(t: TaskEntity, note: string): boolean {
  const at = t.history.findLastIndex((h) => h.note === note);
  return at >= 0 && t.history.slice(at + 1).every((h) => h.by === 'system');
}

/** The task columns a rollback returns to their value at the checkpoint (history is kept, and grows). */
const RESTORED = ['state', 'assignee', 'result', 'reason', 'progress', 'nodeState', 'retriesLeft', 'retryDelayS', 'tried'] as const;

/**
 * Returns the tasks of a group to where a checkpoint left them (the caller has verified the checkpoint), in memory:
 * - a task assigned after it is canceled (a settled one too: its result stays, invalidated), and a graph node among
 *   them `invalidated`;
 * - a task changed since is restored: a result produced since is invalidated (named in the result, kept in the
 *   task's history and the group's messages), and what was running at the checkpoint starts over: `submitted`, to be
 *   accepted anew, its deadline the time it had left then; a node waiting to run again waits what it had left;
 * - an unchanged task stays as it is, and so does one this very rollback already returned (sent again, it changes
 *   nothing more).
 * Times, the machine, members and turns are the group's own: a rollback is a new step, not a rewind. `base` is when
 * the restored deadlines' remaining time starts: now, or when an operator paused the group (its resume moves them on).
 */
export function restoreTasks(tasks: Map<string, TaskEntity>, checkpoint: Pick<CheckpointEntity, 'id' | 'createdAt'>, doc: CheckpointDocument, now: number, base = now): Restore {
  const then = new Map(doc.tasks.map((t) => [t.id, t]));
  const out: Restore = { invalidated: [], restored: [], canceled: [], hold: null };
  const note = `${ROLLED_BACK} ${checkpoint.id}`;
  const left = (at: number | null) => (at === null ? null : base + Math.max(0, at - checkpoint.createdAt));
  const same = (x: unknown, y: unknown) => JSON.stringify(canonical(x ?? null)) === JSON.stringify(canonical(y ?? null));
  for (const t of tasks.values()) {
    const before = then.get(t.id);
    if ((before && before.updatedAt === t.updatedAt) || untouchedSince(t, note)) continue;
    if (t.result && !same(t.result, before?.result)) {
      out.invalidated.push({ task_id: t.id, ...(t.nodeKey ? { key: t.nodeKey } : {}), assignee: [...t.assignee], task_abstract: t.result.task_abstract ?? null });
    }
    if (!before) {
      endTask(t, 'canceled', note, now);
      if (t.nodeState) t.nodeState = 'invalidated';
      t.updatedAt = now;
      out.canceled.push(t);
      continue;
    }
    Object.assign(t, Object.fromEntries(RESTORED.map((column) => [column, before[column]])));
    Object.assign(t, { suspendedFrom: null, graceDeadline: null, retryAt: left(before.retryAt ?? null), updatedAt: now });
    const open = !isSettled(t) && t.nodeState !== 'pending' && t.nodeState !== 'ready';
    if (open) t.state = 'submitted';
    t.history = [...t.history, { at: now, state: t.state, by: 'system', note }];
    if (open && t.nodeState === 'dispatched') dispatchNode(t, now, base);
    else if (open) t.deadline = left(before.deadline);
    out.restored.push(t);
  }
  if (doc.state === 'sync_task_assignment') {
    const held = doc.snapshot.context?.held ?? [];
    const pending = held.filter((id) => {
      const t = tasks.get(id);
      return t !== undefined && (t.nodeState ? !terminal(t) : !isSettled(t));
    });
    if (pending.length) out.hold = { pending, held };
  }
  return out;
}
