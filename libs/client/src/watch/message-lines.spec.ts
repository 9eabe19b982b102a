import type { Envelope } from '@ioa/protocol';
import { bar, idsIn, messageLines, Words } from './message-lines';

const A = '0f8fad5b-d9cb-469f-a165-70867728950e';
const B = '7c9e6679-7425-40de-944b-e07fc1f90ae7';
const words: Words = { name: (id) => ({ [A]: 'alice', [B]: 'bob' })[id] ?? id.slice(0, 8), task: (id) => `"task ${id}"`, label: () => 'sub1' };
const env = (type: string, payload: Record<string, unknown>, sender = A) =>
  ({ header: { type, sender, group_id: 'g', seq: 1, state: 'discussion', timestamp: '', protocol: 'ioa/1', message_id: 'm' }, payload }) as unknown as Envelope;

describe('the timeline in words', () => {
  it('names agents, tasks and progress instead of ids', () => {
    expect(messageLines(env('discussion', { content: 'hi', next_speaker: [B] }), words)).toEqual(['alice → bob: "hi"']);
    expect(messageLines(env('discussion', { content: 'done', next_speaker: [] }), words)).toEqual(['alice → coordinator: "done"']);
    expect(messageLines(env('task_progress', { task_id: 't1', progress: 0.5, note: 'halfway' }, B), words)).toEqual([`bob ${bar(0.5)} on "task t1": halfway`]);
    expect(messageLines(env('task_reassign', { task_id: 't1', assignee: [B] }), words)).toEqual(['alice reassigns "task t1" → bob']);
    expect(messageLines(env('task_assignment', { mode: 'sync', tasks: [{ task_id: 't1', assignee: [A, B] }, { task_id: 't2', assignee: [B] }] }), words))
      .toEqual(['alice assigns sync: "task t1" → alice, bob', 'alice assigns sync: "task t2" → bob']);
    expect(messageLines(env('task_assignment', { mode: 'sync', tasks: [{ task_id: 't3', kind: 'approval', assignee: [] }] }), words)).toEqual(['alice assigns sync: "task t3" → a person\'s approval']);
  });

  it('replaces the ids in texts the server wrote, and lists every id a message mentions', () => {
    const system = env('system', { event: 'something_new', text: `${B} did something` }, 'system');
    expect(messageLines(system, words)).toEqual(['system: bob did something']);
    expect(idsIn(system)).toEqual(['system', B]);
    expect(idsIn(env('system', { event: 'coordinator_changed', previous: A, coordinator: B }, 'system'))).toEqual(['system', B, A]);
  });

  it('draws progress as a bar of twenty', () => {
    expect([bar(0), bar(0.26), bar(1)]).toEqual(['[....................] 0%', '[#####...............] 26%', '[####################] 100%']);
  });
});
