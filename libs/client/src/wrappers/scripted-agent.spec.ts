import { TaskView } from '../types';
import type { TurnContext } from '../agent';
import { loadScript, ScriptError, scriptedAgent } from './scripted-agent';
import { taskContext } from '../../../../test/support/task-context';

const SCRIPT = `
card:
  name: echo
  description: echoes tasks back
  capabilities: [{ name: echo, description: repeats the task }]
invites: accept
turns:
  - say: "hello, the goal is {goal}"
    next: [bob, agent-carol-id]
  - say: ready to conclude
    next: []
    next_state: conclusion
tasks:
  translate: { result: "no translation for {task}", status: failed }
  default:
    result: "echo: {task}"
    status: completed
    progress: [0.25, 0.5]
`;

const task = (desc: string): TaskView => ({
  id: 't1', group_id: 'g1', state: 'running', mode: 'sync', task_abstract: 'a', task_desc: desc, assignee: ['me'],
  progress: 0, deadline: null, result: null, reason: null, history: [], created_at: '', updated_at: '',
});

/** A turn context whose client only answers `searchAgents` (bob is agent-bob-id; dave is not in the group). */
const ctx = (groupId = 'g1'): TurnContext => {
  const search = async ({ query }: { query: string }) => ({ results: [{ agent: { id: `agent-${query}-id`, name: query } }] });
  return {
    client: { rest: { searchAgents: search } }, me: 'me', group: { id: groupId }, goal: 'plan a trip', state: 'discussion', isCoordinator: false,
    members: ['me', 'agent-bob-id', 'agent-carol-id'], holders: ['me'], messages: [], tasks: [], myTasks: [],
  } as unknown as TurnContext;
};

describe('loadScript', () => {
  it('parses a script with defaults', () => {
    const s = loadScript(SCRIPT);
    expect(s.card.name).toBe('echo');
    expect(s.after_last).toBe('last');
    expect(s.turns[1]).toEqual({ say: 'ready to conclude', next: [], next_state: 'conclusion' });
    expect(s.tasks.default).toEqual({ result: 'echo: {task}', status: 'completed', progress: [0.25, 0.5] });
  });

  const base = 'card: { name: echo, description: d, capabilities: [] }\nturns: [{ say: hi }]\n';
  it.each([
    ['card: [', /\(document\) is not valid YAML/],
    ['just text', /\(document\) must be a mapping/],
    ['turns: [{ say: hi }]', /card must be a mapping/],
    ['card: { name: "Bad Name", description: d, capabilities: [] }\nturns: [{ say: hi }]', /card\.name is invalid: name must be a slug/],
    ['card: { name: echo, description: d, capabilities: [{ name: x }] }\nturns: [{ say: hi }]', /card\.capabilities\.0\.description is invalid/],
    ['card: { name: echo, description: d, capabilities: [] }\nturns: []', /turns must be a non-empty list/],
    [`${base}invites: maybe`, /invites must be one of accept, decline \(got "maybe"\)/],
    ['card: { name: echo, description: d, capabilities: [] }\nturns: [{ say: hi }, { say: "" }]', /turns\[1\]\.say must be a non-empty string/],
    ['card: { name: echo, description: d, capabilities: [] }\nturns: [{ say: hi, next: bob }]', /turns\[0\]\.next must be a list/],
    ['card: { name: echo, description: d, capabilities: [] }\nturns: [{ say: hi, next_state: party }]', /turns\[0\]\.next_state must be one of/],
    ['card: { name: echo, description: d, capabilities: [] }\nturns: [{ say: hi, shout: x }]', /turns\[0\]\.shout is not a known field/],
    [`${base}tasks: { default: { result: x, status: done } }`, /tasks\.default\.status must be one of completed, failed/],
    [`${base}tasks: { default: { result: x, progress: [1.5] } }`, /tasks\.default\.progress must be a list of numbers between 0 and 1/],
    [`${base}tasks: { default: { status: completed } }`, /tasks\.default\.result must be a non-empty string/],
    [`${base}colour: blue`, /colour is not a known field/],
    [`${base}goal: { team_members: [] }`, /goal\.team_members must be a non-empty list/],
    [`${base}goal: { team_members: [{ need: x, size: 2 }] }`, /goal\.team_members must be a non-empty list of agent ids or \{ need, count\? \}/],
    [`${base}goal: { team: [x] }`, /goal\.team is not a known field/],
  ])('rejects %j naming the field', (yaml, message) => {
    expect(() => loadScript(yaml)).toThrow(ScriptError);
    expect(() => loadScript(yaml)).toThrow(message);
  });
});

describe('scriptedAgent', () => {
  it('coordinates only with a goal section, forming the team it names', async () => {
    expect(scriptedAgent(loadScript(SCRIPT)).onGoal).toBeUndefined();
    const lead = scriptedAgent(loadScript(`${SCRIPT}goal:\n  team_members: [{ need: translate into Spanish }, agent-bob-id]\n`));
    const goal = { goal_id: 'goal-1', goal: 'plan a trip', max_turns: 10, team_up_depth: 1, accept_deadline: '' };
    expect(await lead.onGoal!(goal)).toEqual({ goal: 'plan a trip', team_members: [{ need: 'translate into Spanish' }, 'agent-bob-id'] });
  });

  it('answers invites as scripted', async () => {
    expect(await scriptedAgent(loadScript(SCRIPT)).onInvite!({} as never)).toBe(true);
    expect(await scriptedAgent(loadScript(SCRIPT.replace('invites: accept', 'invites: decline'))).onInvite!({} as never)).toBe(false);
  });

  it('says its turns in order per group, resolving names to member ids, then repeats the last', async () => {
    const agent = scriptedAgent(loadScript(SCRIPT));
    expect(await agent.onTurn(ctx())).toEqual({ type: 'discussion', payload: { content: 'hello, the goal is plan a trip', next_speaker: ['agent-bob-id', 'agent-carol-id'] } });
    const second = { type: 'discussion', payload: { content: 'ready to conclude', next_speaker: [], next_state: 'conclusion' } };
    expect(await agent.onTurn(ctx())).toEqual(second);
    expect(await agent.onTurn(ctx())).toEqual(second);
    // Another group starts from the first turn.
    expect((await agent.onTurn(ctx('g2')))?.payload).toMatchObject({ content: 'hello, the goal is plan a trip' });
  });

  it('cycles the turns with after_last: cycle and drops names not in the group', async () => {
    const agent = scriptedAgent(loadScript(`${SCRIPT}\nafter_last: cycle\n`.replace('[bob, agent-carol-id]', '[dave, bob]')));
    const said = [];
    for (let i = 0; i < 3; i++) said.push(await agent.onTurn(ctx()));
    expect(said.map((m) => (m?.payload as { content: string }).content)).toEqual(['hello, the goal is plan a trip', 'ready to conclude', 'hello, the goal is plan a trip']);
    expect((said[0]?.payload as { next_speaker: string[] }).next_speaker).toEqual(['agent-bob-id']);
  });

  it('settles tasks with the matching scripted result, reporting its progress first', async () => {
    const agent = scriptedAgent(loadScript(SCRIPT));
    const reports: number[] = [];
    const reporter = taskContext(async (p: number) => void reports.push(p));
    expect(await agent.onTask!(task('count "a b"'), reporter)).toEqual({ status: 'completed', task_conclusion: 'echo: count "a b"', task_abstract: 'echo: count "a b"' });
    expect(reports).toEqual([0.25, 0.5]);
    expect(await agent.onTask!(task('Translate this'), reporter)).toMatchObject({ status: 'failed', task_conclusion: 'no translation for Translate this' });
  });

  it('fails a task when the script has no default answer', async () => {
    const agent = scriptedAgent(loadScript('card: { name: echo, description: d, capabilities: [] }\nturns: [{ say: hi }]'));
    expect((await agent.onTask!(task('x'), taskContext())).status).toBe('failed');
  });
});
