import { TaskEntity } from '../../data/tasks/task.entity';
import { iso } from '../../foundation/runtime/time';
import type { Batch, LiveGroup } from './live-group';
import type { SessionEngine } from './session-engine';
import { advanceGraph, GraphStep, nodesOf, terminal } from './task-graph';
import { withdrawInvites } from './invites';
import { isApproval } from './approvals';
import { awaitsAssignee, dispatchNode, endTask, GROUP_CLOSED, isSettled, reassignNode, rerunNode } from './task-book';

/** Why a node dispatched to nobody fails at once: every assignee left the group while it was pending. */
const NO_ASSIGNEE = 'no assignee is a member of the group any more';

/**
 * Steps graph `graphId` of a live group within a session step (`task-graph.ts` decides, this writes and announces):
 * the tasks it changed are stored and shown, `graph_step` and `graph_settled` are posted. A node dispatched to
 * nobody still in the group fails at once, and the graph steps again (its policy decides what follows). A node
 * failed under `reassign` is offered to its next candidate (`nodeReassign`: team formation finds it); with none left
 * its failure stands, and the graph steps again. Returns the tasks whose node it settled or skipped, for the machine
 * to hear of (a node waiting to run again, or for its next assignee, is not settled).
 */
export function stepGraph(engine: SessionEngine, live: LiveGroup, batch: Batch, graphId: string, now: number): TaskEntity[] {
  const settled = new Set<TaskEntity>();
  for (;;) {
    const { step, changed, done } = advanceGraph(live.tasks.values(), graphId, now);
    for (const t of changed) engine.writeTask(live, batch, t);
    // A node canceled while it waited for its next assignee: the invite sent for it no longer stands.
    for (const { key } of step.canceled) {
      const t = changed.find((x) => x.nodeKey === key);
      if (t && withdrawInvites(live.row, `the graph failed`, now, { taskId: t.id }).length) batch.decisionChanged = true;
    }
    done.forEach((t) => settled.add(t));
    announce(engine, live, batch, graphId, step);
    for (const t of changed) if (isApproval(t) && step.dispatched.includes(t.nodeKey as string)) requestApproval(engine, live, batch, t);
    const reassigning = changed.filter((t) => step.reassigning.includes(t.nodeKey as string));
    for (const t of reassigning) engine.events.emit('nodeReassign', live, batch, t);
    const gaveUp = reassigning.some((t) => t.nodeState === 'dispatched' && isSettled(t));
    if (!failOrphans(engine, live, batch, changed, now).length && !gaveUp) return [...settled];
  }
}

/**
 * A node waiting under `reassign` whose offer came to nothing (declined, expired, withdrawn): offered to the next
 * candidate; with none left its failure stands, and its graph steps.
 */
export function offerAgain(engine: SessionEngine, live: LiveGroup, batch: Batch, task: TaskEntity): void {
  if (!awaitsAssignee(task)) return;
  engine.events.emit('nodeReassign', live, batch, task);
  if (task.nodeState === 'dispatched' && isSettled(task)) engine.settleTask(live, batch, task, 'system');
}

/**
 * The coordinator canceled or reassigned a node that waited to run again or for its next assignee: the wait ends
 * (any invite sent for it is withdrawn). Canceled, its failure stands (no more runs: the graph steps on it);
 * reassigned, it is dispatched to its new assignees at once.
 */
export function endWait(live: LiveGroup, batch: Batch, task: TaskEntity, now: number): void {
  if (withdrawInvites(live.row, 'the coordinator took the node over', now, { taskId: task.id }).length) batch.decisionChanged = true;
  task.retryAt = null;
  if (isSettled(task)) Object.assign(task, { nodeState: 'dispatched', retriesLeft: 0 });
  else dispatchNode(task, now);
}

/** A node waiting under `reassign` runs again with `agentId`, a member now (team formation found it, and it joined). */
export function reassigned(engine: SessionEngine, live: LiveGroup, batch: Batch, task: TaskEntity, agentId: string, now: number): void {
  if (!awaitsAssignee(task)) return;
  reassignNode(task, agentId, now);
  redispatched(engine, live, batch, task, `reassigned to ${agentId}`, { assignee: task.assignee });
}

/** A node dispatched again by itself (a retry, a reassignment): stored, shown, and announced by its own `graph_step`. */
function redispatched(engine: SessionEngine, live: LiveGroup, batch: Batch, task: TaskEntity, what: string, extra: object = {}): void {
  engine.writeTask(live, batch, task);
  engine.system(live, batch, 'graph_step', `task graph: "${task.nodeKey}" ${what}`, {
    graph_id: task.graphId, dispatched: [{ key: task.nodeKey, task_id: task.id, ...extra, retries_left: task.retriesLeft }],
    retrying: [], reassigning: [], skipped: [], canceled: [],
  });
}

/** A node whose run `task` was waiting for (under `retry`) runs again: its task starts over, and is dispatched. */
export function rerun(engine: SessionEngine, live: LiveGroup, batch: Batch, task: TaskEntity, now: number): TaskEntity[] {
  rerunNode(task, now);
  redispatched(engine, live, batch, task, isApproval(task) ? 'asks again' : 'runs again');
  if (isApproval(task)) requestApproval(engine, live, batch, task);
  return failOrphans(engine, live, batch, [task], now).length ? stepGraph(engine, live, batch, task.graphId as string, now) : [];
}

/**
 * An approval node begins to wait for a person: the system message `approval_requested` says so to the group (the
 * event `approval` goes to those who may decide it), and the step ends with a checkpoint before it.
 */
export function requestApproval(engine: SessionEngine, live: LiveGroup, batch: Batch, task: TaskEntity): void {
  batch.openedApprovals.push(task);
  engine.system(live, batch, 'approval_requested', `approval "${task.nodeKey}" waits for a decision: ${task.abstract}`, {
    approval_id: task.id, graph_id: task.graphId, key: task.nodeKey, approvers: task.approvers, expires_at: iso(task.deadline),
  });
}

/** Fails the nodes just dispatched to nobody still in the group; returns them. */
export function failOrphans(engine: SessionEngine, live: LiveGroup, batch: Batch, changed: TaskEntity[], now: number): TaskEntity[] {
  const orphans = changed.filter((t) => t.nodeState === 'dispatched' && t.state === 'submitted' && t.kind !== 'approval' && !t.assignee.some((a) => live.members.includes(a)));
  for (const t of orphans) {
    endTask(t, 'failed', NO_ASSIGNEE, now);
    engine.writeTask(live, batch, t);
    engine.system(live, batch, 'task_failed', `task ${t.id} failed: ${NO_ASSIGNEE}`, { task_id: t.id, reason: NO_ASSIGNEE });
  }
  return orphans;
}

/** The graphs of a closing group that had not settled yet: each ends `canceled` (its tasks are canceled with the group). */
export function openGraphs(live: LiveGroup): string[] {
  const ids = new Set([...live.tasks.values()].filter((t) => t.nodeState !== null && !terminal(t)).map((t) => t.graphId as string));
  return [...ids];
}

/** Posts `graph_settled` `canceled` for graphs the group's closing ended. */
export function announceCanceled(engine: SessionEngine, live: LiveGroup, batch: Batch, graphIds: string[]): void {
  for (const graphId of graphIds) {
    engine.system(live, batch, 'graph_settled', `task graph canceled: ${GROUP_CLOSED}`, { graph_id: graphId, outcome: 'canceled' });
  }
}

function announce(engine: SessionEngine, live: LiveGroup, batch: Batch, graphId: string, step: GraphStep): void {
  const nodes = new Map(nodesOf(live.tasks.values(), graphId).map((t) => [t.nodeKey as string, t]));
  const named = <T extends { key: string }>(list: T[]) => list.map((n) => ({ ...n, task_id: nodes.get(n.key)?.id as string }));
  const dispatched = step.dispatched.map((key) => ({ key }));
  const retrying = step.retrying.map((key) => ({ key, retry_at: iso(nodes.get(key)?.retryAt ?? null) }));
  const reassigning = step.reassigning.map((key) => ({ key }));
  if (dispatched.length || retrying.length || reassigning.length || step.skipped.length || step.canceled.length) {
    const parts = [['dispatched', dispatched], ['to run again', retrying], ['to reassign', reassigning], ['skipped', step.skipped], ['canceled', step.canceled]] as const;
    const text = parts.filter(([, list]) => list.length).map(([what, list]) => `${what} ${list.map((n) => `"${n.key}"`).join(', ')}`).join('; ');
    engine.system(live, batch, 'graph_step', `task graph: ${text}`, {
      graph_id: graphId, dispatched: named(dispatched), retrying: named(retrying), reassigning: named(reassigning), skipped: named(step.skipped), canceled: named(step.canceled),
    });
  }
  if (step.done) {
    const { outcome, failed_at } = step.done;
    engine.system(live, batch, 'graph_settled', outcome === 'failed' ? `task graph failed at "${failed_at}"` : 'task graph completed', { graph_id: graphId, ...step.done });
  }
}
