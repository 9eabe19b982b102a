import { api } from './support/http';
import { ok, population, Scripted, teamUp } from './support/population';
import { ADMIN_TOKEN, TestServer } from './support/server';
import { TestClient } from './support/socket';

/**
 * `goal_changed` reaches the people watching goals — admins and observers whose scope names the goal — as a goal is
 * submitted, gets its team and settles, and nobody else (real server, sockets on loopback).
 */
describe('goal_changed (real server on loopback)', () => {
  const server = new TestServer();
  const sockets: TestClient[] = [];
  let who: Map<string, Scripted>;
  const connect = async (token: string) => {
    const s = new TestClient(server.url, token);
    sockets.push(s);
    await s.connected();
    return s;
  };

  beforeAll(async () => {
    await server.start();
    who = await population(server, ['events-planner', 'spanish-translator']);
  });
  afterAll(async () => {
    sockets.forEach((s) => s.close());
    for (const a of who?.values() ?? []) a.client.close();
    await server.dispose();
  });

  it('follows a goal from submitted to running to canceled, for its watchers only', async () => {
    const call = api(server.url);
    const planner = who.get('events-planner')!;
    const admin = await connect(ADMIN_TOKEN);
    const goal = (await call('POST', '/v1/goals', ADMIN_TOKEN, { goal: 'write to Madrid', coordinator: planner.id })).body;
    await admin.waitFor('goal_changed', (g) => g.id === goal.id && g.status === 'pending');

    const observer = await connect((await call('POST', '/v1/auth/observer-tokens', ADMIN_TOKEN, { scope: { goals: [goal.id] } })).body.token);
    const elsewhere = await connect((await call('POST', '/v1/auth/observer-tokens', ADMIN_TOKEN, { scope: { goals: ['another-goal'] } })).body.token);
    ok(await teamUp(planner, { goal: goal.goal, goal_id: goal.id, team_members: [who.get('spanish-translator')!.id] }));
    for (const s of [admin, observer]) {
      expect(await s.waitFor('goal_changed', (g) => g.id === goal.id && g.status === 'running')).toMatchObject({ coordinator: planner.id, root_group_id: expect.any(String) });
    }
    await call('POST', `/v1/goals/${goal.id}/cancel`, ADMIN_TOKEN);
    for (const s of [admin, observer]) await s.waitFor('goal_changed', (g) => g.id === goal.id && g.status === 'canceled');

    expect(elsewhere.of('goal_changed')).toEqual([]);
    expect(planner.client.of('goal_changed')).toEqual([]); // agents follow their goals through `goal` and `goal_update`
    expect(observer.of('goal_changed').map((g) => g.status)).toEqual(['running', 'canceled']);
  });
});
