import { TaskEntity } from '../../data/tasks/task.entity';
import { CheckpointDocument, restoreTasks } from './rollback';

const task = (id: string, fields: Partial<TaskEntity>): TaskEntity => Object.assign(new TaskEntity(), {
  id, groupId: 'g', mode: 'sync', description: 'd', abstract: 'a', assignee: ['x'], state: 'submitted', progress: 0, deadline: null, suspendedFrom: null,
  graceDeadline: null, result: null, reason: null, history: [], createdAt: 0, updatedAt: 10, graphId: null, nodeKey: null, nodeIndex: null, nodeState: null,
  edges: null, policy: null, deadlineS: null, retriesLeft: null, retryDelayS: null, retryAt: null, tried: null, ...fields,
});

describe('restoreTasks', () => {
  const checkpoint = { id: 'cp', createdAt: 1_000 };
  const now = 50_000;
  const doc = (tasks: TaskEntity[], state = 'discussion', held: string[] = []): CheckpointDocument => ({ format: 1, seq: 4, state, snapshot: { context: { held } }, tasks });

  it('leaves an unchanged task alone, restarts a changed one, cancels one assigned since, and names the results invalidated', () => {
    const then = [task('same', {}), task('node', { graphId: 'gr', nodeKey: 'k', nodeState: 'dispatched', state: 'running', deadlineS: 30, updatedAt: 900 })];
    const tasks = new Map([
      ['same', task('same', {})],
      ['node', task('node', { graphId: 'gr', nodeKey: 'k', nodeState: 'settled', state: 'completed', deadlineS: 30, result: { status: 'completed', task_conclusion: 'c', task_abstract: 'v1' }, updatedAt: 2_000 })],
      ['late', task('late', { state: 'running', updatedAt: 3_000 })],
    ]);
    const out = restoreTasks(tasks, checkpoint, doc(then), now);
    expect([out.restored.map((t) => t.id), out.canceled.map((t) => t.id), out.hold]).toEqual([['node'], ['late'], null]);
    expect(out.invalidated).toEqual([{ task_id: 'node', key: 'k', assignee: ['x'], task_abstract: 'v1' }]);
    expect(tasks.get('same')?.updatedAt).toBe(10);
    expect(tasks.get('node')).toMatchObject({ state: 'submitted', nodeState: 'dispatched', result: null, deadline: now + 30_000, updatedAt: now });
    expect(tasks.get('late')).toMatchObject({ state: 'canceled', reason: 'rolled back to checkpoint cp' });
  });

  it('gives a restarted plain task the time it had left at the checkpoint, and holds a sync assignment again', () => {
    const tasks = new Map([['t', task('t', { state: 'completed', updatedAt: 2_000 })], ['u', task('u', { state: 'completed', updatedAt: 10 })]]);
    const out = restoreTasks(tasks, checkpoint, doc([task('t', { state: 'running', deadline: 6_000, updatedAt: 500 }), task('u', { state: 'completed', updatedAt: 10 })], 'sync_task_assignment', ['t', 'u']), now);
    expect(tasks.get('t')).toMatchObject({ state: 'submitted', deadline: now + 5_000 });
    expect(out.hold).toEqual({ pending: ['t'], held: ['t', 'u'] });
  });
});
