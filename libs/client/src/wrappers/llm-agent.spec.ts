import { Envelope, PROPOSABLE_STATES } from '@ioa/protocol';
import { ChatCompletionsDouble, httpError, inOrder, silence, textAnswer, toolCall } from '../../../../test/doubles/chat-completions.double';
import { taskContext } from '../../../../test/support/task-context';
import type { TurnContext } from '../agent';
import { GroupView, TaskView } from '../types';
import { llmAgent, LlmAgentOptions, LlmFailure } from './llm-agent';

const card = { name: 'thinker', description: 'thinks with a model', capabilities: [] };

const message = (seq: number, sender: string, content: string): Envelope => ({
  header: { protocol: 'ioa/1' as never, message_id: `m${seq}`, group_id: 'g1', type: 'discussion', sender, state: 'discussion', seq, timestamp: '' },
  payload: { content, next_speaker: [] },
});

/** Cards the turn context's client reads; an id without a card is refused (as the server would for an unknown id). */
const CARDS: Record<string, { name: string; description: string }> = { bob: { name: 'hotel-finder', description: 'finds hotels' } };
const client = { rest: { getAgent: async (id: string) => CARDS[id] ?? Promise.reject(new Error('NOT_FOUND')) } } as unknown as TurnContext['client'];

function turn(messages: Envelope[] = [], isCoordinator = true, groupId = 'g1', tasks: TaskView[] = []): TurnContext {
  const group = { id: groupId, goal: 'plan a trip', state: 'discussion', coordinator: 'me', members: ['me', 'bob'], turn: { holders: ['me'] }, seq: messages.length } as unknown as GroupView;
  return { client, me: 'me', group, goal: group.goal, state: 'discussion', isCoordinator, members: ['me', 'bob'], holders: ['me'], messages, tasks, myTasks: [] };
}

const task: TaskView = {
  id: 't1', group_id: 'g2', state: 'running', mode: 'sync', task_abstract: 'count words', task_desc: 'count the words of "a b c"', assignee: ['me'],
  progress: 0, deadline: null, result: null, reason: null, history: [], created_at: '', updated_at: '',
};

// The test double (test/doubles/chat-completions.double.ts) stands in for an OpenAI-compatible chat-completions API;
// each test scripts its answers, one per request with the last one repeating, and reads the requests it got.
describe('llmAgent against the chat-completions test double', () => {
  const double = new ChatCompletionsDouble();
  let received: any[];
  let failures: LlmFailure[];
  /** Scripts the next answers and starts a fresh record of requests. */
  const replies = (...answers: Parameters<typeof inOrder>) => {
    double.answer = inOrder(...answers);
    double.received.length = 0;
    received = double.received;
  };
  const agent = (extra: Partial<LlmAgentOptions> = {}) =>
    llmAgent({ card, baseUrl: double.baseUrl, apiKey: 'k', model: 'test-model', retryDelayMs: 0, onError: (f) => failures.push(f), ...extra });

  beforeAll(() => double.start());
  afterAll(() => double.stop());
  beforeEach(() => (failures = []));

  it('turns a valid tool call into the matching message, offering tools as JSON-schema functions', async () => {
    replies(toolCall('discuss', { content: 'bob, ideas?', next_speaker: ['bob'] }));
    expect(await agent().onTurn(turn())).toEqual({ type: 'discussion', payload: { content: 'bob, ideas?', next_speaker: ['bob'] } });
    expect(received[0]).toMatchObject({ path: '/v1/chat/completions', auth: 'Bearer k', model: 'test-model' });
    expect(received[0].tools.map((t: any) => t.function.name)).toEqual(['discuss', 'assign_tasks', 'pause_and_trigger', 'conclude']);

    replies(toolCall('assign_tasks', { mode: 'sync', tasks: [{ task_desc: 'find hotels', task_abstract: 'hotels', assignee: ['bob'], deadline_s: 60 }] }));
    expect(await agent().onTurn(turn())).toEqual({ type: 'task_assignment', payload: { mode: 'sync', tasks: [{ task_desc: 'find hotels', task_abstract: 'hotels', assignee: ['bob'], deadline_s: 60 }] } });
    replies(toolCall('conclude', { summary: 'done' }));
    expect(await agent().onTurn(turn())).toEqual({ type: 'conclusion', payload: { summary: 'done' } });
  });

  it('offers a member who is not the coordinator only discuss', async () => {
    replies(toolCall('discuss', { content: 'here', next_speaker: [] }));
    await agent().onTurn(turn([], false));
    expect(received[0].tools.map((t: any) => t.function.name)).toEqual(['discuss']);
  });

  it('retries malformed JSON once, feeding the error back', async () => {
    replies(toolCall('discuss', '{"content": "hi", next_speaker'), toolCall('discuss', { content: 'hi', next_speaker: [] }));
    expect(await agent().onTurn(turn())).toEqual({ type: 'discussion', payload: { content: 'hi', next_speaker: [] } });
    expect(received).toHaveLength(2);
    expect(received[1].messages.at(-1).content).toMatch(/rejected: the arguments of discuss are not valid JSON/);
  });

  it('retries a failing DTO validation (unknown field) and a next_speaker who is not a member', async () => {
    replies(toolCall('discuss', { content: 'hi', next_speaker: [], mood: 'happy' }), toolCall('discuss', { content: 'hi', next_speaker: ['mallory'] }), toolCall('discuss', { content: 'hi', next_speaker: ['bob'] }));
    expect(await agent().onTurn(turn())).toEqual({ type: 'discussion', payload: { content: 'hi', next_speaker: ['bob'] } });
    expect(received[1].messages.at(-1).content).toMatch(/property mood should not exist/);
    expect(received[2].messages.at(-1).content).toMatch(/not members of this group: mallory/);
  });

  it('gives up with null after maxRetries + 1 calls when every answer is invalid, and records the failure', async () => {
    replies(toolCall('assign_tasks', { mode: 'sometimes', tasks: [] }));
    const a = agent({ maxRetries: 2 });
    expect(await a.onTurn(turn())).toBeNull();
    expect(received).toHaveLength(3);
    expect(failures).toHaveLength(1);
    expect(failures[0]).toMatchObject({ event: 'turn', key: 'g1' });
    expect(failures[0].error).toMatch(/no valid answer after 3 attempts: invalid arguments: mode/);
    expect(a.failures()).toEqual(failures);
  });

  it('treats an answer without a tool call, or with a coordinator tool from a member, as invalid', async () => {
    replies(textAnswer('I think we should…'), toolCall('conclude', { summary: 'x' }));
    expect(await agent({ maxRetries: 1 }).onTurn(turn([], false))).toBeNull();
    expect(received[1].messages.at(-1).content).toMatch(/no tool call/);
    expect(failures[0].error).toMatch(/unknown tool conclude/);
  });

  it('times out a slow answer, then retries and gives up', async () => {
    replies(silence); // never answers
    expect(await agent({ timeoutMs: 100, maxRetries: 1 }).onTurn(turn())).toBeNull();
    expect(received).toHaveLength(2);
    expect(failures[0].error).toMatch(/timed out after 100 ms/);
    replies(silence, toolCall('discuss', { content: 'late but fine', next_speaker: [] }));
    expect(await agent({ timeoutMs: 100 }).onTurn(turn())).toMatchObject({ type: 'discussion' });
  });

  it('retries refused requests (HTTP 500, 429)', async () => {
    replies(httpError(500, 'boom'), httpError(429, 'slow down'), toolCall('conclude', { summary: 'ok' }));
    expect(await agent().onTurn(turn())).toEqual({ type: 'conclusion', payload: { summary: 'ok' } });
    expect(received).toHaveLength(3);
    expect(received[2].messages.at(-1).content).toMatch(/HTTP 429: slow down/);
    replies(httpError(500, 'boom'));
    expect(await agent({ maxRetries: 1 }).onTurn(turn())).toBeNull();
    expect(failures.at(-1)!.error).toMatch(/HTTP 500: boom/);
  });

  it('bounds the context: at most historyMessages group messages, older ones folded into a summary', async () => {
    replies(toolCall('discuss', { content: 'ok', next_speaker: [] }));
    const a = agent({ historyMessages: 5, summaryChars: 120 });
    const history = Array.from({ length: 30 }, (_, i) => message(i + 1, i % 2 ? 'me' : 'bob', `message number ${i + 1}`));
    await a.onTurn(turn(history.slice(0, 12)));
    await a.onTurn(turn(history));
    for (const body of received) {
      const carried = body.messages.filter((m: any) => /^\[#\d+ /.test(m.content));
      expect(carried.length).toBeLessThanOrEqual(5);
      expect(carried.map((m: any) => m.role)).toContain('assistant'); // its own messages
    }
    expect(received[1].messages.filter((m: any) => /^\[#/.test(m.content)).map((m: any) => m.content)).toEqual(history.slice(-5).map((m) => `[#${m.header.seq} ${m.header.sender} discussion] ${m.payload.content}`));
    const brief = received[1].messages[1].content as string;
    expect(brief).toContain('Earlier (summary):');
    expect(brief).toContain('message number 25');
    expect(brief).not.toContain('message number 26');
    expect(brief.split('Earlier (summary):\n')[1].length).toBeLessThanOrEqual(120);
  });

  it('totals token usage per group', async () => {
    replies(toolCall('discuss', 'not json', { prompt_tokens: 100, completion_tokens: 7 }), toolCall('discuss', { content: 'a', next_speaker: [] }, { prompt_tokens: 120, completion_tokens: 9 }));
    const a = agent();
    await a.onTurn(turn());
    replies(toolCall('discuss', { content: 'b', next_speaker: [] }, { prompt_tokens: 50, completion_tokens: 3 }));
    await a.onTurn(turn([], true, 'g9'));
    expect(a.usage()).toEqual({
      g1: { prompt_tokens: 220, completion_tokens: 16, requests: 2 },
      g9: { prompt_tokens: 50, completion_tokens: 3, requests: 1 },
    });
  });

  it('does a task with task_result, and fails it (never sending the bad answer) when no answer is valid', async () => {
    replies(toolCall('task_result', { status: 'completed', task_conclusion: '3 words', task_abstract: 'three' }));
    const a = agent();
    expect(await a.onTask!(task, taskContext())).toEqual({ status: 'completed', task_conclusion: '3 words', task_abstract: 'three' });
    expect(received[0].messages[1].content).toContain('count the words of "a b c"');
    expect(received[0].messages[1].content).not.toContain('group goal'); // the group could not be read
    expect(a.usage().g2).toMatchObject({ requests: 1 });
    replies(toolCall('task_result', { status: 'done?', task_conclusion: 3 }));
    expect(await a.onTask!(task, taskContext())).toMatchObject({ status: 'failed', task_conclusion: 'thinker: the model gave no valid answer' });
  });

  it('reads the task\'s group through the task context and tells the model its goal', async () => {
    replies(toolCall('task_result', { status: 'completed', task_conclusion: '3 words', task_abstract: 'three' }));
    const group = { id: 'g2', goal: 'write a short essay on Madrid' } as GroupView;
    await agent().onTask!(task, taskContext(undefined, { group: async () => group }));
    expect(received[0].messages[1].content).toMatch(/^This task serves the group goal: write a short essay on Madrid\n/);
  });

  it('briefs the model on members (their cards, where readable) and on tasks with their results', async () => {
    replies(toolCall('conclude', { summary: 'done' }));
    const done: TaskView = { ...task, id: 't9', state: 'completed', assignee: ['bob'], task_abstract: 'hotels', result: { status: 'completed', task_conclusion: 'Hotel Lisboa, 80 EUR\n  breakfast included\n', task_abstract: 'Lisboa' } };
    const rejected: TaskView = { ...task, id: 't8', state: 'rejected', assignee: ['bob'], task_abstract: 'flights', reason: 'no card' };
    await agent().onTurn(turn([], true, 'g1', [done, rejected]));
    const brief = received[0].messages[1].content as string;
    // `me` has no readable card: its id alone, marked; bob's card gives its name and description.
    expect(brief).toContain('Members:\n- me (you) (coordinator)\n- bob: hotel-finder — finds hotels\n');
    expect(brief).toContain('Tasks:\n- t9 [completed] → bob: hotels; result (completed): Hotel Lisboa, 80 EUR; breakfast included\n- t8 [rejected] → bob: flights; reason: no card');
  });

  it('offers the protocol\'s proposable states for next_state, and nothing else', async () => {
    replies(toolCall('discuss', { content: 'hi', next_speaker: [], next_state: 'sync_task_assignment' }));
    expect(await agent().onTurn(turn())).toMatchObject({ payload: { next_state: 'sync_task_assignment' } });
    const discuss = received[0].tools.find((t: any) => t.function.name === 'discuss');
    expect(discuss.function.parameters.properties.next_state.enum).toEqual([...PROPOSABLE_STATES]);
  });

  it('refuses to start without an endpoint (it reads no environment)', () => {
    expect(() => llmAgent({ card, baseUrl: '', model: 'm' })).toThrow(/needs baseUrl/);
  });

  it('forms a team for a goal, validated as a TeamFormationPayload', async () => {
    replies(toolCall('form_team', { team_members: [{ need: 'hotels', count: 9 }] }), toolCall('form_team', { team_members: ['bob', { need: 'find hotels', count: 2 }] }));
    const a = agent();
    const team = await a.onGoal!({ goal_id: 'goal-1', goal: 'plan a trip', max_turns: 20, team_up_depth: 1, accept_deadline: '2026-01-01T00:00:00.000Z' });
    expect(team).toEqual({ goal: 'plan a trip', goal_id: 'goal-1', team_members: ['bob', { need: 'find hotels', count: 2 }] });
    expect(received[1].messages.at(-1).content).toMatch(/team_members entries must be/);
    expect(Object.keys(a.usage())).toEqual(['goal:goal-1']);
  });
});
