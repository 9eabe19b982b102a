import { api } from './support/http';
import { ok, population, Scripted, teamUp } from './support/population';
import { ADMIN_TOKEN, TestServer } from './support/server';
import { until } from './support/until';

/**
 * A graph node under `policy: "reassign"`: its failure offers it to the next candidate for the need its assignee was
 * found for, invited into the group as team formation invites. Scripted agents on real sockets (they accept invites).
 */
describe('task graphs: the reassign policy (real server, real sockets, real SQLite file)', () => {
  const server = new TestServer({ env: { IOA_INVITE_TIMEOUT_S: '5', IOA_INVITES_PER_MINUTE: '100', IOA_INVITES_PER_PAIR_PER_MINUTE: '100' } });
  let call: ReturnType<typeof api>;
  let who: Map<string, Scripted>;
  const byId = (id: string) => [...who.values()].find((a) => a.id === id) as Scripted;
  const task = async (g: string, id: string) => (await call('GET', `/v1/groups/${g}/tasks`, ADMIN_TOKEN)).body.find((t: any) => t.id === id);
  const events = async (g: string, event: string) =>
    (await call('GET', `/v1/groups/${g}/messages`, ADMIN_TOKEN)).body.items.filter((m: any) => m.payload.event === event).map((m: any) => m.payload);

  beforeAll(async () => {
    await server.start();
    call = api(server.url);
    // Ranked for the need: spanish-translator, translator, subtitle-translator (which never answers an invite).
    who = await population(server, ['lead', 'spanish-translator', 'translator', 'subtitle-translator', 'weather-forecaster'], { silent: ['subtitle-translator'] });
  });
  afterAll(async () => {
    for (const a of who?.values() ?? []) a.client.close();
    await server.dispose();
  });

  /** A team formed by one need; the coordinator subscribed; the decision's ranked candidates. */
  async function team(goal: string): Promise<{ g: string; ranked: string[] }> {
    const lead = who.get('lead') as Scripted;
    const g = ok(await teamUp(lead, { goal, team_members: [{ need: 'translate a letter into Spanish' }] })).group_id;
    await until('the team to open', async () => (await call('GET', `/v1/groups/${g}`, ADMIN_TOKEN)).body.state === 'discussion');
    ok(await lead.client.emit('subscribe', { group_id: g }));
    const ranked = (await call('GET', `/v1/teams/${g}/decision`, lead.token)).body.needs[0].candidates.map((c: any) => c.agent_id);
    return { g, ranked };
  }
  const assign = async (g: string, assignee: string, extra: Record<string, unknown>, mode = 'sync') => ok(await (who.get('lead') as Scripted).client.send(g, 'task_assignment', {
    mode, tasks: [
      { key: 'translate', depends_on: [], task_desc: 'Translate the letter', task_abstract: 'translate', assignee: [assignee], policy: 'reassign', ...extra },
      { key: 'post', depends_on: ['translate'], task_desc: 'Post it', task_abstract: 'post', assignee: [(who.get('lead') as Scripted).id] },
    ],
  })).task_ids as string[];

  it('offers a declined node to the next candidate for its need, who joins, receives it and completes it', async () => {
    const { g, ranked } = await team('a letter to Madrid');
    expect(ranked.length).toBeGreaterThanOrEqual(2);
    const [first, second] = ranked.map(byId);
    const [translate, post] = await assign(g, first.id, {});
    await first.client.waitFor('task', (t) => t.id === translate && t.node_state === 'dispatched');
    ok(await first.client.send(g, 'task_reply', { task_id: translate, accept: false, reason: 'I only do subtitles today' }));

    const toSecond = await second.client.waitFor('task', (t) => t.id === translate && t.node_state === 'dispatched');
    expect(toSecond).toMatchObject({ assignee: [second.id], state: 'submitted', retries_left: 2, policy: 'reassign' });
    const invited = (await events(g, 'member_invited'))[0];
    expect(invited).toMatchObject({ agent_id: second.id, by: 'system', task_id: translate });
    const steps = await events(g, 'graph_step');
    expect(steps[1]).toMatchObject({ reassigning: [{ key: 'translate', task_id: translate }] });
    expect(steps[2]).toMatchObject({ dispatched: [{ key: 'translate', task_id: translate, assignee: [second.id] }] });
    expect((await call('GET', `/v1/groups/${g}`, ADMIN_TOKEN)).body.members).toContain(second.id);

    ok(await second.client.send(g, 'task_reply', { task_id: translate, accept: true }));
    ok(await second.client.send(g, 'task_result', { task_id: translate, status: 'completed', task_conclusion: 'Querida Ana…', task_abstract: 'carta traducida' }));
    const lead = who.get('lead') as Scripted;
    const toLead = await lead.client.waitFor('task', (t) => t.id === post && t.node_state === 'dispatched');
    expect(toLead.inputs).toMatchObject([{ key: 'translate', task_abstract: 'carta traducida' }]);
    ok(await lead.client.send(g, 'task_result', { task_id: post, status: 'completed', task_conclusion: 'posted', task_abstract: 'posted' }));
    expect((await lead.client.waitFor('message', (m) => m.header.group_id === g && m.payload.event === 'graph_settled')).payload.outcome).toBe('completed');
    // The first run stays in the node's history.
    const history = (await task(g, translate)).history.map((h: any) => [h.state, h.by]);
    expect(history).toEqual(expect.arrayContaining([['rejected', first.id], ['submitted', 'system'], ['completed', second.id]]));
  });

  it('fails the graph once no candidate is left for the need, or the node was given to a named agent', async () => {
    const { g, ranked } = await team('a second letter');
    const [translate] = await assign(g, ranked[0], { max_retries: 1 });
    ok(await byId(ranked[0]).client.send(g, 'task_reply', { task_id: translate, accept: false }));
    const next = byId(ranked[1]);
    await next.client.waitFor('task', (t) => t.id === translate && t.node_state === 'dispatched');
    ok(await next.client.send(g, 'task_result', { task_id: translate, status: 'failed', task_conclusion: 'no', task_abstract: 'no' }));
    await until('the graph to fail', async () => (await events(g, 'graph_settled')).length === 1);
    expect((await events(g, 'graph_settled'))[0]).toMatchObject({ outcome: 'failed', failed_at: 'translate' });

    // An admin's group names its members: no need to follow, so the failure stands at once.
    const lead = who.get('lead') as Scripted;
    const named = (await call('POST', '/v1/groups', ADMIN_TOKEN, { goal: 'named', coordinator: lead.id, members: [ranked[0]] })).body.id;
    ok(await lead.client.emit('subscribe', { group_id: named }));
    const [only] = await assign(named, ranked[0], {});
    ok(await byId(ranked[0]).client.send(named, 'task_reply', { task_id: only, accept: false }));
    await until('the named graph to fail', async () => (await events(named, 'graph_settled')).length === 1);
    expect((await task(named, only)).history.at(-1)).toMatchObject({ by: 'system', note: 'no further candidate for its need' });
  });

  it('lets the coordinator end a node\'s wait for an invitee (the invite withdrawn), and an admin give it to the invitee', async () => {
    /** A node whose third candidate (silent) has the invite: its first declined, its second joined and declined. */
    async function waiting(goal: string) {
      const { g, ranked } = await team(goal);
      // Async: the group is back in discussion, where an admin may add members.
      const [translate] = await assign(g, ranked[0], { max_retries: 3 }, 'async');
      ok(await byId(ranked[0]).client.send(g, 'task_reply', { task_id: translate, accept: false }));
      await byId(ranked[1]).client.waitFor('task', (t) => t.id === translate && t.node_state === 'dispatched');
      ok(await byId(ranked[1]).client.send(g, 'task_reply', { task_id: translate, accept: false }));
      const silent = byId(ranked[2]);
      const invite = await silent.client.waitFor('invite', (i) => i.group_id === g);
      expect((await task(g, translate)).node_state).toBe('ready');
      return { g, translate, silent, invite };
    }

    const canceled = await waiting('a third letter');
    ok(await (who.get('lead') as Scripted).client.send(canceled.g, 'task_cancel', { task_id: canceled.translate, reason: 'enough' }));
    await until('the graph to fail', async () => (await events(canceled.g, 'graph_settled')).length === 1);
    expect(await task(canceled.g, canceled.translate)).toMatchObject({ state: 'canceled', node_state: 'settled' });
    const late = await canceled.silent.client.emit('invite_reply', { invite_id: canceled.invite.invite_id, accept: true });
    expect([late.error?.code, (await call('GET', `/v1/groups/${canceled.g}`, ADMIN_TOKEN)).body.members]).toEqual(['CONFLICT', expect.not.arrayContaining([canceled.silent.id])]);

    const added = await waiting('a fourth letter');
    expect((await call('POST', `/v1/groups/${added.g}/members`, ADMIN_TOKEN, { agent_id: added.silent.id })).status).toBe(201);
    await added.silent.client.waitFor('task', (t) => t.id === added.translate && t.node_state === 'dispatched' && t.assignee[0] === added.silent.id);
  });
});
