import { IoAClient } from '@ioa/client';
import { Envelope, TurnEvent } from '@ioa/protocol';
import { api } from './support/http';
import { ADMIN_TOKEN, TestServer } from './support/server';
import { until } from './support/until';
import { TestClient } from './support/socket';

/** An SDK client that accepts every invite and records the `turn` events it receives. */
interface Member {
  client: IoAClient;
  id: string;
  turns: TurnEvent[];
}

describe('server events for followers: turn seq and sub-team announcements (real server on loopback)', () => {
  const server = new TestServer();
  const call = () => api(server.url);
  const members: Member[] = [];
  let observer: TestClient | undefined;

  async function member(name: string): Promise<Member> {
    const { token } = (await call()('POST', '/v1/auth/enrollments', ADMIN_TOKEN, { max_uses: 1 })).body;
    const card = { name, description: `${name}, an agent of the event tests`, capabilities: [], coordinates: true };
    const client = await IoAClient.connect({ url: server.url, enrollment: { token, card } });
    const m: Member = { client, id: client.agentId, turns: [] };
    client.on('turn', (t) => void m.turns.push(t));
    client.on('invite', (i) => void client.replyInvite(i.invite_id, true));
    members.push(m);
    return m;
  }
  const turnIn = (m: Member, groupId: string, seq: number) => until(`a turn at seq ${seq}`, () => m.turns.find((t) => t.group_id === groupId && t.seq === seq));

  beforeAll(() => server.start());
  afterAll(async () => {
    observer?.close();
    members.forEach((m) => m.client.close());
    await server.dispose();
  });

  it('turn carries the group seq at which the turn was given', async () => {
    const lead = await member('seq-lead');
    const worker = await member('seq-worker');
    const group = (await call()('POST', '/v1/groups', ADMIN_TOKEN, { goal: 'order turns against messages', coordinator: lead.id, members: [worker.id] })).body;
    await lead.client.subscribe(group.id);
    // Created: the goal is seq 1 and the coordinator holds the first turn.
    expect(group.seq).toBe(1);
    expect(await turnIn(lead, group.id, 1)).toMatchObject({ holders: [lead.id], deadline: expect.any(String) });

    const said = await lead.client.discussion(group.id, 'your turn', [worker.id]);
    expect(await turnIn(worker, group.id, said.seq)).toMatchObject({ holders: [worker.id] });

    const taskId = (await lead.client.assignTasks(group.id, [{ task_desc: 'answer', task_abstract: 'answer', assignee: [worker.id] }])).task_ids![0];
    await worker.client.result(group.id, taskId, { status: 'completed', task_conclusion: '42', task_abstract: '42' });
    // Back in discussion after tasks_settled: the turn's seq is that system message's, the last of the step.
    const settled = await until('tasks_settled', async () => (await lead.client.rest.messages(group.id)).items.find((m) => m.payload.event === 'tasks_settled'));
    const back = await turnIn(lead, group.id, settled.header.seq);
    expect(back.holders).toEqual([lead.id]);
    expect((await lead.client.rest.getGroup(group.id)).seq).toBe(settled.header.seq);
    // Every turn the lead got is ordered by seq with the group's messages: none claims a seq the group never had.
    for (const t of lead.turns.filter((x) => x.group_id === group.id)) expect(t.seq).toBeLessThanOrEqual(settled.header.seq);
  });

  it('announces a nested sub-team to the followers of its parent group, before its closing', async () => {
    const coordinator = await member('nest-coordinator');
    const translator = await member('nest-translator');
    const proofreader = await member('nest-proofreader');
    const goal = (await call()('POST', '/v1/goals', ADMIN_TOKEN, { goal: 'a letter in Spanish', coordinator: coordinator.id, team_up_depth: 1 })).body;
    const root = await coordinator.client.formTeam({ goal: goal.goal, goal_id: goal.id, team_members: [translator.id] });
    await until('the root team to open', () => coordinator.turns.find((t) => t.group_id === root.group_id));

    const { token } = (await call()('POST', '/v1/auth/observer-tokens', ADMIN_TOKEN, { scope: { goals: [goal.id] } })).body;
    observer = new TestClient(server.url, token);
    await observer.connected();
    expect((await observer.emit('subscribe', { group_id: root.group_id })).ok).toBe(true);

    const taskId = (await coordinator.client.assignTasks(root.group_id, [{ task_desc: 'write and proofread', task_abstract: 'letter', assignee: [translator.id] }])).task_ids![0];
    const sub = await translator.client.formTeam({ goal: 'proofread the letter', parent_task_id: taskId, team_members: [proofreader.id] });

    const announced: Envelope = await observer.waitFor('message', (m) => m.header.group_id === root.group_id && m.payload.event === 'subteam_formed');
    // The goal's tree changed: its watchers (connected after the root team formed) are told to read it again.
    await until('goal_changed for the new sub-team', () => observer!.of('goal_changed').length === 1);
    expect(announced.header).toMatchObject({ type: 'system', sender: 'system', state: 'sync_task_assignment' });
    expect(announced.payload).toEqual({
      event: 'subteam_formed', text: `sub-team ${sub.group_id} formed for task ${taskId}`, group_id: sub.group_id, task_id: taskId,
      coordinator: translator.id, goal: 'proofread the letter',
    });
    // The observer follows the sub-team from the announcement, from its first message on.
    expect((await observer.emit('subscribe', { group_id: sub.group_id, after_seq: 0 })).ok).toBe(true);
    const first = await observer.waitFor('message', (m) => m.header.group_id === sub.group_id && m.header.seq === 1);
    expect(first.header.type).toBe('team_formation');

    await until('the sub-team to open', () => translator.turns.find((t) => t.group_id === sub.group_id));
    await translator.client.conclude(sub.group_id, 'Querido amigo: revisado');
    const closed: Envelope = await observer.waitFor('message', (m) => m.header.group_id === root.group_id && m.payload.event === 'subteam_closed');
    expect(closed.payload).toMatchObject({ group_id: sub.group_id, task_id: taskId, state: 'completed' });
    expect(closed.header.seq).toBeGreaterThan(announced.header.seq);
    await until('goal_changed for the closed sub-team', () => observer!.of('goal_changed').length === 2);
    expect(observer.of('goal_changed').map((g) => [g.id, g.status])).toEqual([[goal.id, 'running'], [goal.id, 'running']]);
    // The announcement is part of the parent's history too, for whoever reads it later.
    const history = (await coordinator.client.rest.messages(root.group_id)).items.map((m) => m.payload.event ?? m.header.type);
    expect(history.indexOf('subteam_formed')).toBeLessThan(history.indexOf('subteam_closed'));
  });

  it('refuses a sub-team for a task that settled, and announces nothing', async () => {
    const coordinator = await member('late-coordinator');
    const worker = await member('late-worker');
    const helper = await member('late-helper');
    const group = (await call()('POST', '/v1/groups', ADMIN_TOKEN, { goal: 'too late to team up', coordinator: coordinator.id, members: [worker.id], team_up_depth: 1 })).body;
    const taskId = (await coordinator.client.assignTasks(group.id, [{ task_desc: 'quick', task_abstract: 'quick', assignee: [worker.id] }], 'async')).task_ids![0];
    await worker.client.result(group.id, taskId, { status: 'completed', task_conclusion: 'done', task_abstract: 'done' });
    await expect(worker.client.formTeam({ goal: 'help', parent_task_id: taskId, team_members: [helper.id] })).rejects.toMatchObject({ code: 'FORBIDDEN' });
    const events = (await coordinator.client.rest.messages(group.id)).items.map((m) => m.payload.event).filter(Boolean);
    expect(events).not.toContain('subteam_formed');
  });
});
