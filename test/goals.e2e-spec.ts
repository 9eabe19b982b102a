import { api } from './support/http';
import { ok, population, Scripted, teamUp } from './support/population';
import { ADMIN_TOKEN, TestServer } from './support/server';
import { TestClient } from './support/socket';
import { until } from './support/until';

/**
 * A goal never waits on a coordinator forever: each coordinator has the goal's accept timeout to form the root team,
 * then the goal passes to the next online coordinator, and fails with the reason once none is left. The coordinators
 * here are scripted sockets that take a goal up only when the test says so.
 */
describe('goals that cannot hang (real server, scripted agents on loopback)', () => {
  const server = new TestServer();
  let call: ReturnType<typeof api>;
  let who: Map<string, Scripted>;
  const get = (name: string) => who.get(name)!;
  const goal = async (id: string) => (await call('GET', `/v1/goals/${id}`, ADMIN_TOKEN)).body;
  const settled = (id: string) => until(`goal ${id} to leave pending`, async () => ((await goal(id)).status === 'pending' ? undefined : goal(id)), 10_000);

  beforeAll(async () => {
    await server.start();
    call = api(server.url);
    // Names that are not fixture agents register as coordinators; spanish-translator does not coordinate.
    who = await population(server, ['planner-one', 'planner-two', 'spanish-translator', 'grammar-checker'], { silent: ['grammar-checker'] });
  });
  afterAll(async () => {
    for (const a of who?.values() ?? []) a.client.close();
    await server.dispose();
  });

  it('passes a goal its coordinator does not take up to the next coordinator, then fails it naming both', async () => {
    const submitted = (await call('POST', '/v1/goals', ADMIN_TOKEN, { goal: 'organise a reading club', accept_timeout_s: 1 })).body;
    expect(submitted).toMatchObject({ status: 'pending', accept_timeout_s: 1, accept_deadline: expect.any(String), handovers: [] });
    const first = submitted.coordinator;
    const second = [get('planner-one'), get('planner-two')].find((p) => p.id !== first)!;
    const event = await second.client.waitFor('goal', (g) => g.goal_id === submitted.id, 10_000);
    expect(Date.parse(event.accept_deadline)).toBeGreaterThan(Date.parse(submitted.accept_deadline));

    const failed = await settled(submitted.id);
    expect(failed).toMatchObject({ status: 'failed', coordinator: second.id, accept_deadline: null });
    expect(failed.reason).toBe(`no coordinator formed a team in time (tried ${first}, ${second.id}, each for 1 s)`);
    expect(failed.handovers).toEqual([{ from: first, to: second.id, at: expect.any(String), reason: `${first} did not form a team within 1 s` }]);
    // Each coordinator hears that the goal left it: passed on, then failed.
    const firstClient = [get('planner-one'), get('planner-two')].find((p) => p.id === first)!.client;
    expect(await firstClient.waitFor('goal_update', (e) => e.goal_id === submitted.id)).toMatchObject({ status: 'pending', coordinator: second.id, handovers: [{ from: first }] });
    expect(await second.client.waitFor('goal_update', (e) => e.goal_id === submitted.id)).toMatchObject({ status: 'failed', coordinator: second.id, reason: failed.reason });
  });

  it('fails a goal whose named coordinator does not form its team, without passing it on', async () => {
    const one = get('planner-one');
    const submitted = (await call('POST', '/v1/goals', ADMIN_TOKEN, { goal: 'write a newsletter', coordinator: one.id, accept_timeout_s: 1 })).body;
    const failed = await settled(submitted.id);
    expect(failed).toMatchObject({ status: 'failed', coordinator: one.id, handovers: [], reason: `no coordinator formed a team in time (${one.id} did not form a team within 1 s)` });
  });

  it('keeps a goal whose coordinator forms its team in time; the coordinator it passed from may no longer form one', async () => {
    const [one, two, translator] = [get('planner-one'), get('planner-two'), get('spanish-translator')];
    const kept = (await call('POST', '/v1/goals', ADMIN_TOKEN, { goal: 'translate a menu', coordinator: one.id, accept_timeout_s: 2 })).body;
    ok(await teamUp(one, { goal: kept.goal, goal_id: kept.id, team_members: [translator.id] }));
    expect(await goal(kept.id)).toMatchObject({ status: 'running', accept_deadline: null });
    await new Promise((r) => setTimeout(r, 2500));
    expect(await goal(kept.id)).toMatchObject({ status: 'running', coordinator: one.id, handovers: [] });

    const passed = (await call('POST', '/v1/goals', ADMIN_TOKEN, { goal: 'organise a reading club', accept_timeout_s: 1 })).body;
    const from = passed.coordinator === one.id ? one : two;
    await until('the hand-over', async () => (await goal(passed.id)).handovers.length === 1, 10_000);
    const late = await teamUp(from, { goal: passed.goal, goal_id: passed.id, team_members: [translator.id] });
    expect(late.error).toMatchObject({ code: 'FORBIDDEN', message: "only the goal's coordinator forms its root team" });
  });

  it('sends an agent what it still owes on reconnect (goal, invite, turn, task) and after a subscribe (turn, tasks)', async () => {
    const [lead, worker, quiet, away] = [get('planner-two'), get('spanish-translator'), get('grammar-checker'), get('planner-one')];
    const reconnect = async (a: Scripted) => {
      a.client.close();
      a.client = new TestClient(server.url, a.token);
      await a.client.connected();
      return a.client;
    };
    const pending = (await call('POST', '/v1/goals', ADMIN_TOKEN, { goal: 'plan a picnic', coordinator: away.id, accept_timeout_s: 600 })).body;
    const group = (await call('POST', '/v1/groups', ADMIN_TOKEN, { goal: 'owe things', coordinator: lead.id, members: [worker.id] })).body.id;
    const invite = (await call('POST', `/v1/groups/${group}/members`, lead.token, { agent_id: quiet.id })).body;
    const { task_ids: [task] } = ok(await lead.client.send(group, 'task_assignment', { mode: 'async', tasks: [{ task_desc: 'translate', task_abstract: 'menu', assignee: [worker.id] }] }));
    const seq = (await call('GET', `/v1/groups/${group}`, ADMIN_TOKEN)).body.seq;

    expect(await (await reconnect(away)).waitFor('goal', (g) => g.goal_id === pending.id)).toMatchObject({ goal: 'plan a picnic', accept_deadline: pending.accept_deadline });
    const q = await reconnect(quiet);
    expect(await q.waitFor('invite', (i) => i.invite_id === invite.invite_id)).toMatchObject({ group_id: group, from: lead.id, need: null });
    const l = await reconnect(lead);
    expect(await l.waitFor('turn', (t) => t.group_id === group)).toEqual({ group_id: group, holders: [lead.id], deadline: expect.any(String), seq });
    const w = await reconnect(worker);
    expect(await w.waitFor('task', (t) => t.id === task)).toMatchObject({ group_id: group, state: 'submitted', assignee: [worker.id] });
    expect(w.of('turn')).toEqual([]);

    ok(await w.emit('subscribe', { group_id: group }));
    await w.waitFor('replayed', (r) => r.group_id === group);
    // After `replayed`: the open task again (on reconnect it came twice: resumed from its suspension, and owed).
    const afterReplay = () => w.events.slice(w.events.findIndex((e) => e.event === 'replayed') + 1);
    await until('the task again, after the replay', () => afterReplay().some((e) => e.event === 'task' && e.data.id === task));
    expect((await call('POST', `/v1/goals/${pending.id}/cancel`, ADMIN_TOKEN)).status).toBe(200);
  });
});
