import { IoAClient } from '@ioa/client';
import { api } from './support/http';
import { ok } from './support/population';
import { ADMIN_TOKEN, TestServer } from './support/server';
import { TestClient } from './support/socket';
import { until } from './support/until';

/**
 * Rollback acknowledgements: members whose card declares `rollback_ack` are asked; one that does not acknowledge in
 * time counts as a disconnected assignee until it does; the SDK acknowledges by itself; old clients are not asked.
 */
describe('rollback acknowledgements (real server, real sockets, real SQLite file)', () => {
  const server = new TestServer({ env: { IOA_ROLLBACK_ACK_S: '1' } });
  let call: ReturnType<typeof api>;
  const clients: Array<{ close(): void }> = [];
  const events = async (g: string, event: string) => (await call('GET', `/v1/groups/${g}/messages`, ADMIN_TOKEN)).body.items.filter((m: any) => m.payload.event === event);
  const task = async (g: string, id: string) => (await call('GET', `/v1/groups/${g}/tasks`, ADMIN_TOKEN)).body.find((t: any) => t.id === id);
  /** An agent registered by an admin with `features`, on a plain socket that acknowledges nothing by itself. */
  const agent = async (name: string, features?: string[]) => {
    const r = (await call('POST', '/v1/agents', ADMIN_TOKEN, { name, description: `${name} test agent`, capabilities: [], ...(features ? { features } : {}) })).body;
    const client = new TestClient(server.url, r.token);
    await client.connected();
    clients.push(client);
    return { id: r.agent.id as string, client, features: r.agent.features as string[] };
  };

  beforeAll(async () => {
    await server.start();
    call = api(server.url);
  });
  afterAll(async () => {
    clients.forEach((c) => c.close());
    await server.dispose();
  });

  it('suspends the tasks of a member that declared rollback_ack and did not acknowledge in time, until it does; others are not asked', async () => {
    const [c, acker, old] = [await agent('ack-coord'), await agent('ack-member', ['rollback_ack']), await agent('old-member')];
    expect([acker.features, old.features]).toEqual([['rollback_ack'], []]);
    const { token } = (await call('POST', '/v1/auth/enrollments', ADMIN_TOKEN, { max_uses: 1 })).body;
    const sdk = await IoAClient.connect({ url: server.url, enrollment: { token, card: { name: 'sdk-member', description: 'an SDK agent', capabilities: [] } } });
    clients.push(sdk);
    expect((await call('GET', `/v1/agents/${sdk.agentId}`, ADMIN_TOKEN)).body.features).toEqual(['rollback_ack']);

    const g = (await call('POST', '/v1/groups', ADMIN_TOKEN, { coordinator: c.id, goal: 'undo me', members: [acker.id, old.id, sdk.agentId] })).body.id;
    const [t1] = ok(await c.client.send(g, 'task_assignment', { mode: 'async', tasks: [{ task_desc: 'draft', task_abstract: 'draft', assignee: [acker.id] }] })).task_ids;
    ok(await acker.client.send(g, 'task_reply', { task_id: t1, accept: true }));
    const checkpoint = (await call('POST', `/v1/groups/${g}/checkpoints`, ADMIN_TOKEN)).body;
    ok(await acker.client.send(g, 'task_result', { task_id: t1, status: 'completed', task_conclusion: 'v1', task_abstract: 'v1' }));

    const rolled = await call('POST', `/v1/groups/${g}/rollback`, ADMIN_TOKEN, { checkpoint_id: checkpoint.id });
    expect(rolled.body.acks).toMatchObject({ from: expect.arrayContaining([acker.id, sdk.agentId]), deadline: expect.any(String) });
    expect(rolled.body.acks.from).not.toContain(old.id);
    expect(await acker.client.waitFor('rollback', (e) => e.checkpoint_id === checkpoint.id)).toMatchObject({ acks: { from: expect.arrayContaining([acker.id]) } });

    // The SDK acknowledged at once; the plain socket did not, and its restored task is suspended once the second passes.
    await until('the ack deadline to pass', async () => (await events(g, 'rollback_unacknowledged')).length === 1);
    expect((await events(g, 'rollback_unacknowledged'))[0].payload).toMatchObject({ checkpoint_id: checkpoint.id, agents: [acker.id] });
    expect(await task(g, t1)).toMatchObject({ state: 'suspended' });

    // Acknowledging late resumes it; acknowledging again, or a rollback that did not ask, changes nothing.
    expect(await acker.client.emit('rollback_ack', { group_id: g, checkpoint_id: checkpoint.id })).toMatchObject({ ok: true, group_id: g });
    expect(await task(g, t1)).toMatchObject({ state: 'submitted' });
    expect(await acker.client.emit('rollback_ack', { group_id: g, checkpoint_id: checkpoint.id })).toMatchObject({ ok: true });
    expect(await old.client.emit('rollback_ack', { group_id: g, checkpoint_id: 'no-such-checkpoint' })).toMatchObject({ ok: true });
    expect((await events(g, 'task_resumed')).map((m: any) => m.payload.task_id)).toEqual([t1]);
    // Not a member: refused.
    const stranger = await agent('ack-stranger', ['rollback_ack']);
    expect((await stranger.client.emit('rollback_ack', { group_id: g, checkpoint_id: checkpoint.id })).error.code).toBe('NOT_MEMBER');
  });

  it('sends the rollback again to a member that missed it, once it connects, until it acknowledges; a second rollback keeps the late late', async () => {
    const [c, away] = [await agent('ack-coord-2'), await agent('ack-away', ['rollback_ack'])];
    const g = (await call('POST', '/v1/groups', ADMIN_TOKEN, { coordinator: c.id, goal: 'undo me twice', members: [away.id] })).body.id;
    const [t1] = ok(await c.client.send(g, 'task_assignment', { mode: 'async', tasks: [{ task_desc: 'draft', task_abstract: 'draft', assignee: [away.id] }] })).task_ids;
    const first = (await call('POST', `/v1/groups/${g}/checkpoints`, ADMIN_TOKEN)).body;
    ok(await away.client.send(g, 'task_reply', { task_id: t1, accept: true }));
    away.client.close();
    const rolled = (await call('POST', `/v1/groups/${g}/rollback`, ADMIN_TOKEN, { checkpoint_id: first.id })).body;
    expect(rolled.acks.from).toEqual([away.id]);
    await until('the member to be late', async () => (await events(g, 'rollback_unacknowledged')).length === 1);

    // A second rollback asks again; the late member stays late meanwhile, its task suspended.
    const second = (await call('POST', `/v1/groups/${g}/checkpoints`, ADMIN_TOKEN)).body;
    expect((await call('POST', `/v1/groups/${g}/rollback`, ADMIN_TOKEN, { checkpoint_id: second.id })).body.acks.from).toEqual([away.id]);
    expect(await task(g, t1)).toMatchObject({ state: 'suspended' });

    // Connecting again, it is sent the rollback it owes, and acknowledging it resumes its task for good.
    const token = (await call('POST', `/v1/agents/${away.id}/tokens`, ADMIN_TOKEN)).body.token;
    const back = new TestClient(server.url, token);
    clients.push(back);
    await back.connected();
    const owed = await back.waitFor('rollback', (e) => e.group_id === g);
    expect(owed).toMatchObject({ checkpoint_id: second.id, acks: { from: [away.id] } });
    expect(await back.emit('rollback_ack', { group_id: g, checkpoint_id: second.id })).toMatchObject({ ok: true });
    await until('the task to resume', async () => (await task(g, t1)).state !== 'suspended');
    expect(await task(g, t1)).toMatchObject({ state: 'submitted' });
    expect((await call('GET', `/v1/groups/${g}/messages`, ADMIN_TOKEN)).body.items.filter((m: any) => m.payload.event === 'rollback_unacknowledged')).toHaveLength(1);
  });
});
