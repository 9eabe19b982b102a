import { edgeHolds, graphProblem, GraphSpec, isGraph } from './graph';

/** A task with an assignee (an approval node has none). */
const T: GraphSpec = { assignee: ['x'] };
const node = (key: string, depends_on?: string[], extra: Partial<GraphSpec> = {}): GraphSpec =>
  ({ key, ...(extra.kind === 'approval' ? {} : T), ...(depends_on ? { depends_on } : {}), ...extra });

describe('graphProblem', () => {
  it.each<[string, GraphSpec[]]>([
    ['a plain assignment', [T, T]],
    ['a single node with no predecessors', [node('a', [])]],
    ['a chain', [node('a', []), node('b', ['a']), node('c', ['b'])]],
    ['a diamond', [node('draft', []), node('translate', ['draft']), node('illustrate', ['draft']), node('layout', ['translate', 'illustrate'])]],
    ['conditions on its own edges', [node('review', []), node('publish', ['review'], { when: { review: 'approved' } }), node('fix', ['review'], { when: { review: 'failed' } })]],
    ['a root without depends_on beside one with it', [node('a'), node('b', ['a'], { policy: 'skip' })]],
    ['retry settings under the retry policy', [node('a', [], { policy: 'retry', max_retries: 2, retry_delay_s: 5 })]],
    ['max_retries under the reassign policy', [node('a', [], { policy: 'reassign', max_retries: 2 })]],
    ['an approval with approvers, an expiry and a retry', [node('a', []), node('ok', ['a'], { kind: 'approval', approvers: ['p1'], expires_in_s: 60, policy: 'retry' })]],
  ])('accepts %s', (_, specs) => {
    expect(graphProblem(specs)).toBeNull();
  });

  it.each<[string, GraphSpec[], string]>([
    ['a key without any depends_on', [node('a'), T], 'task 1 has key, when, policy or kind'],
    ['a policy without any depends_on', [T, { ...T, policy: 'skip' }], 'task 2 has key, when, policy or kind'],
    ['a task without a key', [node('a', []), T], 'task 2 has no key'],
    ['a duplicate key', [node('a', []), node('a', [])], 'key "a" is used by two tasks'],
    ['an unknown key', [node('draft', []), node('layout', ['lay-out'])], 'depends_on of "layout" names unknown key "lay-out"'],
    ['an edge twice', [node('a', []), node('b', ['a', 'a'])], '"b" depends on "a" twice'],
    ['a condition on an edge it does not have', [node('a', []), node('b', [], { when: { a: 'completed' } })], 'when of "b" names "a", which is not in its depends_on'],
    ['an empty condition', [node('a', []), node('b', ['a'], { when: { a: ' ' } })], 'when of "b" on "a" must be a non-empty text'],
    ['a condition that is not a text', [node('a', []), node('b', ['a'], { when: { a: 3 as unknown as string } })], 'when of "b" on "a" must be a non-empty text'],
    ['max_retries under a policy that does not run again', [node('a', []), node('b', ['a'], { policy: 'skip', max_retries: 2 })], '"b" has max_retries but its policy is neither retry nor reassign'],
    ['a retry delay under reassign', [node('a', []), node('b', ['a'], { policy: 'reassign', max_retries: 2, retry_delay_s: 5 })], '"b" has retry_delay_s but its policy is not retry'],
    ['retry settings without any depends_on', [{ ...T, retry_delay_s: 3 }], 'task 1 has key, when, policy or kind'],
    ['an approval outside a graph', [{ kind: 'approval' }], 'task 1 has key, when, policy or kind'],
    ['a task without an assignee', [node('a', []), { key: 'b', depends_on: [] }], 'task 2 has no assignee'],
    ['an approval with an assignee', [node('a', [], { kind: 'approval', assignee: ['x'] })], '"a" is an approval: people decide it, it has no assignee'],
    ['an approval with deadline_s', [node('a', [], { kind: 'approval', deadline_s: 5 })], 'its deadline is expires_in_s'],
    ['an approval under reassign', [node('a', [], { kind: 'approval', policy: 'reassign' })], 'it cannot be reassigned'],
    ['approvers on a task that is no approval', [node('a', [], { approvers: ['p1'] })], '"a" has approvers or expires_in_s but is not an approval'],
    ['a self-edge', [node('a', ['a'])], 'depends_on forms a cycle through "a"'],
    ['a two-cycle', [node('root', []), node('x', ['y']), node('y', ['x'])], 'depends_on forms a cycle through "x"'],
    ['a three-cycle behind a root', [node('r', []), node('p', ['r', 'q']), node('q', ['s']), node('s', ['p'])], 'cycle through "p"'],
  ])('refuses %s, naming the key', (_, specs, message) => {
    expect(graphProblem(specs)).toContain(message);
  });

  it('calls an assignment a graph when any task has depends_on, even empty', () => {
    expect([isGraph([{}, {}]), isGraph([node('a'), node('b', [])])]).toEqual([false, true]);
  });
});

describe('edgeHolds', () => {
  const done = (task_abstract: string | null) => ({ state: 'completed', task_abstract });
  it.each<[string | undefined, { state: string; task_abstract: string | null }, boolean]>([
    [undefined, done('x'), true],
    [undefined, { state: 'failed', task_abstract: null }, false],
    ['completed', done(null), true],
    ['COMPLETED ', done(null), true],
    ['failed', { state: 'failed', task_abstract: null }, true],
    ['failed', { state: 'rejected', task_abstract: null }, true],
    ['failed', { state: 'canceled', task_abstract: null }, true],
    ['failed', done('it failed the review'), false],
    ['Approved', done('Review: APPROVED with notes'), true],
    ['approved', done('rejected'), false],
    ['approved', { state: 'failed', task_abstract: 'approved' }, false],
    ['a.b', done('axb'), false],
    ['a.b', done('see a.b'), true],
    ['approved', done(null), false],
  ])('when %p on %p: %p', (when, predecessor, holds) => {
    expect(edgeHolds(when, predecessor)).toBe(holds);
  });
});
