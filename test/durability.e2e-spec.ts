import { randomUUID } from 'node:crypto';
import { fleet, TestAgent } from './support/fleet';
import { api } from './support/http';
import { ADMIN_TOKEN, TestServer } from './support/server';
import { TestClient } from './support/socket';

const ok = (ack: any) => {
  if (!ack.ok) throw new Error(JSON.stringify(ack.error));
  return ack;
};
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('durability: kill -9 and restart mid-session (real server, real SQLite file)', () => {
  const server = new TestServer({ env: { IOA_HEARTBEAT_MS: '100' } });
  let call: ReturnType<typeof api>;
  let c: TestAgent, a: TestAgent;

  beforeAll(async () => {
    await server.start();
    call = api(server.url);
    [c, a] = await fleet(server, ['coord', 'alice']);
  });
  afterAll(async () => {
    c?.client.close();
    a?.client.close();
    await server.dispose();
  });

  async function reconnect(): Promise<void> {
    for (const x of [c, a]) {
      x.client.close();
      x.client = new TestClient(server.url, x.token);
      await x.client.connected();
    }
  }
  const group = async (id: string) => (await call('GET', `/v1/groups/${id}`, ADMIN_TOKEN)).body;
  const tasks = async (id: string) => (await call('GET', `/v1/groups/${id}/tasks`, ADMIN_TOKEN)).body;

  it('resumes pause_and_trigger with its turn, tasks and deadlines, discounting the downtime, and finishes', async () => {
    const g = (await call('POST', '/v1/groups', ADMIN_TOKEN, { coordinator: c.id, goal: 'survive a crash', members: [a.id] })).body.id;
    const talk = randomUUID();
    const first = ok(await c.client.send(g, 'discussion', { content: 'starting', next_speaker: [c.id] }, talk));
    const { task_ids: [t] } = ok(await c.client.send(g, 'task_assignment', {
      mode: 'async', tasks: [{ task_desc: 'fetch data', task_abstract: 'fetch', assignee: [a.id], deadline_s: 30 }],
    }));
    ok(await c.client.send(g, 'pause_and_trigger', { triggers: [t] }));
    const before = await group(g);
    const deadlineBefore = Date.parse((await tasks(g))[0].deadline);
    expect(before.state).toBe('pause_and_trigger');

    const killedAt = Date.now();
    await server.stop('SIGKILL');
    await sleep(2000);
    await server.start();
    const downFor = Date.now() - killedAt;
    await reconnect();
    // The restart suspended the task of its (then absent) assignee; reconnecting resumed it.
    await a.client.waitFor('task', (x) => x.id === t && x.state === 'submitted');

    const after = await group(g);
    expect(after).toMatchObject({ state: 'pause_and_trigger', seq: before.seq + 2, coordinator: c.id, turns_used: 1 });
    const since = (await call('GET', `/v1/groups/${g}/messages?after_seq=${before.seq}`, ADMIN_TOKEN)).body.items;
    expect(since.map((m: any) => m.payload.event)).toEqual(['task_suspended', 'task_resumed']);
    const [task] = await tasks(g);
    expect(task).toMatchObject({ id: t, state: 'submitted' });
    const shift = Date.parse(task.deadline) - deadlineBefore;
    // Moved by the downtime (to within a heartbeat): at least the 2 s asleep, at most until the server was back.
    expect(shift).toBeGreaterThan(1800);
    expect(shift).toBeLessThanOrEqual(downFor + 200);

    // Exactly once across the restart: the acked message resent gets the original ack.
    expect(ok(await c.client.send(g, 'discussion', { content: 'starting', next_speaker: [c.id] }, talk))).toEqual(first);
    ok(await a.client.send(g, 'task_reply', { task_id: t, accept: true }));
    ok(await a.client.send(g, 'task_result', { task_id: t, status: 'completed', task_conclusion: 'data', task_abstract: 'fetched' }));
    expect((await group(g)).state).toBe('discussion');
    ok(await c.client.send(g, 'conclusion', { summary: 'done despite the crash' }));
    expect(await group(g)).toMatchObject({ state: 'closed', close_reason: 'concluded' });
    const history = (await call('GET', `/v1/groups/${g}/messages`, ADMIN_TOKEN)).body.items.map((m: any) => m.header.seq);
    expect(history).toEqual(history.map((_: number, i: number) => i + 1));
  });

  it('fails a task whose deadline passes after the restart and resumes discussion', async () => {
    const g = (await call('POST', '/v1/groups', ADMIN_TOKEN, { coordinator: c.id, goal: 'deadline after crash', members: [a.id] })).body.id;
    const { task_ids: [t] } = ok(await c.client.send(g, 'task_assignment', {
      mode: 'sync', tasks: [{ task_desc: 'slow work', task_abstract: 'slow', assignee: [a.id], deadline_s: 2 }],
    }));
    expect((await group(g)).state).toBe('sync_task_assignment');
    await server.stop('SIGKILL');
    await sleep(1000);
    await server.start();
    await reconnect();
    ok(await c.client.emit('subscribe', { group_id: g }));
    expect((await group(g)).state).toBe('sync_task_assignment');
    await c.client.waitFor('group_state', (s) => s.group_id === g && s.state === 'discussion', 10_000);
    expect((await tasks(g))[0]).toMatchObject({ id: t, state: 'failed', reason: 'deadline passed' });
  });

  it('keeps a group whose snapshot has an unknown machine version out, with a clear log line', async () => {
    const g = (await call('POST', '/v1/groups', ADMIN_TOKEN, { coordinator: c.id, goal: 'from the future', members: [a.id] })).body.id;
    await server.stop();
    const Database = require('better-sqlite3');
    const db = new Database(`${server.dataDir}/ioa.sqlite`);
    db.prepare('UPDATE groups SET machineVersion = 999 WHERE id = ?').run(g);
    db.close();
    await server.start();
    expect(server.output).toContain(`group ${g}: snapshot of machine version 999`);
    const c2 = new TestClient(server.url, c.token);
    await c2.connected();
    expect((await c2.send(g, 'discussion', { content: 'x', next_speaker: [] })).error.code).toBe('UNAVAILABLE');
    c2.close();
  });
});

describe('flood control and lost assignees', () => {
  const server = new TestServer({ env: { IOA_RATE_PER_S: '5', IOA_RATE_BURST: '10', IOA_SUSPEND_GRACE_S: '1' } });
  beforeAll(() => server.start());
  afterAll(() => server.dispose());

  it('rate-limits a flooding agent with RATE_LIMITED and nothing else changes', async () => {
    const [c, a] = await fleet(server, ['flood-coord', 'flooder']);
    const call = api(server.url);
    const g = (await call('POST', '/v1/groups', ADMIN_TOKEN, { coordinator: c.id, goal: 'flood', members: [a.id] })).body.id;
    const acks = await Promise.all(Array.from({ length: 30 }, () => a.client.send(g, 'discussion', { content: 'spam', next_speaker: [] })));
    const codes = acks.map((x) => x.error?.code);
    expect(codes).toContain('RATE_LIMITED');
    expect(codes.filter((x) => x === 'NOT_YOUR_TURN').length).toBeLessThanOrEqual(10);
    expect((await call('GET', `/v1/groups/${g}`, ADMIN_TOKEN)).body.seq).toBe(1);
    ok(await c.client.send(g, 'discussion', { content: 'the coordinator is not throttled', next_speaker: [] }));
    c.client.close();
    a.client.close();
  });

  /** A coordinator and one member in a new group, the member holding one sync task. */
  async function assignedTask(names: [string, string], goal: string) {
    const [c, a] = await fleet(server, names);
    const call = api(server.url);
    const g = (await call('POST', '/v1/groups', ADMIN_TOKEN, { coordinator: c.id, goal, members: [a.id] })).body.id;
    const { task_ids: [t] } = ok(await c.client.send(g, 'task_assignment', { mode: 'sync', tasks: [{ task_desc: 'x', task_abstract: 'x', assignee: [a.id] }] }));
    return { c, a, g, t: t as string, call };
  }

  it('fails a suspended task when its assignee does not come back within the grace period', async () => {
    const { c, a, g, t, call } = await assignedTask(['grace-coord', 'leaver'], 'leave');
    a.client.close();
    await c.client.waitFor('task', (x) => x.id === t && x.state === 'suspended');
    const failed = await c.client.waitFor('task', (x) => x.id === t && x.state === 'failed', 10_000);
    expect(failed.reason).toMatch(/reconnect/);
    expect((await call('GET', `/v1/groups/${g}`, ADMIN_TOKEN)).body.state).toBe('discussion');
    c.client.close();
  });

  it('after a crash, marks everyone offline and fails the task of an assignee who never comes back', async () => {
    const { c, a, g, t, call } = await assignedTask(['crash-coord', 'never-back'], 'crash and vanish');
    expect((await call('GET', `/v1/agents/${a.id}`, ADMIN_TOKEN)).body.status).toBe('online');
    await server.stop('SIGKILL');
    c.client.close();
    a.client.close();
    await server.start();
    expect((await call('GET', `/v1/agents/${a.id}`, ADMIN_TOKEN)).body.status).toBe('offline');
    const back = new TestClient(server.url, c.token);
    await back.connected();
    ok(await back.emit('subscribe', { group_id: g }));
    await back.waitFor('group_state', (s) => s.group_id === g && s.state === 'discussion', 10_000);
    const task = (await call('GET', `/v1/groups/${g}/tasks`, ADMIN_TOKEN)).body[0];
    expect(task).toMatchObject({ id: t, state: 'failed' });
    expect(task.reason).toMatch(/reconnect/);
    back.close();
  });
});
