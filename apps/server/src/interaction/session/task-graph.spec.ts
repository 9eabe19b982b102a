import { GraphNode, graphOutcome, GraphStep, graphStep } from './task-graph';

/** A node: `key`, node state, task state, predecessors (`b` or `b?text` for a condition), policy, result abstract. */
function n(key: string, nodeState: GraphNode['nodeState'], state: GraphNode['state'], deps: string[] = [], policy: GraphNode['policy'] = 'fail', abstract: string | null = null): GraphNode {
  return { key, nodeState, state, abstract, policy, retriesLeft: policy === 'retry' || policy === 'reassign' ? 2 : 0, edges: deps.map((d) => (d.includes('?') ? { key: d.split('?')[0], when: d.split('?')[1] } : { key: d })) };
}

const stepOf = (partial: Partial<GraphStep>): GraphStep => ({ settled: [], dispatched: [], retrying: [], reassigning: [], skipped: [], canceled: [], done: null, ...partial });

describe('graphStep', () => {
  it('dispatches the roots of a new graph, and nothing else', () => {
    expect(graphStep([n('a', 'pending', 'submitted'), n('b', 'pending', 'submitted', ['a']), n('r', 'pending', 'submitted')]))
      .toEqual(stepOf({ settled: [], dispatched: ['a', 'r'], skipped: [], canceled: [], done: null }));
  });

  it('walks a diamond: both branches at once, the join once both settled, then done', () => {
    const start = [n('a', 'dispatched', 'completed'), n('b', 'pending', 'submitted', ['a']), n('c', 'pending', 'submitted', ['a']), n('d', 'pending', 'submitted', ['b', 'c'])];
    expect(graphStep(start)).toMatchObject({ settled: ['a'], dispatched: ['b', 'c'], done: null });
    expect(graphStep([n('a', 'settled', 'completed'), n('b', 'dispatched', 'completed', ['a']), n('c', 'dispatched', 'running', ['a']), n('d', 'pending', 'submitted', ['b', 'c'])]))
      .toEqual(stepOf({ settled: ['b'], dispatched: [], skipped: [], canceled: [], done: null }));
    expect(graphStep([n('a', 'settled', 'completed'), n('b', 'settled', 'completed', ['a']), n('c', 'dispatched', 'completed', ['a']), n('d', 'pending', 'submitted', ['b', 'c'])]))
      .toMatchObject({ settled: ['c'], dispatched: ['d'], done: null });
    expect(graphStep([n('a', 'settled', 'completed'), n('b', 'settled', 'completed', ['a']), n('c', 'settled', 'completed', ['a']), n('d', 'dispatched', 'completed', ['b', 'c'])]))
      .toMatchObject({ settled: ['d'], done: { outcome: 'completed' } });
  });

  it('takes the branch whose condition holds and skips the other, the skip cascading to what depends on it', () => {
    const nodes = [
      n('review', 'dispatched', 'completed', [], 'fail', 'Approved with two notes'),
      n('publish', 'pending', 'submitted', ['review?approved']), n('fix', 'pending', 'submitted', ['review?rejected']), n('refix', 'pending', 'submitted', ['fix']),
    ];
    expect(graphStep(nodes)).toEqual(stepOf({
      settled: ['review'], dispatched: ['publish'], canceled: [], done: null,
      skipped: [{ key: 'fix', why: 'condition "rejected" on "review" not met' }, { key: 'refix', why: '"fix" was skipped' }],
    }));
  });

  it('fails the graph under the default policy: pending nodes skipped, running ones canceled, done once', () => {
    const step = graphStep([n('a', 'settled', 'completed'), n('b', 'dispatched', 'failed', ['a']), n('c', 'dispatched', 'running', ['a']), n('d', 'pending', 'submitted', ['b', 'c'])]);
    expect(step).toEqual(stepOf({
      settled: ['b'], dispatched: [], done: { outcome: 'failed', failed_at: 'b' },
      skipped: [{ key: 'd', why: 'the graph failed at "b"' }], canceled: [{ key: 'c', why: 'the graph failed at "b"' }],
    }));
  });

  it.each(['rejected', 'canceled'] as const)('counts a %s task as a failure', (state) => {
    expect(graphStep([n('a', 'dispatched', state), n('b', 'pending', 'submitted', ['a'])]).done).toEqual({ outcome: 'failed', failed_at: 'a' });
  });

  it('under the skip policy skips the failed node and what needs it, and the graph completes', () => {
    expect(graphStep([n('a', 'dispatched', 'failed', [], 'skip'), n('b', 'pending', 'submitted', ['a']), n('c', 'dispatched', 'completed')])).toEqual(stepOf({
      settled: ['c'], dispatched: [], canceled: [], done: { outcome: 'completed' },
      skipped: [{ key: 'a', why: 'failed; its policy is skip' }, { key: 'b', why: '"a" was skipped' }],
    }));
  });

  it('treats a failure that an edge waits for as a branch, not a failure', () => {
    const step = graphStep([n('try', 'dispatched', 'failed'), n('fallback', 'pending', 'submitted', ['try?failed']), n('use', 'pending', 'submitted', ['try'])]);
    expect(step).toMatchObject({ settled: ['try'], dispatched: ['fallback'], skipped: [{ key: 'use', why: 'condition "completed" on "try" not met' }], done: null });
  });

  it('skips a pending node the coordinator canceled, without failing the graph', () => {
    expect(graphStep([n('a', 'dispatched', 'running'), n('b', 'pending', 'canceled', ['a'])])).toEqual(stepOf({
      settled: [], dispatched: [], canceled: [], done: null, skipped: [{ key: 'b', why: 'canceled before it started' }],
    }));
  });

  it('counts a pending node whose task ran anyway (on a server before graphs): settled, its dependents go on', () => {
    expect(graphStep([n('a', 'dispatched', 'running'), n('b', 'pending', 'completed'), n('c', 'pending', 'submitted', ['b'])]))
      .toEqual(stepOf({ settled: ['b'], dispatched: ['c'], skipped: [], canceled: [], done: null }));
  });

  it('under the retry policy makes a failed node ready to run again while it has runs left, then fails the graph', () => {
    expect(graphStep([n('a', 'dispatched', 'failed', [], 'retry'), n('b', 'pending', 'submitted', ['a'])])).toEqual(stepOf({ retrying: ['a'] }));
    const exhausted = { ...n('a', 'dispatched', 'failed', [], 'retry'), retriesLeft: 0 };
    expect(graphStep([exhausted, n('b', 'pending', 'submitted', ['a'])])).toEqual(stepOf({
      settled: ['a'], skipped: [{ key: 'b', why: 'the graph failed at "a"' }], done: { outcome: 'failed', failed_at: 'a' },
    }));
    // Another node failing the graph cancels a node waiting to run again.
    expect(graphStep([n('a', 'ready', 'failed', [], 'retry'), n('c', 'dispatched', 'failed')])).toEqual(stepOf({
      settled: ['c'], canceled: [{ key: 'a', why: 'the graph failed at "c"' }], done: { outcome: 'failed', failed_at: 'c' },
    }));
    expect(graphStep([n('a', 'ready', 'failed', [], 'retry'), n('b', 'pending', 'submitted', ['a'])])).toEqual(stepOf({}));
  });

  it('under the reassign policy makes a failed node ready for its next assignee while it has some left, then fails the graph', () => {
    expect(graphStep([n('a', 'dispatched', 'rejected', [], 'reassign'), n('b', 'pending', 'submitted', ['a'])])).toEqual(stepOf({ reassigning: ['a'] }));
    const exhausted = { ...n('a', 'dispatched', 'failed', [], 'reassign'), retriesLeft: 0 };
    expect(graphStep([exhausted, n('b', 'pending', 'submitted', ['a'])])).toMatchObject({ settled: ['a'], done: { outcome: 'failed', failed_at: 'a' } });
    // Waiting for its next assignee, it waits as a node waiting to run again does.
    expect(graphStep([n('a', 'ready', 'failed', [], 'reassign'), n('b', 'pending', 'submitted', ['a'])])).toEqual(stepOf({}));
  });

  it('changes nothing, and reports no second end, when called again', () => {
    const settled = [n('a', 'settled', 'completed'), n('b', 'skipped', 'canceled', ['a?x'])];
    expect(graphStep(settled)).toEqual(stepOf({ settled: [], dispatched: [], skipped: [], canceled: [], done: null }));
    expect(graphStep([n('a', 'dispatched', 'running'), n('b', 'pending', 'submitted', ['a'])])).toEqual(stepOf({ settled: [], dispatched: [], skipped: [], canceled: [], done: null }));
  });
});

describe('graphOutcome', () => {
  it.each<[string, GraphNode[], ReturnType<typeof graphOutcome>]>([
    ['running while a node runs', [n('a', 'settled', 'completed'), n('b', 'dispatched', 'running', ['a'])], 'running'],
    ['completed with a skipped branch', [n('a', 'settled', 'completed'), n('b', 'skipped', 'canceled', ['a?no'])], 'completed'],
    ['failed at a node under fail', [n('a', 'settled', 'failed'), n('b', 'skipped', 'canceled', ['a'])], 'failed'],
    ['failed at a node out of retries', [n('a', 'settled', 'failed', [], 'retry'), n('b', 'skipped', 'canceled', ['a'])], 'failed'],
    ['failed at a node out of assignees', [n('a', 'settled', 'rejected', [], 'reassign')], 'failed'],
    ['completed when the failure was a branch', [n('a', 'settled', 'failed'), n('b', 'settled', 'completed', ['a?failed'])], 'completed'],
    ['canceled when its group closed first', [n('a', 'settled', 'completed'), { ...n('b', 'settled', 'canceled', ['a'], 'skip'), reason: 'group closed' }], 'canceled'],
  ])('%s', (_, nodes, outcome) => {
    expect(graphOutcome(nodes)).toBe(outcome);
  });
});
