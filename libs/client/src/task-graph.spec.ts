import { TaskGraph } from './task-graph';
import { TaskView } from './types';
import { taskText } from './wrappers/outcome';

const spec = (name: string) => ({ task_desc: `do ${name}`, task_abstract: name, assignee: ['a'] });

describe('TaskGraph', () => {
  it('builds keys, edges, conditions and policies as the protocol has them', () => {
    const tasks = new TaskGraph()
      .task('draft', spec('draft'))
      .task('review', spec('review'), { after: ['draft'] })
      .task('publish', spec('publish'), { after: { review: 'Approved', draft: 'completed' }, policy: 'skip' })
      .task('notify', spec('notify'), { after: ['publish'], policy: 'retry', max_retries: 2, retry_delay_s: 5 })
      .build();
    expect(tasks).toEqual([
      { ...spec('draft'), key: 'draft', depends_on: [] },
      { ...spec('review'), key: 'review', depends_on: ['draft'] },
      { ...spec('publish'), key: 'publish', depends_on: ['review', 'draft'], when: { review: 'Approved' }, policy: 'skip' },
      { ...spec('notify'), key: 'notify', depends_on: ['publish'], policy: 'retry', max_retries: 2, retry_delay_s: 5 },
    ]);
  });

  it('builds an approval node: no assignee, its approvers and expiry, and a policy other than reassign', () => {
    const tasks = new TaskGraph()
      .task('draft', spec('draft'))
      .approval('review', { task_desc: 'check it', task_abstract: 'approve', approvers: ['p1'], expires_in_s: 60 }, { after: ['draft'], policy: 'retry', max_retries: 1 })
      .build();
    expect(tasks[1]).toEqual({ task_desc: 'check it', task_abstract: 'approve', approvers: ['p1'], expires_in_s: 60, kind: 'approval', key: 'review', depends_on: ['draft'], policy: 'retry', max_retries: 1 });
  });

  it.each([
    ['a cycle', new TaskGraph().task('a', spec('a'), { after: ['b'] }).task('b', spec('b'), { after: ['a'] }), 'cycle through "a"'],
    ['an unknown key', new TaskGraph().task('a', spec('a'), { after: ['nope'] }), 'unknown key "nope"'],
    ['a key used twice', new TaskGraph().task('a', spec('a')).task('a', spec('a')), 'key "a" is used by two tasks'],
  ])('refuses %s before anything is sent', (_, graph, message) => {
    expect(() => graph.build()).toThrow(message);
  });
});

describe('taskText of a graph task', () => {
  it('follows the text with the results of the tasks it builds on', () => {
    const task = { task_desc: 'Lay it out', task_abstract: 'layout', inputs: [
      { key: 'translate', task_id: 't1', state: 'completed', task_abstract: 'traduit', task_conclusion: 'Le texte.' },
      { key: 'illustrate', task_id: 't2', state: 'completed', task_abstract: 'drawn', task_conclusion: null },
    ] } as TaskView;
    expect(taskText(task)).toBe('Lay it out\n\nResults of the tasks it builds on:\n- translate (completed): Le texte.\n- illustrate (completed): drawn');
    expect(taskText({ ...task, inputs: [] })).toBe('Lay it out');
  });
});
