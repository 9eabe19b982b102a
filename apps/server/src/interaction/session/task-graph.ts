import { edgeCondition, edgeHolds, FailurePolicy, NodeState, SETTLED_TASK_STATES, TaskState } from '@ioa/protocol';
import { GraphEdge, TaskEntity } from '../../data/tasks/task.entity';
import { awaitAssignee, awaitRetry, dispatchNode, endTask, GROUP_CLOSED } from './task-book';

/** What the graph step reads of a node. */
export interface GraphNode {
  key: string;
  nodeState: NodeState;
  /** The node's task's state. */
  state: TaskState;
  /** Its result's `task_abstract` (what `when` texts are matched against). */
  abstract: string | null;
  edges: readonly GraphEdge[];
  policy: FailurePolicy;
  /** Under `retry`, the runs left; under `reassign`, the assignees. */
  retriesLeft: number;
  /** Its task's reason (a group's closing ends the graph `canceled`). */
  reason?: string | null;
}

/** What one step changes: node keys, in the graph's order. `done` is set once, by the step that ends the graph. */
export interface GraphStep {
  settled: string[];
  dispatched: string[];
  /** Failed nodes that will run again (`retry`): `ready` until their delay has passed. */
  retrying: string[];
  /** Failed nodes that will run again with another assignee (`reassign`): `ready` until one is found. */
  reassigning: string[];
  skipped: Array<{ key: string; why: string }>;
  /** Dispatched nodes whose tasks end `canceled` because the graph failed. */
  canceled: Array<{ key: string; why: string }>;
  done: { outcome: 'completed' | 'failed'; failed_at?: string } | null;
}

const settledTask = (n: GraphNode) => SETTLED_TASK_STATES.includes(n.state);
/** A node done with: settled, skipped, or invalidated by a rollback. */
export const terminal = (n: { nodeState: NodeState | null }) => n.nodeState === 'settled' || n.nodeState === 'skipped' || n.nodeState === 'invalidated';
/** Whether a node's failure is a branch of the graph (an edge out of it waits for `failed`) rather than a failure. */
const handled = (nodes: readonly GraphNode[], key: string) => nodes.some((n) => n.edges.some((e) => e.key === key && edgeCondition(e.when) === 'failed'));

/**
 * One step of a graph, from its nodes as they are now (stateless: call it after any of its tasks settled, and at
 * assignment to dispatch the roots):
 * 1. a dispatched node whose task settled is settled; if it did not complete and no edge handles that (`when:
 *    "failed"`), its policy applies: `retry` with runs left makes it `ready` to run again,
 *    `reassign` with assignees left makes it `ready` for its next assignee, `skip` skips it (its dependents see it as
 *    skipped), `fail` (or `retry` or `reassign` with none left) fails the graph; a pending node whose task was
 *    canceled is skipped;
 * 2. a failed graph skips its pending nodes and cancels its dispatched (and ready) ones;
 * 3. otherwise, until nothing changes, a pending node whose predecessors are all settled or skipped is dispatched if
 *    every edge holds, and skipped if one does not.
 */
export function graphStep(current: readonly GraphNode[]): GraphStep {
  const nodes = current.map((n) => ({ ...n }));
  const byKey = new Map(nodes.map((n) => [n.key, n]));
  const step: GraphStep = { settled: [], dispatched: [], retrying: [], reassigning: [], skipped: [], canceled: [], done: null };
  const skip = (n: GraphNode, why: string) => {
    n.nodeState = 'skipped';
    step.skipped.push({ key: n.key, why });
  };
  let failedAt: string | null = null;
  for (const n of nodes) {
    // A node waiting to run again (`ready`) keeps its failed task until then.
    if (!settledTask(n) || terminal(n) || n.nodeState === 'ready') continue;
    // A pending node canceled by the coordinator is skipped; one that ran anyway (on a server before graphs) counts.
    const failed = n.state !== 'completed' && !handled(nodes, n.key);
    if (n.nodeState === 'pending' && n.state === 'canceled') skip(n, 'canceled before it started');
    else if (failed && (n.policy === 'retry' || n.policy === 'reassign') && n.retriesLeft > 0) {
      n.nodeState = 'ready';
      (n.policy === 'retry' ? step.retrying : step.reassigning).push(n.key);
    } else if (failed && n.policy === 'skip') skip(n, `${n.state}; its policy is skip`);
    else {
      if (failed) failedAt ??= n.key;
      n.nodeState = 'settled';
      step.settled.push(n.key);
    }
  }
  if (failedAt !== null) {
    const why = `the graph failed at "${failedAt}"`;
    for (const n of nodes) {
      if (n.nodeState === 'pending') skip(n, why);
      else if (!terminal(n)) {
        n.nodeState = 'settled';
        step.canceled.push({ key: n.key, why });
      }
    }
  }
  for (let changed = failedAt === null; changed; ) {
    changed = false;
    for (const n of nodes.filter((x) => x.nodeState === 'pending')) {
      const predecessors = n.edges.map((e) => ({ edge: e, from: byKey.get(e.key) as GraphNode }));
      if (!predecessors.every((p) => terminal(p.from))) continue;
      const unmet = predecessors.find((p) => p.from.nodeState === 'skipped' || !edgeHolds(p.edge.when, { state: p.from.state, task_abstract: p.from.abstract }));
      if (!unmet) {
        n.nodeState = 'dispatched';
        step.dispatched.push(n.key);
      } else skip(n, unmet.from.nodeState === 'skipped' ? `"${unmet.from.key}" was skipped` : `condition "${unmet.edge.when ?? 'completed'}" on "${unmet.from.key}" not met`);
      changed = true;
    }
  }
  const moved = step.settled.length + step.dispatched.length + step.retrying.length + step.reassigning.length + step.skipped.length + step.canceled.length > 0;
  if (moved && nodes.every(terminal)) step.done = failedAt !== null ? { outcome: 'failed', failed_at: failedAt } : { outcome: 'completed' };
  return step;
}

/**
 * Where a graph stands: `running` while a node is neither settled nor skipped; `canceled` if its group closed first
 * (or a rollback invalidated it);
 * `failed` if a node ended the graph (settled without completing, no edge handled it: its policy was not `skip`); else
 * `completed`.
 */
export function graphOutcome(nodes: readonly GraphNode[]): 'running' | 'completed' | 'failed' | 'canceled' {
  if (!nodes.every(terminal)) return 'running';
  if (nodes.some((n) => n.reason === GROUP_CLOSED || n.nodeState === 'invalidated')) return 'canceled';
  return nodes.some((n) => n.nodeState === 'settled' && n.state !== 'completed' && n.policy !== 'skip' && !handled(nodes, n.key)) ? 'failed' : 'completed';
}

/** The tasks of graph `graphId`, in their assignment's order. */
export const nodesOf = (tasks: Iterable<TaskEntity>, graphId: string): TaskEntity[] =>
  [...tasks].filter((t) => t.graphId === graphId).sort((x, y) => (x.nodeIndex ?? 0) - (y.nodeIndex ?? 0));

/** A graph node's task as the step reads it. */
export const asNode = (t: TaskEntity): GraphNode => ({
  key: t.nodeKey as string, nodeState: t.nodeState as NodeState, state: t.state, abstract: t.result?.task_abstract ?? null, edges: t.edges ?? [], policy: t.policy ?? 'fail',
  retriesLeft: t.retriesLeft ?? 0, reason: t.reason,
});

/**
 * Applies one step to the tasks of graph `graphId`: node states, dispatches (deadlines armed), retries scheduled,
 * skipped and canceled tasks ended. Returns the step, the tasks it changed (to store and show) and those whose node
 * it settled or skipped (for the machine: a sync assignment waits for every node).
 */
export function advanceGraph(tasks: Iterable<TaskEntity>, graphId: string, now: number): { step: GraphStep; changed: TaskEntity[]; done: TaskEntity[] } {
  const nodes = nodesOf(tasks, graphId);
  const byKey = new Map(nodes.map((t) => [t.nodeKey as string, t]));
  const step = graphStep(nodes.map(asNode));
  const changed = new Set<TaskEntity>();
  const done: TaskEntity[] = [];
  const node = (key: string, nodeState: NodeState | null, why?: string) => {
    const t = byKey.get(key) as TaskEntity;
    if (nodeState) t.nodeState = nodeState;
    if (why !== undefined && !SETTLED_TASK_STATES.includes(t.state)) endTask(t, 'canceled', why, now);
    if (nodeState === 'settled' || nodeState === 'skipped') {
      t.retryAt = null;
      done.push(t);
    }
    changed.add(t);
    return t;
  };
  for (const key of step.settled) node(key, 'settled');
  for (const key of step.dispatched) dispatchNode(node(key, null), now);
  for (const key of step.retrying) awaitRetry(node(key, null), now);
  for (const key of step.reassigning) awaitAssignee(node(key, null), now);
  for (const { key, why } of step.skipped) node(key, 'skipped', `skipped: ${why}`);
  for (const { key, why } of step.canceled) node(key, 'settled', why);
  return { step, changed: [...changed], done };
}
