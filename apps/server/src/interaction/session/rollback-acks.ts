import type { RollbackView } from '@ioa/protocol';
import type { RollbackAcks } from '../../data/groups/group.entity';
import type { TaskEntity } from '../../data/tasks/task.entity';
import type { Batch, GroupRead, LiveGroup } from './live-group';
import type { SessionEngine } from './session-engine';
import { isOpen, resumeTask, suspendTask } from './task-book';

/**
 * Acknowledgements of a rollback (`GroupEntity.rollbackAcks`): members whose card declares `rollback_ack` are asked;
 * one that has not acknowledged by the deadline is late, treated as a disconnected assignee: the open tasks it is
 * assigned are suspended (and fail after the suspension grace) until it acknowledges or reconnects.
 */

/**
 * The acknowledgements a new rollback asks for: the members in `ackers`; the same rollback sent again (it changed
 * nothing) asks nothing again; late members of an earlier one stay late, their suspended tasks with them.
 */
export function askAcks(previous: RollbackAcks | null, view: Omit<RollbackView, 'acks'>, ackers: string[], deadline: number): RollbackAcks | null {
  const again = previous?.checkpoint_id === view.checkpoint_id && !view.restored.length && !view.canceled.length;
  if (again) return previous;
  const carried = { late: previous?.late ?? [], suspended: previous?.suspended ?? [] };
  if (!ackers.length && !carried.late.length) return previous && { ...previous, waiting: [] };
  return { checkpoint_id: view.checkpoint_id, deadline, waiting: ackers, ...carried, view };
}

/** The deadline passed: the members still waited for become late, the open tasks assigned to them suspended. */
export function ackDeadlinePassed(engine: SessionEngine, live: LiveGroup, batch: Batch, graceMs: number, now: number, from: number): void {
  const acks = live.row.rollbackAcks;
  if (!acks?.waiting.length) return;
  const late = acks.waiting.filter((m) => live.members.includes(m));
  const suspended = [...acks.suspended];
  for (const t of live.tasks.values()) {
    if (!isOpen(t) || !t.assignee.some((a) => late.includes(a))) continue;
    suspendTask(t, graceMs, now, from, 'an assignee did not acknowledge a rollback');
    suspended.push(t.id);
    write(engine, live, batch, t, 'task_suspended', `task ${t.id} suspended: its assignee did not acknowledge the rollback`);
  }
  live.row.rollbackAcks = { ...acks, waiting: [], late: [...new Set([...acks.late, ...late])], suspended };
  if (late.length) {
    engine.system(live, batch, 'rollback_unacknowledged', `${late.join(', ')} did not acknowledge the rollback to checkpoint ${acks.checkpoint_id} in time`, {
      checkpoint_id: acks.checkpoint_id, agents: late,
    });
  }
}

/**
 * `agentId` acknowledges the rollback to `checkpointId`: no longer waited for or late; the tasks suspended for
 * lateness that no late assignee holds any more resume. With `checkpointId` null, a late member came back online:
 * no longer late (as a reconnection ends a disconnection), though still asked if it is. An acknowledgement of a
 * rollback that asked nothing of it changes nothing.
 */
export function acknowledge(engine: SessionEngine, live: LiveGroup, batch: Batch, agentId: string, checkpointId: string | null, now: number): void {
  const acks = live.row.rollbackAcks;
  const owes = checkpointId === null ? acks?.late.includes(agentId) : acks?.checkpoint_id === checkpointId && [...acks.waiting, ...acks.late].includes(agentId);
  if (!acks || !owes) return;
  const late = acks.late.filter((m) => m !== agentId);
  const resumed = acks.suspended.map((id) => live.tasks.get(id)).filter((t): t is TaskEntity => t?.state === 'suspended' && !t.assignee.some((a) => late.includes(a)));
  for (const t of resumed) {
    resumeTask(t, now);
    write(engine, live, batch, t, 'task_resumed', `task ${t.id} resumed: ${agentId} acknowledged the rollback`);
  }
  const waiting = checkpointId === null ? acks.waiting : acks.waiting.filter((m) => m !== agentId);
  live.row.rollbackAcks = { ...acks, waiting, late, suspended: acks.suspended.filter((id) => !resumed.some((t) => t.id === id)) };
}

/** The `rollback` event again, for a member that still owes its acknowledgement (it connects or subscribes). */
export function owedRollback(g: GroupRead, agentId: string): RollbackView | null {
  const acks = g.row.rollbackAcks;
  if (!acks || ![...acks.waiting, ...acks.late].includes(agentId)) return null;
  return { ...acks.view, acks: { from: [...acks.waiting, ...acks.late], deadline: new Date(acks.deadline).toISOString() } };
}

function write(engine: SessionEngine, live: LiveGroup, batch: Batch, t: TaskEntity, event: string, text: string): void {
  engine.writeTask(live, batch, t);
  engine.system(live, batch, event, text, { task_id: t.id });
}
