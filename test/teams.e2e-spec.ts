import agents from './fixtures/agents.json';
import { api } from './support/http';
import { ok, population, Scripted, teamUp, uuid } from './support/population';
import { until } from './support/until';
import { ADMIN_TOKEN, TestServer } from './support/server';
import { TestClient } from './support/socket';

describe('team formation by meaning (real server, scripted agents on loopback)', () => {
  const server = new TestServer({ env: { IOA_INVITE_TIMEOUT_S: '1', IOA_FORMING_TIMEOUT_S: '3' } });
  let call: ReturnType<typeof api>;
  let who: Map<string, Scripted>;
  const idOf = (n: string) => who.get(n)!.id;

  beforeAll(async () => {
    await server.start();
    call = api(server.url);
    const names = ['coordinator-bot', ...agents.slice(0, 40).map((a) => a.name)];
    who = await population(server, names, { decline: ['weather-forecaster'] });
  });
  afterAll(async () => {
    for (const a of who?.values() ?? []) a.client.close();
    await server.dispose();
  });

  it('takes a goal, finds the right members among 40 by need, opens the group, nests a sub-team and completes the goal', async () => {
    const coord = who.get('coordinator-bot')!;
    const goal = (await call('POST', '/v1/goals', ADMIN_TOKEN, { goal: 'plan a cheap trip to Madrid', coordinator: coord.id, team_up_depth: 1 })).body;
    const event = await coord.client.waitFor('goal', (g) => g.goal_id === goal.id);
    expect(event).toMatchObject({ goal: 'plan a cheap trip to Madrid', team_up_depth: 1 });

    const ack = ok(await teamUp(coord, {
      goal: event.goal, goal_id: goal.id,
      team_members: [{ need: 'translate my messages into Spanish' }, { need: 'convert miles into kilometres' }, { need: 'write SQL queries against a PostgreSQL database' }],
    }));
    expect(ack.candidates.map((c: any) => c.agent_id)).toEqual([idOf('spanish-translator'), idOf('unit-converter'), idOf('sql-analyst')]);
    await coord.client.waitFor('turn', (t) => t.group_id === ack.group_id);
    ok(await coord.client.emit('subscribe', { group_id: ack.group_id }));
    const group = (await call('GET', `/v1/groups/${ack.group_id}`, ADMIN_TOKEN)).body;
    expect(group).toMatchObject({ state: 'discussion', coordinator: coord.id, turn: { holders: [coord.id] } });
    expect(group.members.sort()).toEqual([coord.id, idOf('spanish-translator'), idOf('unit-converter'), idOf('sql-analyst')].sort());
    const decision = (await call('GET', `/v1/teams/${ack.group_id}/decision`, ADMIN_TOKEN)).body;
    expect(decision.needs[0]).toMatchObject({ need: 'translate my messages into Spanish', invites: [{ agent_id: idOf('spanish-translator'), status: 'accepted' }] });
    expect(decision.needs[0].candidates[0].score).toBeGreaterThan(0);

    // The translator holds a task and forms a level-1 sub-team for it.
    const { task_ids: [task] } = ok(await coord.client.send(ack.group_id, 'task_assignment', {
      mode: 'sync', tasks: [{ task_desc: 'translate the itinerary', task_abstract: 'itinerary in Spanish', assignee: [idOf('spanish-translator')] }],
    }));
    const translator = who.get('spanish-translator')!;
    const child = ok(await teamUp(translator, { goal: 'proofread the Spanish itinerary', parent_task_id: task, team_members: [{ need: 'check grammar and spelling of a text' }] }));
    expect(child.candidates[0].agent_id).toBe(idOf('grammar-checker'));
    await translator.client.waitFor('turn', (t) => t.group_id === child.group_id);
    const tree = (await call('GET', `/v1/goals/${goal.id}/tree`, ADMIN_TOKEN)).body;
    expect(tree).toHaveLength(1);
    expect(tree[0].children[0]).toMatchObject({ group_id: child.group_id, level: 1, team_up_depth: 0, parent_task_id: task });

    // Members of ancestor groups are not candidates unless the request allows them.
    const noAncestors = await teamUp(translator, { goal: 'units again', parent_task_id: task, team_members: [{ need: 'convert miles into kilometres' }] });
    expect(noAncestors.ok ? noAncestors.candidates[0].agent_id : noAncestors.error.code).not.toBe(idOf('unit-converter'));
    const withAncestors = ok(await teamUp(translator, { goal: 'units again', parent_task_id: task, allow_ancestor_members: true, team_members: [{ need: 'convert miles into kilometres' }] }));
    expect(withAncestors.candidates[0].agent_id).toBe(idOf('unit-converter'));

    // Depth is exhausted one level down.
    const { task_ids: [inner] } = ok(await translator.client.send(child.group_id, 'task_assignment', {
      mode: 'async', tasks: [{ task_desc: 'check', task_abstract: 'check', assignee: [idOf('grammar-checker')] }],
    }));
    const deeper = await teamUp(who.get('grammar-checker')!, { goal: 'too deep', parent_task_id: inner, team_members: [{ need: 'summarize a pdf' }] });
    expect(deeper.error.code).toBe('DEPTH_EXHAUSTED');

    ok(await translator.client.send(child.group_id, 'conclusion', { summary: 'Itinerario revisado y corregido' }));
    await coord.client.waitFor('group_state', (s) => s.group_id === ack.group_id && s.state === 'discussion');
    const tasks = (await call('GET', `/v1/groups/${ack.group_id}/tasks`, ADMIN_TOKEN)).body;
    expect(tasks[0]).toMatchObject({ id: task, state: 'completed', result: { task_conclusion: 'Itinerario revisado y corregido' } });

    ok(await coord.client.send(ack.group_id, 'conclusion', { summary: 'trip planned' }));
    await until('the goal to complete', async () => (await call('GET', `/v1/goals/${goal.id}`, ADMIN_TOKEN)).body.status === 'completed');
    expect((await call('GET', `/v1/goals/${goal.id}`, ADMIN_TOKEN)).body).toMatchObject({ status: 'completed', result: 'trip planned' });
    const contacts = (await call('GET', `/v1/agents/${coord.id}/contacts`, coord.token)).body;
    expect(contacts.map((c: any) => c.agent_id).sort()).toEqual([idOf('spanish-translator'), idOf('unit-converter'), idOf('sql-analyst')].sort());
    expect((await call('GET', `/v1/agents/${coord.id}/contacts`, translator.token)).status).toBe(403);
  });

  it('chooses a goal\'s coordinator only among agents that coordinate, and refuses naming one that does not', async () => {
    // The translator's card matches these words best, but only coordinator-bot coordinates: nothing of its card matches,
    // so the least busy online coordinator is taken.
    const byMeaning = (await call('POST', '/v1/goals', ADMIN_TOKEN, { goal: 'translate my messages into Spanish' })).body;
    expect(byMeaning).toMatchObject({ coordinator: idOf('coordinator-bot'), coordinator_choice: { by: 'available' } });
    const matched = (await call('POST', '/v1/goals', ADMIN_TOKEN, { goal: 'coordinate projects and teams' })).body;
    expect(matched).toMatchObject({ coordinator: idOf('coordinator-bot'), coordinator_choice: { by: 'search' } });
    expect((await call('POST', `/v1/goals/${matched.id}/cancel`, ADMIN_TOKEN)).status).toBe(200);
    const named = await call('POST', '/v1/goals', ADMIN_TOKEN, { goal: 'translate a menu', coordinator: idOf('spanish-translator') });
    expect(named.body.error).toMatchObject({ code: 'VALIDATION', message: `agent ${idOf('spanish-translator')} does not coordinate goals (its card says coordinates: false)` });
    expect((await call('POST', `/v1/goals/${byMeaning.id}/cancel`, ADMIN_TOKEN)).status).toBe(200);
  });

  it('moves to the next candidate when one declines', async () => {
    const coord = who.get('coordinator-bot')!;
    const ack = ok(await teamUp(coord, { goal: 'will it rain', team_members: [{ need: 'predict rain, temperature and wind for my city ten days ahead' }] }));
    const group = await coord.client.waitFor('turn', (t) => t.group_id === ack.group_id).then(() => call('GET', `/v1/groups/${ack.group_id}`, ADMIN_TOKEN));
    const decision = (await call('GET', `/v1/teams/${ack.group_id}/decision`, ADMIN_TOKEN)).body;
    expect(decision.needs[0].invites[0]).toMatchObject({ agent_id: idOf('weather-forecaster'), status: 'declined' });
    expect(decision.needs[0].invites[1].status).toBe('accepted');
    expect(group.body.members).toContain(decision.needs[0].invites[1].agent_id);
  });

  it('refuses bad team-ups with typed errors and creates nothing', async () => {
    const coord = who.get('coordinator-bot')!;
    const before = (await call('GET', '/v1/groups?limit=500', ADMIN_TOKEN)).body.total;
    expect((await teamUp(coord, { goal: '', team_members: [{ need: 'x' }] })).error.code).toBe('VALIDATION');
    expect((await teamUp(coord, { goal: 'g', team_members: [{ need: 'x', extra: 1 }] })).error.code).toBe('VALIDATION');
    expect((await teamUp(coord, { goal: 'g', team_members: [uuid()] })).error.code).toBe('NOT_FOUND');
    expect((await teamUp(coord, { goal: 'g', team_members: [{ need: 'zzqx flurbo wibble' }] })).error.code).toBe('NO_CANDIDATE');
    expect((await teamUp(coord, { goal: 'g', team_members: [coord.id] })).error.code).toBe('VALIDATION');
    expect((await teamUp(coord, { goal: 'g', parent_task_id: uuid(), team_members: [{ need: 'translate' }] })).error.code).toBe('NOT_FOUND');
    expect((await teamUp(coord, { goal: 'g', team_members: Array.from({ length: 20 }, () => ({ need: 'translate' })) })).error.code).toBe('VALIDATION');
    expect((await call('GET', '/v1/groups?limit=500', ADMIN_TOKEN)).body.total).toBe(before);
    expect((await coord.client.emit('invite_reply', { invite_id: uuid(), accept: true })).error.code).toBe('NOT_FOUND');
  });

  it('fails a team whose invitees never answer, when forming times out', async () => {
    const quiet = await population(server, ['quiet-astronomer'], { silent: ['quiet-astronomer'] });
    const coord = who.get('coordinator-bot')!;
    const ack = ok(await teamUp(coord, { goal: 'stargazing', team_members: [quiet.get('quiet-astronomer')!.id] }));
    await coord.client.waitFor('group_state', (s) => s.group_id === ack.group_id && s.state === 'closed', 10_000);
    expect((await call('GET', `/v1/groups/${ack.group_id}`, ADMIN_TOKEN)).body).toMatchObject({ state: 'closed', close_reason: 'failed' });
    quiet.get('quiet-astronomer')!.client.close();
  });

  it('lets the coordinator invite and remove members during discussion, and a member leave', async () => {
    const coord = who.get('coordinator-bot')!;
    const [a, b] = [who.get('translator')!, who.get('sql-analyst')!];
    const g = (await call('POST', '/v1/groups', ADMIN_TOKEN, { goal: 'reorganise', coordinator: coord.id, members: [a.id] })).body.id;
    expect((await call('POST', `/v1/groups/${g}/members`, a.token, { agent_id: b.id })).body.error.code).toBe('FORBIDDEN');
    const invited = await call('POST', `/v1/groups/${g}/members`, coord.token, { agent_id: b.id });
    expect(invited).toMatchObject({ status: 202, body: { group_id: g, agent_id: b.id, status: 'pending' } });
    const members = async () => (await call('GET', `/v1/groups/${g}`, ADMIN_TOKEN)).body.members;
    await until('the invitee to join', async () => (await members()).includes(b.id));
    expect(await members()).toEqual([coord.id, a.id, b.id]);
    expect((await call('POST', `/v1/groups/${g}/members`, coord.token, { agent_id: b.id })).status).toBe(409);
    expect((await call('DELETE', `/v1/groups/${g}/members/${b.id}`, a.token)).status).toBe(403);
    expect((await call('DELETE', `/v1/groups/${g}/members/${a.id}`, a.token)).body.members).toEqual([coord.id, b.id]);
    expect((await call('DELETE', `/v1/groups/${g}/members/${coord.id}`, coord.token)).body.error.code).toBe('VALIDATION');
    expect((await call('DELETE', `/v1/groups/${g}/members/${b.id}`, coord.token)).body.members).toEqual([coord.id]);
    const items = (await call('GET', `/v1/groups/${g}/messages`, coord.token)).body.items;
    expect(items.filter((m: any) => m.payload.event === 'member_invited').map((m: any) => m.payload)).toMatchObject([{ agent_id: b.id, by: coord.id, invite_id: invited.body.invite_id }]);
    const events = items.filter((m: any) => m.payload.event === 'members_changed');
    expect(events.map((m: any) => m.payload.text)).toEqual([`${b.id} joined`, `${a.id} left`, `${b.id} was removed`]);
    expect(events[0].payload).toMatchObject({ added: b.id, by: b.id, invite_id: invited.body.invite_id });
    expect((await call('GET', `/v1/groups/${g}`, a.token)).status).toBe(403);
  });

  it('answers a team_formation and its resend racing it with one ack and forms one team', async () => {
    const coord = who.get('coordinator-bot')!;
    const envelope = { header: { protocol: 'ioa/1', message_id: uuid(), type: 'team_formation' }, payload: { goal: 'translate a menu', team_members: [{ need: 'translate my messages into Spanish' }] } };
    const [first, resend] = await Promise.all([coord.client.emit('message', envelope), coord.client.emit('message', envelope)]);
    expect(ok(resend)).toEqual(ok(first));
    const groups = (await call('GET', '/v1/groups?limit=500', coord.token)).body.items.filter((g: any) => g.goal === 'translate a menu');
    expect(groups.map((g: any) => g.id)).toEqual([first.group_id]);
  });

  it('cancels a goal with every group under it', async () => {
    const coord = who.get('coordinator-bot')!;
    const goal = (await call('POST', '/v1/goals', ADMIN_TOKEN, { goal: 'cook dinner', coordinator: coord.id })).body;
    const ack = ok(await teamUp(coord, { goal: 'cook dinner', goal_id: goal.id, team_members: [{ need: 'suggest recipes from the ingredients I have' }] }));
    await coord.client.waitFor('turn', (t) => t.group_id === ack.group_id);
    const scoped = (await call('POST', '/v1/auth/observer-tokens', ADMIN_TOKEN, { scope: { goals: [goal.id] } })).body.token;
    expect((await call('GET', `/v1/groups/${ack.group_id}`, scoped)).status).toBe(200);
    expect((await call('GET', `/v1/goals/${goal.id}/tree`, scoped)).body[0].group_id).toBe(ack.group_id);
    // Its lists hold the goal and the goal's groups, and nothing else.
    expect((await call('GET', '/v1/groups', scoped)).body.items.map((g: any) => g.id)).toEqual([ack.group_id]);
    expect((await call('GET', '/v1/goals', scoped)).body.items.map((g: any) => g.id)).toEqual([goal.id]);
    expect((await call('POST', `/v1/goals/${goal.id}/cancel`, ADMIN_TOKEN)).body.status).toBe('canceled');
    expect((await call('GET', `/v1/groups/${ack.group_id}`, ADMIN_TOKEN)).body).toMatchObject({ state: 'closed', close_reason: 'canceled' });
  });
});

describe('a nested session survives a server restart (kill -9)', () => {
  const server = new TestServer({ env: { IOA_HEARTBEAT_MS: '100' } });
  let call: ReturnType<typeof api>;
  let who: Map<string, Scripted>;
  beforeAll(async () => {
    await server.start();
    call = api(server.url);
    who = await population(server, ['coordinator-bot', 'spanish-translator', 'grammar-checker', 'unit-converter']);
  });
  afterAll(async () => {
    for (const a of who?.values() ?? []) a.client.close();
    await server.dispose();
  });

  it('finishes the sub-team, the parent task and the goal after the restart', async () => {
    const coord = who.get('coordinator-bot')!;
    const translator = who.get('spanish-translator')!;
    const goal = (await call('POST', '/v1/goals', ADMIN_TOKEN, { goal: 'letters to Spain', coordinator: coord.id })).body;
    const root = ok(await teamUp(coord, { goal: 'letters to Spain', goal_id: goal.id, team_members: [translator.id] }));
    await coord.client.waitFor('turn', (t) => t.group_id === root.group_id);
    const { task_ids: [task] } = ok(await coord.client.send(root.group_id, 'task_assignment', {
      mode: 'sync', tasks: [{ task_desc: 'translate and proofread', task_abstract: 'letter', assignee: [translator.id] }],
    }));
    const child = ok(await teamUp(translator, { goal: 'proofread', parent_task_id: task, team_members: [who.get('grammar-checker')!.id] }));
    await translator.client.waitFor('turn', (t) => t.group_id === child.group_id);

    await server.stop('SIGKILL');
    await server.start();
    for (const a of who.values()) {
      a.client.close();
      a.client = new TestClient(server.url, a.token);
      await a.client.connected();
    }
    const tree = (await call('GET', `/v1/goals/${goal.id}/tree`, ADMIN_TOKEN)).body;
    expect(tree[0]).toMatchObject({ group_id: root.group_id, state: 'sync_task_assignment', children: [{ group_id: child.group_id, state: 'discussion', level: 1 }] });

    ok(await translator.client.emit('subscribe', { group_id: root.group_id }));
    ok(await translator.client.send(child.group_id, 'conclusion', { summary: 'Carta revisada' }));
    await translator.client.waitFor('group_state', (s) => s.group_id === root.group_id && s.state === 'discussion');
    ok(await coord.client.send(root.group_id, 'conclusion', { summary: 'letters sent' }));
    await until('the goal to complete', async () => (await call('GET', `/v1/goals/${goal.id}`, ADMIN_TOKEN)).body.status === 'completed');
    expect((await call('GET', `/v1/goals/${goal.id}`, ADMIN_TOKEN)).body).toMatchObject({ status: 'completed', result: 'letters sent' });
    const tasks = (await call('GET', `/v1/groups/${root.group_id}/tasks`, ADMIN_TOKEN)).body;
    expect(tasks[0]).toMatchObject({ state: 'completed', result: { task_conclusion: 'Carta revisada' } });
  });
});

describe('team formation across a restart (real server, kill -9)', () => {
  const server = new TestServer({ env: { IOA_INVITE_TIMEOUT_S: '3', IOA_FORMING_TIMEOUT_S: '60', IOA_HEARTBEAT_MS: '100' } });
  afterAll(() => server.dispose());

  it('moves a pending invite\'s deadline by the time the server was down', async () => {
    await server.start();
    const call = api(server.url);
    const who = await population(server, ['coordinator-bot', 'spanish-translator'], { silent: ['spanish-translator'] });
    const ack = ok(await teamUp(who.get('coordinator-bot')!, { goal: 'translate a letter', team_members: [{ need: 'translate my messages into Spanish' }] }));
    const invite = async () => (await call('GET', `/v1/teams/${ack.group_id}/decision`, ADMIN_TOKEN)).body.needs[0].invites[0];
    const before = await invite();
    expect(before.status).toBe('pending');
    await server.stop('SIGKILL');
    for (const a of who.values()) a.client.close();
    await new Promise((r) => setTimeout(r, 4000));
    await server.start();
    const after = await invite();
    expect(after.status).toBe('pending');
    expect(after.deadline - before.deadline).toBeGreaterThanOrEqual(3800);
  });
});
