import { TaskEntity } from '../../data/tasks/task.entity';
import type { Batch, LiveGroup } from './live-group';
import type { SessionEngine } from './session-engine';
import { advanceGraph, GraphStep, nodesOf } from './task-graph';
import { endTask, GROUP_CLOSED } from './task-book';

/** Why a node dispatched to nobody fails at once: every assignee left the group while it was pending. */
const NO_ASSIGNEE = 'no assignee is a member of the group any more';

/**
 * Steps graph `graphId` of a live group within a session step (`task-graph.ts` decides, this writes and announces):
 * the tasks it changed are stored and shown, `graph_step` and `graph_settled` are posted. A node dispatched to
 * nobody still in the group fails at once, and the graph steps again (its policy decides what follows). Returns the
 * tasks the graph ended, for the machine to hear of.
 */
export function stepGraph(engine: SessionEngine, live: LiveGroup, batch: Batch, graphId: string, now: number): TaskEntity[] {
  const ended: TaskEntity[] = [];
  for (;;) {
    const { step, changed, ended: byGraph } = advanceGraph(live.tasks.values(), graphId, now);
    for (const t of changed) engine.writeTask(live, batch, t);
    ended.push(...byGraph);
    announce(engine, live, batch, graphId, step);
    const orphans = changed.filter((t) => t.nodeState === 'dispatched' && !t.assignee.some((a) => live.members.includes(a)));
    if (!orphans.length) return ended;
    for (const t of orphans) {
      endTask(t, 'failed', NO_ASSIGNEE, now);
      engine.writeTask(live, batch, t);
      engine.system(live, batch, 'task_failed', `task ${t.id} failed: ${NO_ASSIGNEE}`, { task_id: t.id, reason: NO_ASSIGNEE });
      ended.push(t);
    }
  }
}

/** The graphs of a closing group that had not settled yet: each ends `canceled` (its tasks are canceled with the group). */
export function openGraphs(live: LiveGroup): string[] {
  const ids = new Set([...live.tasks.values()].filter((t) => t.nodeState === 'pending' || t.nodeState === 'dispatched').map((t) => t.graphId as string));
  return [...ids];
}

/** Posts `graph_settled` `canceled` for graphs the group's closing ended. */
export function announceCanceled(engine: SessionEngine, live: LiveGroup, batch: Batch, graphIds: string[]): void {
  for (const graphId of graphIds) {
    engine.system(live, batch, 'graph_settled', `task graph canceled: ${GROUP_CLOSED}`, { graph_id: graphId, outcome: 'canceled' });
  }
}

function announce(engine: SessionEngine, live: LiveGroup, batch: Batch, graphId: string, step: GraphStep): void {
  const ids = new Map(nodesOf(live.tasks.values(), graphId).map((t) => [t.nodeKey as string, t.id]));
  const named = <T extends { key: string }>(list: T[]) => list.map((n) => ({ ...n, task_id: ids.get(n.key) as string }));
  const dispatched = step.dispatched.map((key) => ({ key }));
  if (dispatched.length || step.skipped.length || step.canceled.length) {
    const parts = [['dispatched', dispatched], ['skipped', step.skipped], ['canceled', step.canceled]] as const;
    const text = parts.filter(([, list]) => list.length).map(([what, list]) => `${what} ${list.map((n) => `"${n.key}"`).join(', ')}`).join('; ');
    engine.system(live, batch, 'graph_step', `task graph: ${text}`, {
      graph_id: graphId, dispatched: named(dispatched), skipped: named(step.skipped), canceled: named(step.canceled),
    });
  }
  if (step.done) {
    const { outcome, failed_at } = step.done;
    engine.system(live, batch, 'graph_settled', outcome === 'failed' ? `task graph failed at "${failed_at}"` : 'task graph completed', { graph_id: graphId, ...step.done });
  }
}
