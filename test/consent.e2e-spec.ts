import { api } from './support/http';
import { ok, population, Scripted, teamUp } from './support/population';
import { ADMIN_TOKEN, TestServer } from './support/server';
import { until } from './support/until';

/**
 * Membership by another agent's choice is consented: an agent that names others (creating a group, adding a member)
 * invites them, and only an admin adds members directly. Scripted agents on real sockets answer the invites.
 */
describe('consented membership (real server, scripted agents on loopback)', () => {
  const server = new TestServer({ env: { IOA_INVITE_TIMEOUT_S: '2', IOA_FORMING_TIMEOUT_S: '6' } });
  let call: ReturnType<typeof api>;
  let who: Map<string, Scripted>;
  const get = (name: string) => who.get(name)!;
  const group = async (id: string) => (await call('GET', `/v1/groups/${id}`, ADMIN_TOKEN)).body;
  const events = async (id: string, event: string) =>
    (await call('GET', `/v1/groups/${id}/messages`, ADMIN_TOKEN)).body.items.filter((m: any) => m.payload.event === event).map((m: any) => m.payload);

  beforeAll(async () => {
    await server.start();
    call = api(server.url);
    const names = ['coordinator-bot', 'attacker', 'spanish-translator', 'weather-forecaster', 'grammar-checker', 'unit-converter', 'sql-analyst'];
    who = await population(server, names, {
      decline: ['weather-forecaster', 'grammar-checker'], silent: ['unit-converter'],
    });
  });
  afterAll(async () => {
    for (const a of who?.values() ?? []) a.client.close();
    await server.dispose();
  });

  it('an agent naming others in POST /v1/groups invites them: the group forms, then opens with whoever accepted', async () => {
    const coord = get('coordinator-bot');
    const [yes, no] = [get('spanish-translator'), get('weather-forecaster')];
    const created = await call('POST', '/v1/groups', coord.token, { goal: 'a letter to Madrid', members: [yes.id, no.id, yes.id, coord.id], turn_timeout_s: 77, max_turns: 9 });
    expect(created).toMatchObject({ status: 201, body: { state: 'forming', coordinator: coord.id, members: [coord.id], max_turns: 9, options: { turn_timeout_s: 77 } } });
    const id = created.body.id;
    await coord.client.waitFor('turn', (t) => t.group_id === id);
    expect(await group(id)).toMatchObject({ state: 'discussion', members: [coord.id, yes.id], turn: { holders: [coord.id] } });
    const decision = (await call('GET', `/v1/teams/${id}/decision`, coord.token)).body;
    expect(decision.needs.map((n: any) => [n.candidates[0].agent_id, n.invites[0].status])).toEqual([[yes.id, 'accepted'], [no.id, 'declined']]);
    const history = (await call('GET', `/v1/groups/${id}/messages`, coord.token)).body.items;
    expect(history[0]).toMatchObject({ header: { type: 'team_formation', sender: coord.id }, payload: { goal: 'a letter to Madrid', team_members: [yes.id, no.id] } });
  });

  it('refuses another coordinator, unknown agents and bad bodies from an agent, and creates nothing', async () => {
    const coord = get('coordinator-bot');
    const before = (await call('GET', '/v1/groups?limit=100', ADMIN_TOKEN)).body.total;
    const other = get('spanish-translator').id;
    expect((await call('POST', '/v1/groups', coord.token, { goal: 'x', coordinator: other, members: [coord.id] })).body.error.code).toBe('FORBIDDEN');
    expect((await call('POST', '/v1/groups', coord.token, { goal: 'x', members: ['no-such-agent'] })).status).toBe(404);
    expect((await call('POST', '/v1/groups', coord.token, { goal: '', members: [other] })).status).toBe(400);
    expect((await call('GET', '/v1/groups?limit=100', ADMIN_TOKEN)).body.total).toBe(before);
    // Naming nobody else needs nobody's consent: the group opens at once with its creator alone.
    expect((await call('POST', '/v1/groups', coord.token, { goal: 'think alone', members: [coord.id] })).body).toMatchObject({ state: 'discussion', members: [coord.id] });
  });

  it('never makes an agent a member by someone else\'s choice: a silent victim stays out and findable, an accepting one stops at max_concurrent_groups', async () => {
    const [attacker, silent, eager] = [get('attacker'), get('unit-converter'), get('sql-analyst')];
    expect((await call('PATCH', `/v1/agents/${eager.id}`, ADMIN_TOKEN, { max_concurrent_groups: 2 })).status).toBe(200);
    const spam = async (victim: Scripted) => {
      const out = [];
      for (let i = 0; i < 6; i++) out.push((await call('POST', '/v1/groups', attacker.token, { goal: `trap ${i}`, members: [victim.id] })).body);
      return out;
    };
    const [atSilent, atEager] = [await spam(silent), await spam(eager)];
    // Three invites per requester and agent a minute (IOA_INVITES_PER_MINUTE 30, a tenth to one agent): the rest are
    // not sent, and a team with no invite out fails at once.
    expect(atSilent.map((g) => g.state)).toEqual(['forming', 'forming', 'forming', 'closed', 'closed', 'closed']);
    const spent = (await call('GET', `/v1/teams/${atSilent[3].id}/decision`, attacker.token)).body.needs[0].invites[0];
    expect(spent).toMatchObject({ status: 'expired', reason: 'invite rate limit (requester → agent)' });

    const membersOf = async (agentId: string) => (await call('GET', '/v1/groups?limit=100', ADMIN_TOKEN)).body.items
      .filter((g: any) => g.state !== 'closed' && g.members.includes(agentId)).length;
    await until('the traps to settle', async () => (await Promise.all([...atSilent, ...atEager].map((g) => group(g.id)))).every((g) => g.state !== 'forming'), 20_000);
    expect(await membersOf(silent.id)).toBe(0);
    expect(await membersOf(eager.id)).toBe(2);
    const third = (await call('GET', `/v1/teams/${atEager[2].id}/decision`, attacker.token)).body.needs[0].invites[0];
    expect(third.status).toBe('expired');

    // Still findable: a team by need reaches the silent victim, which nobody could fill up.
    const ack = ok(await teamUp(get('coordinator-bot'), { goal: 'distances', team_members: [{ need: 'convert miles into kilometres' }] }));
    expect(ack.candidates[0].agent_id).toBe(silent.id);
  });

  it('the coordinator invites into an open group; the answer joins or is announced, and each refusal has its code', async () => {
    const coord = get('coordinator-bot');
    const [member, decliner, silent] = [get('spanish-translator'), get('grammar-checker'), get('unit-converter')];
    const id = (await call('POST', '/v1/groups', ADMIN_TOKEN, { goal: 'open invites', coordinator: coord.id, members: [member.id] })).body.id;
    const invite = (agent: Scripted, by = coord) => call('POST', `/v1/groups/${id}/members`, by.token, { agent_id: agent.id });

    expect((await invite(decliner, member)).body.error.code).toBe('FORBIDDEN');
    expect((await invite(decliner, get('attacker'))).body.error.code).toBe('NOT_MEMBER');
    expect((await invite(member)).status).toBe(409);
    expect((await invite(decliner)).status).toBe(202);
    await until('the decline to be announced', async () => (await events(id, 'invite_declined')).length === 1);
    expect((await events(id, 'invite_declined'))[0]).toMatchObject({ agent_id: decliner.id, reason: 'busy' });

    const pending = await invite(silent);
    expect(pending.status).toBe(202);
    expect((await invite(silent)).body.error).toMatchObject({ code: 'CONFLICT', message: `${silent.id} already has a pending invite to this group` });
    await until('the silence to be announced', async () => (await events(id, 'invite_declined')).length === 2, 10_000);
    expect((await events(id, 'invite_declined'))[1]).toMatchObject({ agent_id: silent.id, invite_id: pending.body.invite_id, reason: 'did not answer in time' });
    expect((await call('GET', `/v1/groups/${id}`, ADMIN_TOKEN)).body.members).toEqual([coord.id, member.id]);

    // The same pair's budget (IOA_INVITES_PER_PAIR_PER_MINUTE, a tenth of 30) is spent after three invites a minute.
    expect((await invite(decliner)).status).toBe(202);
    await until('the second decline', async () => (await events(id, 'invite_declined')).length === 3);
    expect((await invite(decliner)).status).toBe(202);
    await until('the third decline', async () => (await events(id, 'invite_declined')).length === 4);
    expect((await invite(decliner)).body.error).toMatchObject({ code: 'RATE_LIMITED', message: expect.stringContaining('invite rate limit (requester → agent)') });

    ok(await coord.client.send(id, 'task_assignment', { mode: 'sync', tasks: [{ task_desc: 'd', task_abstract: 'x', assignee: [member.id] }] }));
    expect((await invite(get('sql-analyst'))).body.error.code).toBe('ILLEGAL_IN_STATE');
  });
});
