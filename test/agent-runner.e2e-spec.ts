import { Agent, GroupView, IoAError, TeamFormed } from '@ioa/client';
import { ErrorCode } from '@ioa/protocol';
import { coordinator } from '../libs/client/examples/coordinator';
import { api } from './support/http';
import { SdkAgents } from './support/sdk-agents';
import { ADMIN_TOKEN, TestServer } from './support/server';
import { until } from './support/until';

const card = (name: string) => ({ name, description: `${name}, an agent of the runner tests`, capabilities: [] });

describe('runAgent: the task context and the team-formation ack (real server on loopback)', () => {
  const server = new TestServer();
  const call = () => api(server.url);
  const agents = new SdkAgents(server);
  const errors: { error: unknown; event: string }[] = [];
  const start = (agent: Agent) => agents.start(agent, { onError: (error, where) => void errors.push({ error, event: where.event }) });

  beforeAll(() => server.start());
  afterAll(async () => {
    agents.stop();
    await server.dispose();
  });
  beforeEach(() => (errors.length = 0));

  it('gives onTask the client, its id and its group, and the progress it posts reaches the group', async () => {
    const seen: { me: string; clientId: string; group: GroupView }[] = [];
    const worker = await start({
      card: card('runner-worker'),
      onTurn: () => null,
      onTask: async (task, ctx) => {
        const group = await ctx.group();
        seen.push({ me: ctx.me, clientId: ctx.client.agentId, group });
        await ctx.progress(0.5, `working for "${group.goal}"`);
        return { status: 'completed', task_conclusion: `done for ${group.members.length} members`, task_abstract: 'done' };
      },
    });
    const lead = await start({ card: card('runner-lead'), onTurn: () => null });
    const group = (await call()('POST', '/v1/groups', ADMIN_TOKEN, { goal: 'count the members', coordinator: lead.agentId, members: [worker.agentId] })).body;
    const taskId = (await lead.assignTasks(group.id, [{ task_desc: 'count us', task_abstract: 'count', assignee: [worker.agentId] }])).task_ids![0];
    await until('the task to complete', async () => (await lead.rest.tasks(group.id))[0].state === 'completed');

    expect(seen).toEqual([{ me: worker.agentId, clientId: worker.agentId, group: expect.objectContaining({ id: group.id, goal: 'count the members' }) }]);
    const task = (await lead.rest.tasks(group.id))[0];
    expect(task).toMatchObject({ id: taskId, result: { task_conclusion: 'done for 2 members' } });
    const history = (await lead.rest.messages(group.id)).items;
    expect(history.find((m) => m.header.type === 'task_progress')?.payload).toEqual({ task_id: taskId, progress: 0.5, note: 'working for "count the members"' });
    expect(errors).toEqual([]);
  });

  it('offers a turn once more when its answer was refused because the group moved on (ILLEGAL_IN_STATE)', async () => {
    // The worker finishes only once the coordinator's turn has seen the task open, so that turn's answer (a pause on
    // the task) comes too late whatever the machine's speed.
    let seenOpen: () => void = () => undefined;
    const open = new Promise<void>((r) => (seenOpen = r));
    const worker = await start({
      card: card('runner-quick'),
      onTurn: () => null,
      onTask: async () => {
        await open;
        return { status: 'completed', task_conclusion: 'quick', task_abstract: 'quick' };
      },
    });
    const answers: string[] = [];
    const lead = await start({
      card: card('runner-late'),
      onTurn: async (ctx) => {
        const [task] = ctx.tasks;
        if (!task) {
          answers.push('assign');
          return { type: 'task_assignment', payload: { mode: 'async', tasks: [{ task_desc: 'be quick', task_abstract: 'quick', assignee: [worker.agentId] }] } };
        }
        if (task.state !== 'completed') {
          // Answer with a pause on the task only once it has settled: the server refuses a pause on a settled task.
          seenOpen();
          await until('the task to settle', async () => (await ctx.client.rest.tasks(ctx.group.id))[0].state === 'completed');
          answers.push('pause');
          return { type: 'pause_and_trigger', payload: { triggers: [task.id] } };
        }
        answers.push('conclude');
        return { type: 'conclusion', payload: { summary: 'done after the refusal' } };
      },
    });
    const group = (await call()('POST', '/v1/groups', ADMIN_TOKEN, { goal: 'race a task', coordinator: lead.agentId, members: [worker.agentId] })).body;
    await until('the group to close', async () => (await call()('GET', `/v1/groups/${group.id}`, ADMIN_TOKEN)).body.state === 'closed');
    expect(answers).toEqual(['assign', 'pause', 'conclude']);
    expect((await call()('GET', `/v1/groups/${group.id}`, ADMIN_TOKEN)).body.close_reason).toBe('concluded');
    expect(errors).toEqual([]);
  });

  it('hands the team-formation ack to onTeamFormed: the group id the goal\'s root team got, and who was invited', async () => {
    const helper = await start({ card: card('runner-helper'), onTurn: () => null });
    const formed: TeamFormed[] = [];
    const coordinator = await start({
      card: card('runner-coordinator'),
      onGoal: (goal) => ({ goal: goal.goal, team_members: [helper.agentId] }),
      onTeamFormed: (f) => void formed.push(f),
      onTurn: () => null,
    });
    const goal = (await call()('POST', '/v1/goals', ADMIN_TOKEN, { goal: 'learn the group id', coordinator: coordinator.agentId })).body;
    await until('the ack', () => formed.length === 1);
    const rootGroupId = (await call()('GET', `/v1/goals/${goal.id}`, ADMIN_TOKEN)).body.root_group_id;

    expect(formed[0].goal).toMatchObject({ goal_id: goal.id, goal: 'learn the group id' });
    expect(formed[0].team).toEqual({ goal: 'learn the group id', goal_id: goal.id, team_members: [helper.agentId] });
    expect(formed[0].ack).toMatchObject({ group_id: rootGroupId, seq: 1, candidates: [{ need: null, agent_id: helper.agentId }] });
    // The runner joined the new group as well: its turn as coordinator reaches it once the helper accepted.
    await until('the group to open', async () => (await coordinator.rest.getGroup(rootGroupId)).state === 'discussion');
    expect(errors).toEqual([]);
  });

  it('reports a refused formation to onError (event goal) and not to onTeamFormed', async () => {
    const formed: TeamFormed[] = [];
    const coordinator = await start({
      card: card('runner-refused'),
      onGoal: (goal) => ({ goal: goal.goal, team_members: ['00000000-0000-4000-8000-000000000000'] }),
      onTeamFormed: (f) => void formed.push(f),
      onTurn: () => null,
    });
    await call()('POST', '/v1/goals', ADMIN_TOKEN, { goal: 'nobody to work with', coordinator: coordinator.agentId });
    await until('the refusal', () => errors.length === 1);
    expect(errors[0].event).toBe('goal');
    expect(errors[0].error).toBeInstanceOf(IoAError);
    expect(errors[0].error).toMatchObject({ code: ErrorCode.NOT_FOUND });
    expect(formed).toEqual([]);
  });

  it('runs the worked coordinator of docs/sdk.md: takes a goal, forms its team by needs, talks, assigns a sync and an async task, and concludes with the results', async () => {
    const worker = (name: string, description: string, answer: (text: string) => string): Agent => ({
      card: { name, description, capabilities: [] },
      onTurn: () => ({ type: 'discussion', payload: { content: `${name} is ready`, next_speaker: [] } }),
      // A moment's work, so that the coordinator's turn right after the async assignment finds the task still open.
      onTask: async (task) => {
        await new Promise((r) => setTimeout(r, 300));
        return { status: 'completed', task_conclusion: answer(task.task_desc ?? ''), task_abstract: 'done' };
      },
    });
    await start(worker('word-counter', 'counts the words of a text', (text) => `${text.split(/\s+/).length} words`));
    await start(worker('haiku-poet', 'writes haiku poems', () => 'an old silent pond'));
    const lead = await start(coordinator('trip-coordinator', ['count the words', 'write a haiku']));

    const goal = (await call()('POST', '/v1/goals', ADMIN_TOKEN, { goal: 'a poem about a pond', coordinator: lead.agentId })).body;
    const done = await until('the goal to settle', async () => {
      const g = (await call()('GET', `/v1/goals/${goal.id}`, ADMIN_TOKEN)).body;
      return ['completed', 'failed'].includes(g.status) && g;
    }, 30_000);
    expect(done).toMatchObject({ status: 'completed', result: '8 words / an old silent pond' });
    const history = (await call()('GET', `/v1/groups/${done.root_group_id}/messages?limit=500`, ADMIN_TOKEN)).body.items;
    const types = history.filter((m: any) => m.header.sender === lead.agentId).map((m: any) => m.payload.mode ?? m.header.type);
    expect(types).toEqual(['team_formation', 'discussion', 'discussion', 'sync', 'async', 'pause_and_trigger', 'conclusion']);
  });
});
