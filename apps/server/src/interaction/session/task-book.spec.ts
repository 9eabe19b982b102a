import type { TaskEnvelope } from './task-book';
import { applyTaskMessage, newTask } from './task-book';

const env = (type: TaskEnvelope['type'], payload: object) => ({ type, header: {}, payload: { task_id: 't', ...payload } }) as unknown as TaskEnvelope;

describe('task book: a task\'s history', () => {
  it('keeps one entry per change, and only the latest of a run of progress reports', () => {
    const t = newTask('t', 'g', 'async', { task_desc: 'count', task_abstract: 'count', assignee: ['a'] }, 'c', 0);
    applyTaskMessage(t, env('task_reply', { accept: true }), 'a', 1);
    for (let i = 1; i <= 10_000; i++) applyTaskMessage(t, env('task_progress', { progress: i / 10_000, note: `step ${i}` }), 'a', 1 + i);
    applyTaskMessage(t, env('task_result', { status: 'completed', task_conclusion: 'done', task_abstract: 'done' }), 'a', 20_000);
    expect(t.history.map((h) => [h.state, h.note])).toEqual([
      ['submitted', undefined], ['running', undefined], ['running', '100% step 10000'], ['completed', undefined],
    ]);
    expect(t.progress).toBe(1);
  });
});
