import { edgeCondition, FailurePolicy, graphProblem } from '@ioa/protocol';
import { TaskSpec } from './types';

/** What a graph task does when it fails (`retry`: how often, and after how long; `reassign`: to how many more agents; see docs/protocol.md). */
export interface GraphOptions {
  policy?: FailurePolicy;
  max_retries?: number;
  retry_delay_s?: number;
}

/** What a graph task waits for: keys (each must complete), or per key its condition (`completed`, `failed`, or a text). */
export type After = string[] | Record<string, string>;

/**
 * Builds the tasks of a task graph for `assignTasks`, checked as the server checks them (docs/protocol.md, Task graphs):
 *
 *   const tasks = new TaskGraph()
 *     .task('draft', { task_desc: 'Write the leaflet', task_abstract: 'draft', assignee: [alice] })
 *     .task('translate', { task_desc: 'Into French', task_abstract: 'translate', assignee: [bob] }, { after: ['draft'] })
 *     .task('publish', { task_desc: 'Publish it', task_abstract: 'publish', assignee: [bob] }, { after: { translate: 'approved' }, policy: 'skip' })
 *     .build();
 *   await client.assignTasks(groupId, tasks, 'sync');
 */
export class TaskGraph {
  private readonly specs: TaskSpec[] = [];

  task(key: string, spec: Omit<TaskSpec, keyof GraphOptions | 'key' | 'depends_on' | 'when'>, options: GraphOptions & { after?: After } = {}): this {
    const after = options.after ?? [];
    const when = Array.isArray(after) ? {} : Object.fromEntries(Object.entries(after).filter(([, c]) => edgeCondition(c) !== 'completed'));
    this.specs.push({
      ...spec, key, depends_on: Array.isArray(after) ? [...after] : Object.keys(after),
      ...(Object.keys(when).length ? { when } : {}), ...(options.policy ? { policy: options.policy } : {}),
      ...(options.max_retries !== undefined ? { max_retries: options.max_retries } : {}), ...(options.retry_delay_s !== undefined ? { retry_delay_s: options.retry_delay_s } : {}),
    });
    return this;
  }

  /**
   * An approval node: a person (an admin, a participant it names in `approvers`, or any participant whose token covers
   * the group) approves or rejects what `task_abstract` and `task_desc` say; rejected or expired (`expires_in_s`), its
   * `policy` applies (`fail`, `skip` or `retry`). What depends on it gets the decision's comment as `inputs`.
   *
   *   graph.approval('review', { task_desc: 'Check the draft', task_abstract: 'approve the draft' }, { after: ['draft'], policy: 'skip' })
   */
  approval(
    key: string,
    spec: Pick<TaskSpec, 'task_desc' | 'task_abstract' | 'approvers' | 'expires_in_s'>,
    options: Omit<GraphOptions, 'policy'> & { policy?: Exclude<FailurePolicy, 'reassign'>; after?: After } = {},
  ): this {
    return this.task(key, { ...spec, kind: 'approval' }, options);
  }

  /** The tasks, or an error naming the key that makes them no graph (a cycle, an unknown key, a key used twice). */
  build(): TaskSpec[] {
    const problem = graphProblem(this.specs);
    if (problem) throw new Error(`not a valid task graph: ${problem}`);
    return this.specs.map((s) => ({ ...s }));
  }
}
