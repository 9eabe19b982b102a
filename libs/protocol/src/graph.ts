/**
 * Task graphs: a `task_assignment` whose tasks carry `key`s and `depends_on` edges. Wire constants and the
 * well-formedness check, shared by the server (which refuses a bad graph) and the SDKs (which build graphs).
 */

/**
 * What a failed node does to its graph: `fail` (the default) fails the graph; `skip` skips what depends on it; `retry`
 * runs it again, up to `max_retries` times after `retry_delay_s`, doubled each time, then fails the graph;
 * `reassign` gives it, up to `max_retries` times, to the next candidate for the need its assignee was found for
 * (invited into the group if it is not a member), then fails the graph.
 */
export const FAILURE_POLICIES = ['fail', 'skip', 'retry', 'reassign'] as const;
export type FailurePolicy = (typeof FAILURE_POLICIES)[number];

/**
 * A graph node's place in its graph, beside its task's own `state`: `pending` (waiting for its predecessors) →
 * `ready` → `dispatched` (the task's states apply) → `settled`; or `skipped` (a condition not met, a predecessor
 * skipped, or the graph failed); or `invalidated`, assigned after the checkpoint a rollback returned to. A node is
 * `ready` while it waits to run again under `retry`, or for its next assignee under `reassign`; otherwise it passes
 * through `ready` within the step that readies it.
 */
export const NODE_STATES = ['pending', 'ready', 'dispatched', 'settled', 'skipped', 'invalidated'] as const;
export type NodeState = (typeof NODE_STATES)[number];

/** The conditions an edge may put on its predecessor besides a text: it completed (the default), or it did not. */
export const EDGE_CONDITIONS = ['completed', 'failed'] as const;

export const GRAPH_LIMITS = { keyMax: 64, whenMax: 200, retriesMax: 10, retryDelayMaxS: 3600 } as const;

/** `retry` without `max_retries` or `retry_delay_s`: three more runs, the first 10 s after the failure (`reassign`: three more assignees). */
export const RETRY_DEFAULTS = { max_retries: 3, retry_delay_s: 10 } as const;

/**
 * A node's kind: `approval` waits for a person (an admin, or a participant it names or whose token covers the group)
 * to approve or reject what it says; approved, it completes, and rejected (or expired) its failure policy applies.
 */
export const NODE_KINDS = ['approval'] as const;
export type NodeKind = (typeof NODE_KINDS)[number];

/** How long an approval waits when its node gives no `expires_in_s`: then it counts as rejected. */
export const APPROVAL_DEFAULT_EXPIRES_S = 3600;

/** The graph fields of a task spec (all optional: a spec without them is a plain task). */
export interface GraphSpec {
  assignee?: string[];
  deadline_s?: number;
  kind?: NodeKind;
  approvers?: string[];
  expires_in_s?: number;
  key?: string;
  depends_on?: string[];
  when?: Record<string, string>;
  policy?: FailurePolicy;
  max_retries?: number;
  retry_delay_s?: number;
}

/** An assignment is a graph when any of its tasks has `depends_on` (even empty). */
export const isGraph = (specs: readonly GraphSpec[]): boolean => specs.some((s) => s.depends_on !== undefined);

/**
 * Why these specs are not a well-formed graph, naming the offending key; null when they are (or are no graph and use
 * none of its fields). Checked in order: assignees, keys, edges, conditions, cycles.
 */
export function graphProblem(specs: readonly GraphSpec[]): string | null {
  const unassigned = specs.findIndex((s) => s.kind !== 'approval' && s.assignee === undefined);
  if (unassigned >= 0) return `task ${unassigned + 1} has no assignee (only an approval node, kind "approval", has none)`;
  if (!isGraph(specs)) {
    const stray = specs.findIndex((s) => s.key !== undefined || s.when !== undefined || s.policy !== undefined || s.max_retries !== undefined || s.retry_delay_s !== undefined || s.kind !== undefined || s.approvers !== undefined || s.expires_in_s !== undefined);
    return stray < 0 ? null : `task ${stray + 1} has key, when, policy or kind but the assignment has no depends_on: a graph needs depends_on on at least one task`;
  }
  const keys = new Set<string>();
  for (const [i, s] of specs.entries()) {
    if (s.key === undefined) return `task ${i + 1} has no key (every task of a graph needs one)`;
    if (keys.has(s.key)) return `key "${s.key}" is used by two tasks`;
    keys.add(s.key);
  }
  for (const s of specs) {
    const problem = approvalProblem(s);
    if (problem) return problem;
    if (s.max_retries !== undefined && s.policy !== 'retry' && s.policy !== 'reassign') return `"${s.key}" has max_retries but its policy is neither retry nor reassign`;
    if (s.retry_delay_s !== undefined && s.policy !== 'retry') return `"${s.key}" has retry_delay_s but its policy is not retry`;
    const deps = s.depends_on ?? [];
    for (const [i, d] of deps.entries()) {
      if (!keys.has(d)) return `depends_on of "${s.key}" names unknown key "${d}"`;
      if (deps.indexOf(d) !== i) return `"${s.key}" depends on "${d}" twice`;
    }
    for (const [from, condition] of Object.entries(s.when ?? {})) {
      if (!deps.includes(from)) return `when of "${s.key}" names "${from}", which is not in its depends_on`;
      if (typeof condition !== 'string' || !condition.trim() || condition.length > GRAPH_LIMITS.whenMax) {
        return `when of "${s.key}" on "${from}" must be a non-empty text of at most ${GRAPH_LIMITS.whenMax} characters`;
      }
    }
  }
  const cycle = firstInCycle(specs as Array<GraphSpec & { key: string }>);
  return cycle === null ? null : `depends_on forms a cycle through "${cycle}"`;
}

/** What is wrong with a node's approval fields: an approval has approvers, not assignees, and cannot be reassigned. */
function approvalProblem(s: GraphSpec): string | null {
  if (s.kind !== 'approval') {
    return s.approvers !== undefined || s.expires_in_s !== undefined ? `"${s.key}" has approvers or expires_in_s but is not an approval (kind: "approval")` : null;
  }
  if (s.assignee !== undefined) return `"${s.key}" is an approval: people decide it, it has no assignee`;
  if (s.deadline_s !== undefined) return `"${s.key}" is an approval: its deadline is expires_in_s`;
  if (s.policy === 'reassign') return `"${s.key}" is an approval: it cannot be reassigned (its policy may be fail, skip or retry)`;
  return null;
}

/** Kahn's algorithm: the first key (in spec order) left over once every node without predecessors is peeled off. */
function firstInCycle(specs: ReadonlyArray<GraphSpec & { key: string }>): string | null {
  const waiting = new Map(specs.map((s) => [s.key, new Set(s.depends_on ?? [])]));
  const free = specs.filter((s) => !s.depends_on?.length).map((s) => s.key);
  while (free.length) {
    const done = free.pop() as string;
    waiting.delete(done);
    for (const [key, deps] of waiting) if (deps.delete(done) && deps.size === 0) free.push(key);
  }
  return specs.find((s) => waiting.has(s.key))?.key ?? null;
}

/** An edge's condition as it is compared: `completed` when none is given, case and surrounding spaces ignored. */
export const edgeCondition = (when: string | undefined): string => (when ?? 'completed').trim().toLowerCase();

/**
 * Whether an edge's condition holds for a predecessor that is done: `completed` (or no condition) when it completed,
 * `failed` when it did not (failed, rejected, canceled); any other text when it completed and its `task_abstract`
 * contains that text, case ignored (a plain substring, never a pattern).
 */
export function edgeHolds(when: string | undefined, predecessor: { state: string; task_abstract: string | null }): boolean {
  const completed = predecessor.state === 'completed';
  const condition = edgeCondition(when);
  if (condition === 'completed') return completed;
  if (condition === 'failed') return !completed;
  return completed && (predecessor.task_abstract ?? '').toLowerCase().includes(condition);
}
