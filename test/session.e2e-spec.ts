import { randomUUID } from 'node:crypto';
import { fleet, TestAgent } from './support/fleet';
import { api } from './support/http';
import { ok } from './support/population';
import { ADMIN_TOKEN, TestServer } from './support/server';
import { TestClient } from './support/socket';

describe('group sessions (real server, real socket.io clients, real SQLite file)', () => {
  const server = new TestServer();
  let call: ReturnType<typeof api>;
  let c: TestAgent, a: TestAgent, b: TestAgent, outsider: TestAgent;

  beforeAll(async () => {
    await server.start();
    call = api(server.url);
    [c, a, b, outsider] = await fleet(server, ['coord', 'alice', 'bob', 'outsider']);
  });
  afterAll(async () => {
    for (const x of [c, a, b, outsider]) x?.client.close();
    await server.dispose();
  });

  async function group(extra: Record<string, unknown> = {}): Promise<string> {
    const r = await call('POST', '/v1/groups', ADMIN_TOKEN, { coordinator: c.id, goal: 'plan a trip', members: [a.id, b.id], ...extra });
    expect(r.status).toBe(201);
    for (const x of [c, a, b]) ok(await x.client.emit('subscribe', { group_id: r.body.id }));
    return r.body.id;
  }
  const state = async (id: string) => (await call('GET', `/v1/groups/${id}`, ADMIN_TOKEN)).body;

  it('runs a session through every state and closes it concluded', async () => {
    const g = await group();
    const opened = await state(g);
    expect(opened).toMatchObject({ state: 'discussion', coordinator: c.id, turn: { holders: [c.id] }, seq: 1 });
    await c.client.waitFor('turn', (t) => t.group_id === g && t.holders[0] === c.id);

    ok(await c.client.send(g, 'discussion', { content: 'alice, ideas?', next_speaker: [a.id] }));
    await a.client.waitFor('turn', (t) => t.group_id === g && t.holders.includes(a.id));
    ok(await a.client.send(g, 'discussion', { content: 'bob should book', next_speaker: [b.id], next_state: 'sync_task_assignment' }));
    ok(await b.client.send(g, 'discussion', { content: 'agreed', next_speaker: [] }));

    const sync = ok(await c.client.send(g, 'task_assignment', {
      mode: 'sync', tasks: [{ task_desc: 'SECRET: book flights with card 4242', task_abstract: 'book flights', assignee: [a.id], deadline_s: 60 }],
    }));
    expect(sync.task_ids).toHaveLength(1);
    const [t1] = sync.task_ids;
    expect((await state(g)).state).toBe('sync_task_assignment');
    const task = await a.client.waitFor('task', (t) => t.id === t1);
    expect(task.task_desc).toContain('SECRET');
    const bView = await b.client.waitFor('message', (m) => m.header.type === 'task_assignment' && m.header.group_id === g);
    expect(JSON.stringify(bView)).not.toContain('SECRET');
    expect(bView.payload.tasks[0]).toMatchObject({ task_id: t1, task_abstract: 'book flights' });
    const aView = await a.client.waitFor('message', (m) => m.header.type === 'task_assignment' && m.header.group_id === g);
    expect(aView.payload.tasks[0].task_desc).toContain('SECRET');

    const during = await b.client.send(g, 'discussion', { content: 'hi', next_speaker: [] });
    expect(during.error.code).toBe('ILLEGAL_IN_STATE');
    ok(await a.client.send(g, 'task_reply', { task_id: t1, accept: true, eta_s: 5 }));
    ok(await a.client.send(g, 'task_progress', { task_id: t1, progress: 0.5, note: 'half way' }));
    ok(await a.client.send(g, 'task_result', { task_id: t1, status: 'completed', task_conclusion: 'booked AF123', task_abstract: 'flights booked' }));
    const back = await state(g);
    expect(back).toMatchObject({ state: 'discussion', turn: { holders: [c.id] } });
    const settled = await b.client.waitFor('message', (m) => m.header.group_id === g && m.payload.event === 'tasks_settled');
    expect(settled.payload.results[0]).toMatchObject({ task_id: t1, state: 'completed', task_abstract: 'flights booked' });

    const asyncAck = ok(await c.client.send(g, 'task_assignment', {
      mode: 'async', tasks: [{ task_desc: 'find a hotel', task_abstract: 'hotel', assignee: [b.id] }],
    }));
    expect((await state(g)).state).toBe('discussion');
    const [t2] = asyncAck.task_ids;
    ok(await c.client.send(g, 'pause_and_trigger', { triggers: [t2] }));
    expect((await state(g)).state).toBe('pause_and_trigger');
    ok(await b.client.send(g, 'task_reply', { task_id: t2, accept: true }));
    ok(await b.client.send(g, 'task_result', { task_id: t2, status: 'completed', task_conclusion: 'Hotel Lisboa', task_abstract: 'hotel booked' }));
    expect((await state(g)).state).toBe('discussion');

    ok(await c.client.send(g, 'conclusion', { summary: 'trip planned: AF123 and Hotel Lisboa' }));
    const closed = await state(g);
    expect(closed).toMatchObject({ state: 'closed', close_reason: 'concluded' });
    const states = b.client.of('group_state').filter((s) => s.group_id === g).map((s) => s.state);
    expect(states).toEqual(['sync_task_assignment', 'discussion', 'pause_and_trigger', 'discussion', 'closed']);

    const audit = await call('GET', `/v1/audit?group_id=${g}&limit=100`, ADMIN_TOKEN);
    const transitions = audit.body.filter((e: any) => e.action === 'transition').reverse().map((e: any) => `${e.detail.from}>${e.detail.to}`);
    expect(transitions).toEqual([
      'discussion>sync_task_assignment', 'sync_task_assignment>discussion', 'discussion>async_task_assignment',
      'async_task_assignment>discussion', 'discussion>pause_and_trigger', 'pause_and_trigger>discussion', 'discussion>closed',
    ]);
    const history = await call('GET', `/v1/groups/${g}/messages`, b.token);
    const seqs = history.body.items.map((m: any) => m.header.seq);
    expect(seqs).toEqual(seqs.map((_: number, i: number) => i + 1));
    expect(JSON.stringify(history.body)).not.toContain('SECRET');
    expect(JSON.stringify((await call('GET', `/v1/groups/${g}/messages`, a.token)).body)).toContain('SECRET');
    const tasks = await call('GET', `/v1/groups/${g}/tasks`, b.token);
    expect(tasks.body.find((t: any) => t.id === t1).task_desc).toBeUndefined();
    expect(tasks.body.find((t: any) => t.id === t2)).toMatchObject({ state: 'completed', task_desc: 'find a hotel' });
    const live = b.client.messages(g).map((m) => m.header.seq);
    expect(live).toEqual([...new Set(live)].sort((x, y) => x - y));
  });

  it('refuses bad messages with typed errors and changes nothing', async () => {
    const g = await group();
    const seq = async () => (await state(g)).seq;
    const before = await seq();
    const header = { protocol: 'ioa/1', message_id: randomUUID(), group_id: g, type: 'discussion' };
    const payload = { content: 'x', next_speaker: [] };
    const cases: [TestClient, unknown, string][] = [
      [c.client, 'not an object', 'VALIDATION'],
      [c.client, { header: { ...header, type: 'shout' }, payload }, 'VALIDATION'],
      [c.client, { header: { ...header, protocol: 'ioa/2' }, payload }, 'VALIDATION'],
      [c.client, { header: { ...header, message_id: 'nope' }, payload }, 'VALIDATION'],
      [c.client, { header: { ...header, sender: a.id }, payload }, 'VALIDATION'],
      [c.client, { header: { ...header, seq: 99 }, payload }, 'VALIDATION'],
      [c.client, { header: { ...header, state: 'conclusion' }, payload }, 'VALIDATION'],
      [c.client, { header, payload: { ...payload, extra: 1 } }, 'VALIDATION'],
      [c.client, { payload }, 'VALIDATION'],
      [c.client, { header }, 'VALIDATION'],
      [c.client, { header, payload, ext: { plain: 1 } }, 'VALIDATION'],
      [c.client, { header, payload: { content: 'x' } }, 'VALIDATION'],
      [c.client, { header, payload: { content: 'x', next_speaker: [outsider.id] } }, 'VALIDATION'],
      [c.client, { header, payload: { content: 'x'.repeat(70_000), next_speaker: [] } }, 'TOO_LARGE'],
      [c.client, { header: { ...header, group_id: randomUUID() }, payload }, 'NOT_FOUND'],
      [outsider.client, { header, payload }, 'NOT_MEMBER'],
      [a.client, { header, payload }, 'NOT_YOUR_TURN'],
      [a.client, { header: { ...header, type: 'conclusion' }, payload: { summary: 'done' } }, 'FORBIDDEN'],
      [c.client, { header: { ...header, type: 'pause_and_trigger' }, payload: { triggers: ['unknown-task'] } }, 'NOT_FOUND'],
      [c.client, { header: { ...header, type: 'task_result' }, payload: { task_id: 'x', status: 'completed', task_conclusion: 'x', task_abstract: 'x' } }, 'NOT_FOUND'],
    ];
    for (const [client, envelope, code] of cases) {
      const ack = await client.emit('message', envelope);
      expect({ envelope, code: ack.error?.code }).toEqual({ envelope, code });
    }
    expect(await seq()).toBe(before);
    const refusals = await call('GET', `/v1/audit?group_id=${g}`, ADMIN_TOKEN);
    expect(refusals.body.some((e: any) => e.action === 'refused' && e.detail.code === 'NOT_YOUR_TURN' && e.actor === a.id)).toBe(true);
  });

  it('accepts a resend exactly once and refuses a reused id with other content', async () => {
    const g = await group();
    const id = randomUUID();
    const first = ok(await c.client.send(g, 'discussion', { content: 'once', next_speaker: [a.id] }, id));
    const again = ok(await c.client.send(g, 'discussion', { content: 'once', next_speaker: [a.id] }, id));
    expect(again).toEqual(first);
    const reordered = ok(await c.client.send(g, 'discussion', { next_speaker: [a.id], content: 'once' }, id));
    expect(reordered).toEqual(first);
    const other = await c.client.send(g, 'discussion', { content: 'twice', next_speaker: [a.id] }, id);
    expect(other.error.code).toBe('DUPLICATE_MESSAGE_ID');
    // Deliveries are in order: once a later message has arrived, any copy of the first would have too.
    ok(await a.client.send(g, 'discussion', { content: 'after', next_speaker: [a.id] }));
    await a.client.waitFor('message', (m) => m.header.group_id === g && m.payload.content === 'after');
    expect(a.client.messages(g).filter((m) => m.header.message_id === id)).toHaveLength(1);
    expect((await state(g)).turns_used).toBe(2);
  });

  it('replays exactly the missed messages on subscribe with after_seq, then live ones', async () => {
    const g = await group();
    ok(await c.client.send(g, 'discussion', { content: 'one', next_speaker: [c.id] }));
    await a.client.waitFor('message', (m) => m.header.group_id === g && m.payload.content === 'one');
    const lastSeen = Math.max(...a.client.messages(g).map((m) => m.header.seq));
    a.client.close();
    ok(await c.client.send(g, 'discussion', { content: 'two', next_speaker: [c.id] }));
    ok(await c.client.send(g, 'discussion', { content: 'three', next_speaker: [c.id] }));
    a.client = new TestClient(server.url, a.token);
    await a.client.connected();
    const ack = ok(await a.client.emit('subscribe', { group_id: g, after_seq: lastSeen }));
    ok(await c.client.send(g, 'discussion', { content: 'four', next_speaker: [c.id] }));
    await a.client.waitFor('message', (m) => m.header.group_id === g && m.payload.content === 'four');
    const got = a.client.messages(g);
    expect(got.map((m) => m.payload.content)).toEqual(['two', 'three', 'four']);
    expect(got.map((m) => m.header.seq)).toEqual([lastSeen + 1, lastSeen + 2, lastSeen + 3]);
    expect(ack.seq).toBe(lastSeen + 2);
  });

  it('keeps groups apart: outsiders and observers of other groups receive nothing', async () => {
    const g = await group();
    const other = (await call('POST', '/v1/auth/observer-tokens', ADMIN_TOKEN, { scope: { groups: [randomUUID()] } })).body.token;
    const observer = new TestClient(server.url, other);
    await observer.connected();
    expect((await observer.emit('subscribe', { group_id: g })).error.code).toBe('FORBIDDEN');
    expect((await outsider.client.emit('subscribe', { group_id: g })).error.code).toBe('NOT_MEMBER');
    expect((await observer.send(g, 'discussion', { content: 'x', next_speaker: [] })).error.code).toBe('FORBIDDEN');
    expect((await call('GET', `/v1/groups/${g}/messages`, outsider.token)).status).toBe(403);
    expect((await call('GET', `/v1/groups/${g}`, other)).status).toBe(403);
    ok(await c.client.send(g, 'task_assignment', { mode: 'async', tasks: [{ task_desc: 'classified', task_abstract: 'x', assignee: [a.id] }] }));
    await a.client.waitFor('task', (t) => t.group_id === g);
    // A round trip after the delivery: anything the server sent these sockets before would have arrived before its ack.
    for (const client of [observer, outsider.client]) expect((await client.emit('subscribe', { group_id: g })).error.code).toMatch(/FORBIDDEN|NOT_MEMBER/);
    for (const client of [observer, outsider.client]) {
      expect(JSON.stringify(client.events.filter((e) => JSON.stringify(e.data).includes(g)))).toBe('[]');
    }
    const watcher = (await call('POST', '/v1/auth/observer-tokens', ADMIN_TOKEN, { scope: { groups: [g] } })).body.token;
    const scoped = new TestClient(server.url, watcher);
    await scoped.connected();
    ok(await scoped.emit('subscribe', { group_id: g }));
    await scoped.waitFor('message', (m) => m.header.type === 'task_assignment');
    expect(JSON.stringify(scoped.messages(g))).not.toContain('classified');
    observer.close();
    scoped.close();
  });

  it('moves to conclusion at max_turns and closes with max_turns when no summary comes', async () => {
    const g = await group({ max_turns: 2, conclusion_wait_s: 1 });
    ok(await c.client.send(g, 'discussion', { content: '1', next_speaker: [a.id] }));
    ok(await a.client.send(g, 'discussion', { content: '2', next_speaker: [b.id] }));
    expect(await state(g)).toMatchObject({ state: 'conclusion', turns_used: 2, turn: { holders: [c.id] } });
    expect((await b.client.send(g, 'discussion', { content: '3', next_speaker: [] })).error.code).toBe('ILLEGAL_IN_STATE');
    await c.client.waitFor('group_state', (s) => s.group_id === g && s.state === 'closed', 5000);
    expect(await state(g)).toMatchObject({ state: 'closed', close_reason: 'max_turns' });
    expect((await c.client.send(g, 'conclusion', { summary: 'late' })).error.code).toBe('GROUP_CLOSED');
  });

  it('returns a silent turn to the coordinator and hands a silent coordinator role on', async () => {
    const g = await group({ turn_timeout_s: 1, coordinator_timeout_s: 1 });
    ok(await c.client.send(g, 'discussion', { content: 'alice?', next_speaker: [a.id] }));
    await c.client.waitFor('message', (m) => m.header.group_id === g && m.payload.event === 'turn_timeout', 5000);
    await a.client.waitFor('message', (m) => m.header.group_id === g && m.payload.event === 'coordinator_changed', 5000);
    expect(await state(g)).toMatchObject({ coordinator: a.id, turn: { holders: [a.id] } });
    ok(await a.client.send(g, 'conclusion', { summary: 'alice took over' }));
  });

  it('times a turn from its own deadline whether it comes earlier or later than the one before', async () => {
    // The coordinator's 30 s deadline gives way to a's 1 s one (earlier); a's gives way to b's (later, re-armed).
    const g = await group({ turn_timeout_s: 1, coordinator_timeout_s: 30 });
    ok(await c.client.send(g, 'discussion', { content: 'alice?', next_speaker: [a.id] }));
    await a.client.waitFor('turn', (t) => t.group_id === g && t.holders[0] === a.id);
    // Time passing is the point here (b's deadline must come later than a's armed one), not waiting for something.
    await new Promise((r) => setTimeout(r, 500));
    ok(await a.client.send(g, 'discussion', { content: 'bob?', next_speaker: [b.id] }));
    const timeout = await c.client.waitFor('message', (m) => m.header.group_id === g && m.payload.event === 'turn_timeout', 5000);
    expect(timeout.payload.holders).toEqual([b.id]);
    expect(await state(g)).toMatchObject({ coordinator: c.id, turn: { holders: [c.id] } });
  });

  it('suspends a disconnected assignee\'s task and resumes it on reconnect', async () => {
    const g = await group();
    const { task_ids: [t] } = ok(await c.client.send(g, 'task_assignment', { mode: 'async', tasks: [{ task_desc: 'x', task_abstract: 'x', assignee: [b.id] }] }));
    b.client.close();
    await c.client.waitFor('task', (x) => x.id === t && x.state === 'suspended');
    b.client = new TestClient(server.url, b.token);
    await b.client.connected();
    await c.client.waitFor('task', (x) => x.id === t && x.state === 'submitted');
    expect((await call('GET', '/v1/agents/' + b.id, ADMIN_TOKEN)).body.status).toBe('online');
  });

  it('closes a group on an admin\'s word', async () => {
    const g = await group();
    expect((await call('POST', `/v1/groups/${g}/close`, c.token, {})).status).toBe(403);
    expect((await call('POST', `/v1/groups/${g}/close`, ADMIN_TOKEN, { reason: 'test' })).body).toMatchObject({ state: 'closed', close_reason: 'closed_by_admin' });
    expect((await call('POST', `/v1/groups/${g}/close`, ADMIN_TOKEN, {})).status).toBe(404);
  });

  it('validates group creation', async () => {
    expect((await call('POST', '/v1/groups', ADMIN_TOKEN, { goal: 'x', members: [a.id] })).body.error.code).toBe('VALIDATION');
    expect((await call('POST', '/v1/groups', ADMIN_TOKEN, { coordinator: c.id, goal: 'x', members: [randomUUID()] })).status).toBe(404);
    expect((await call('POST', '/v1/groups', ADMIN_TOKEN, { coordinator: c.id, goal: '', members: [a.id] })).status).toBe(400);
    expect((await call('POST', '/v1/groups', ADMIN_TOKEN, { coordinator: c.id, goal: 'x', members: [a.id], max_turns: 0 })).status).toBe(400);
  });
});

describe('audit of admin actions', () => {
  const server = new TestServer();
  beforeAll(() => server.start());
  afterAll(() => server.dispose());

  it('records every admin change and nothing secret', async () => {
    const call = api(server.url);
    const enrollment = await call('POST', '/v1/auth/enrollments', ADMIN_TOKEN, { max_uses: 2 });
    const reg = await call('POST', '/v1/agents', ADMIN_TOKEN, { name: 'audited', description: 'x', capabilities: [] });
    await call('POST', `/v1/agents/${reg.body.agent.id}/disable`, ADMIN_TOKEN);
    await call('POST', '/v1/auth/refresh', null, { refresh_token: reg.body.refresh_token });
    const log = await call('GET', '/v1/audit?actor=admin', ADMIN_TOKEN);
    expect(log.body.map((e: any) => e.detail.path)).toEqual(['/v1/agents/:id/disable', '/v1/agents', '/v1/auth/enrollments']);
    expect(JSON.stringify(log.body)).not.toContain(enrollment.body.token);
    expect(JSON.stringify(log.body)).not.toContain(reg.body.refresh_token);
    expect((await call('GET', '/v1/audit', reg.body.token)).status).toBe(401);
  });
});
