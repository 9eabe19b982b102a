import type { TaskEntity } from '../../data/tasks/task.entity';
import type { Batch, LiveGroup } from './live-group';
import type { SessionEngine } from './session-engine';
import { isOpen } from './handlers/assignee-presence.handler';
import { resumeTask, suspendTask } from './task-book';

/**
 * Acknowledgements of a rollback (`GroupEntity.rollbackAcks`): members whose card declares `rollback_ack` are asked;
 * one that has not acknowledged by the deadline is treated as a disconnected assignee (its open tasks in the group are
 * suspended, and fail after the suspension grace) until it acknowledges.
 */

/** The deadline passed: the members still waited for become late, their open tasks suspended. */
export function ackDeadlinePassed(engine: SessionEngine, live: LiveGroup, batch: Batch, graceMs: number, now: number, from: number): void {
  const acks = live.row.rollbackAcks;
  if (!acks?.waiting.length) return;
  const late = acks.waiting.filter((m) => live.members.includes(m));
  live.row.rollbackAcks = { ...acks, waiting: [], late: [...new Set([...acks.late, ...late])] };
  if (!late.length) return;
  for (const t of live.tasks.values()) {
    if (!isOpen(t) || !t.assignee.some((a) => late.includes(a))) continue;
    suspendTask(t, graceMs, now, from);
    write(engine, live, batch, t, 'task_suspended', `task ${t.id} suspended: its assignee did not acknowledge the rollback`);
  }
  engine.system(live, batch, 'rollback_unacknowledged', `${late.join(', ')} did not acknowledge the rollback to checkpoint ${acks.checkpoint_id} in time`, {
    checkpoint_id: acks.checkpoint_id, agents: late,
  });
}

/**
 * `agentId` acknowledges the rollback to `checkpointId`: no longer waited for; if it was late, its tasks suspended for
 * that resume (it is connected: the acknowledgement came on its socket). Returns whether anything changed (an ack of a
 * rollback that asked nothing of it changes nothing).
 */
export function acknowledge(engine: SessionEngine, live: LiveGroup, batch: Batch, agentId: string, checkpointId: string, now: number): boolean {
  const acks = live.row.rollbackAcks;
  if (!acks || acks.checkpoint_id !== checkpointId || ![...acks.waiting, ...acks.late].includes(agentId)) return false;
  const wasLate = acks.late.includes(agentId);
  const rest = { waiting: acks.waiting.filter((m) => m !== agentId), late: acks.late.filter((m) => m !== agentId) };
  live.row.rollbackAcks = rest.waiting.length || rest.late.length ? { ...acks, ...rest } : null;
  if (!wasLate) return true;
  for (const t of live.tasks.values()) {
    if (t.state !== 'suspended' || !t.assignee.includes(agentId)) continue;
    resumeTask(t, now);
    write(engine, live, batch, t, 'task_resumed', `task ${t.id} resumed: ${agentId} acknowledged the rollback`);
  }
  return true;
}

function write(engine: SessionEngine, live: LiveGroup, batch: Batch, t: TaskEntity, event: string, text: string): void {
  engine.writeTask(live, batch, t);
  engine.system(live, batch, event, text, { task_id: t.id });
}
