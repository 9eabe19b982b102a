import { fleet, TestAgent } from './support/fleet';
import { api } from './support/http';
import { ok } from './support/population';
import { ADMIN_TOKEN, TestServer } from './support/server';
import { TestClient } from './support/socket';
import { until } from './support/until';

/** A task graph across kill -9: its waiting retry and approvals' expiry fire once after the restart, and the graph completes. */
describe('task graphs across kill -9 (real server, real SQLite file)', () => {
  const server = new TestServer({ env: { IOA_HEARTBEAT_MS: '100' } });
  let call: ReturnType<typeof api>;
  let c: TestAgent, a: TestAgent;
  const messages = async (g: string) => (await call('GET', `/v1/groups/${g}/messages`, ADMIN_TOKEN)).body.items;
  /** kill -9, a start on the same data dir, and both agents connected again. */
  const crashAndRestart = async () => {
    await server.stop('SIGKILL');
    await server.start();
    call = api(server.url);
    for (const x of [c, a]) {
      x.client.close();
      x.client = new TestClient(server.url, x.token);
      await x.client.connected();
    }
  };
  const node = async (g: string, id: string) => (await call('GET', `/v1/groups/${g}/tasks`, ADMIN_TOKEN)).body.find((t: any) => t.id === id);

  beforeAll(async () => {
    await server.start();
    call = api(server.url);
    [c, a] = await fleet(server, ['coord', 'alice']);
  });
  afterAll(async () => {
    for (const x of [c, a]) x?.client.close();
    await server.dispose();
  });

  it('keeps a node waiting to run again across a crash: its retry fires once, then the graph goes on to the end', async () => {
    const g = (await call('POST', '/v1/groups', ADMIN_TOKEN, { coordinator: c.id, goal: 'crash mid-graph', members: [a.id] })).body.id;
    const [first, second] = ok(await c.client.send(g, 'task_assignment', { mode: 'sync', tasks: [
      { key: 'fetch', depends_on: [], task_desc: 'Fetch', task_abstract: 'fetch', assignee: [a.id], policy: 'retry', max_retries: 1, retry_delay_s: 2 },
      { key: 'use', depends_on: ['fetch'], task_desc: 'Use it', task_abstract: 'use', assignee: [a.id] },
    ] })).task_ids;
    await a.client.waitFor('task', (t) => t.id === first);
    ok(await a.client.send(g, 'task_result', { task_id: first, status: 'failed', task_conclusion: 'timeout upstream', task_abstract: 'failed' }));
    expect(await node(g, first)).toMatchObject({ node_state: 'ready', retries_left: 0 });

    await crashAndRestart();
    // The retry fires after the restart (its wait discounted by the downtime), once.
    await a.client.waitFor('task', (t) => t.id === first && t.node_state === 'dispatched', 15_000);
    ok(await a.client.send(g, 'task_result', { task_id: first, status: 'completed', task_conclusion: 'fetched', task_abstract: 'fetched' }));
    await a.client.waitFor('task', (t) => t.id === second && t.node_state === 'dispatched');
    ok(await a.client.send(g, 'task_result', { task_id: second, status: 'completed', task_conclusion: 'used', task_abstract: 'used' }));
    await until('the graph to complete', async () => (await messages(g)).some((m: any) => m.payload.event === 'graph_settled'));

    const events = (await messages(g)).filter((m: any) => m.header.type === 'system').map((m: any) => m.payload);
    expect(events.filter((p: any) => p.event === 'graph_step' && p.dispatched.some((d: any) => d.key === 'fetch' && d.retries_left === 0))).toHaveLength(1);
    expect(events.find((p: any) => p.event === 'graph_settled')).toMatchObject({ outcome: 'completed' });
    expect((await call('GET', `/v1/groups/${g}`, ADMIN_TOKEN)).body.state).toBe('discussion');
    expect((await call('GET', `/v1/groups/${g}/checkpoints`, ADMIN_TOKEN)).body.every((x: any) => x.verified)).toBe(true);
  });

  it('keeps pending approvals across a crash: one is decided after the restart, the other expires once, the graph completes', async () => {
    const g = (await call('POST', '/v1/groups', ADMIN_TOKEN, { coordinator: c.id, goal: 'crash with approvals pending', members: [a.id] })).body.id;
    const [approve, lapse, ship] = ok(await c.client.send(g, 'task_assignment', { mode: 'sync', tasks: [
      { key: 'approve', depends_on: [], kind: 'approval', task_desc: 'Approve the spend', task_abstract: 'approve the spend' },
      { key: 'lapse', depends_on: [], kind: 'approval', task_desc: 'Optional sign-off', task_abstract: 'sign-off', expires_in_s: 3, policy: 'skip' },
      { key: 'ship', depends_on: ['approve'], task_desc: 'Ship it', task_abstract: 'ship', assignee: [a.id] },
    ] })).task_ids;
    await until('both approvals to wait', async () => (await call('GET', '/v1/approvals', ADMIN_TOKEN)).body.filter((x: any) => x.group_id === g).length === 2);

    await crashAndRestart();
    expect((await call('GET', `/v1/approvals/${approve}`, ADMIN_TOKEN)).body.state).toBe('pending');
    expect((await call('POST', `/v1/approvals/${approve}`, ADMIN_TOKEN, { decision: 'approve' })).body.state).toBe('approved');
    await a.client.waitFor('task', (t) => t.id === ship && t.node_state === 'dispatched', 15_000);
    ok(await a.client.send(g, 'task_result', { task_id: ship, status: 'completed', task_conclusion: 'shipped', task_abstract: 'shipped' }));
    await until('the graph to complete', async () => (await messages(g)).some((m: any) => m.payload.event === 'graph_settled'));

    const events = (await messages(g)).filter((m: any) => m.header.type === 'system').map((m: any) => m.payload);
    expect(events.filter((p: any) => p.event === 'approval_decided').map((p: any) => [p.key, p.decision])).toEqual(expect.arrayContaining([['approve', 'approved'], ['lapse', 'expired']]));
    expect(events.filter((p: any) => p.event === 'approval_decided' && p.key === 'lapse')).toHaveLength(1);
    expect(events.find((p: any) => p.event === 'graph_settled')).toMatchObject({ outcome: 'completed' });
    expect((await call('GET', `/v1/approvals/${lapse}`, ADMIN_TOKEN)).body.state).toBe('expired');
    expect((await call('GET', `/v1/groups/${g}/checkpoints`, ADMIN_TOKEN)).body.filter((x: any) => x.reason === 'approval')).toHaveLength(1);
  });
});
