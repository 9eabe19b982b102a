import { randomUUID } from 'node:crypto';
import { io } from 'socket.io-client';
import { IoAError, RestClient } from '@ioa/client';
import { fleet, TestAgent } from './support/fleet';
import { api } from './support/http';
import { ADMIN_TOKEN, runToExit, TestServer } from './support/server';
import { until } from './support/until';

const CONSOLE = 'https://console.example.com';

describe('what a server on the Internet owes its callers: rate limits, CORS, headers (real server on loopback)', () => {
  const server = new TestServer({ env: { IOA_REST_RATE_PER_S: '1', IOA_REST_RATE_BURST: '5', IOA_CORS_ORIGINS: CONSOLE } });
  let call: ReturnType<typeof api>;
  let a: TestAgent, b: TestAgent;

  beforeAll(async () => {
    await server.start();
    call = api(server.url);
    [a, b] = await fleet(server, ['busy', 'calm']);
  });
  afterAll(async () => {
    for (const x of [a, b]) x?.client.close();
    await server.dispose();
  });

  it('limits REST requests per principal with 429 RATE_LIMITED and Retry-After; admins are exempt', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 8; i++) statuses.push((await call('GET', `/v1/agents/${a.id}`, a.token)).status);
    expect(statuses.slice(0, 5)).toEqual([200, 200, 200, 200, 200]);
    expect(statuses.slice(5)).toContain(429);
    const refused = await fetch(`${server.url}/v1/agents/${a.id}`, { headers: { authorization: `Bearer ${a.token}` } });
    expect(refused.status).toBe(429);
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    expect(((await refused.json()) as { error: { code: string } }).error.code).toBe('RATE_LIMITED');
    // Another agent has its own budget; an admin has none.
    expect((await call('GET', `/v1/agents/${b.id}`, b.token)).status).toBe(200);
    for (let i = 0; i < 20; i++) expect((await call('GET', `/v1/agents/${a.id}`, ADMIN_TOKEN)).status).toBe(200);
  });

  it('the SDK waits out a 429 as Retry-After asks, or reports it with the wait when told not to retry', async () => {
    const impatient = new RestClient(server.url, { token: () => b.token, rateLimitRetries: 0 });
    const refusal = await until('a refusal', async () => impatient.getAgent(b.id).then(() => false, (e: IoAError) => e));
    expect(refusal).toMatchObject({ code: 'RATE_LIMITED', status: 429 });
    expect(refusal.retryAfterS).toBeGreaterThanOrEqual(1);
    // Every answer the patient client gets, to see that it met a 429 and waited it out rather than never being refused.
    const statuses: number[] = [];
    const realFetch = globalThis.fetch;
    globalThis.fetch = async (...args: Parameters<typeof fetch>) => {
      const res = await realFetch(...args);
      statuses.push(res.status);
      return res;
    };
    try {
      const patient = new RestClient(server.url, { token: () => b.token });
      expect((await patient.getAgent(b.id)).id).toBe(b.id);
    } finally {
      globalThis.fetch = realFetch;
    }
    expect(statuses[0]).toBe(429);
    expect(statuses[statuses.length - 1]).toBe(200);
  });

  it('sends security headers on every response, with a content security policy outside /docs', async () => {
    const health = await fetch(`${server.url}/health`);
    expect(health.headers.get('x-content-type-options')).toBe('nosniff');
    expect(health.headers.get('content-security-policy')).toContain("default-src 'self'");
    expect(health.headers.get('x-powered-by')).toBeNull();
    const docs = await fetch(`${server.url}/docs`);
    expect(docs.headers.get('x-content-type-options')).toBe('nosniff');
    expect(docs.headers.get('content-security-policy')).toBeNull();
  });

  it('allows cross-origin browser calls only from IOA_CORS_ORIGINS', async () => {
    const preflight = (origin: string) =>
      fetch(`${server.url}/v1/agents`, { method: 'OPTIONS', headers: { origin, 'access-control-request-method': 'GET', 'access-control-request-headers': 'authorization' } });
    expect((await preflight(CONSOLE)).headers.get('access-control-allow-origin')).toBe(CONSOLE);
    expect((await preflight('https://evil.example')).headers.get('access-control-allow-origin')).toBeNull();
  });

  it('refuses websockets from other sites\' pages, and accepts the listed origin and clients without one', async () => {
    const connect = (origin?: string) =>
      new Promise<boolean>((resolve) => {
        const socket = io(server.url, { transports: ['websocket'], auth: { token: b.token }, reconnection: false, extraHeaders: origin ? { origin } : {} });
        socket.once('connect', () => (socket.close(), resolve(true)));
        socket.once('connect_error', () => (socket.close(), resolve(false)));
      });
    expect(await connect('https://evil.example')).toBe(false);
    expect(await connect(CONSOLE)).toBe(true);
    expect(await connect(server.url)).toBe(true);
    expect(await connect()).toBe(true);
  });
});

describe('tokens never reach the logs (real server at the most verbose log level)', () => {
  const server = new TestServer({ env: { IOA_LOG_LEVEL: 'verbose' } });
  afterAll(() => server.dispose());

  it('logs no token, whatever is done with it', async () => {
    await server.start();
    const call = api(server.url);
    const enroll = (await call('POST', '/v1/auth/enrollments', ADMIN_TOKEN, { max_uses: 1 })).body.token;
    const reg = (await call('POST', '/v1/agents', enroll, { name: 'quiet-one', description: 'keeps secrets', capabilities: [] })).body;
    const fresh = (await call('POST', '/v1/auth/refresh', null, { refresh_token: reg.refresh_token })).body;
    await call('POST', '/v1/auth/refresh', null, { refresh_token: reg.refresh_token }); // reuse: revokes everything
    const observer = (await call('POST', '/v1/auth/observer-tokens', ADMIN_TOKEN, { scope: { all: true } })).body.token;
    for (const token of [fresh.token, observer, `${observer}x`]) {
      await new Promise<void>((resolve) => {
        const socket = io(server.url, { transports: ['websocket'], auth: { token }, reconnection: false });
        socket.once('connect', () => (socket.close(), resolve()));
        socket.once('connect_error', () => (socket.close(), resolve()));
      });
      await call('GET', '/v1/groups', token);
    }
    await server.stop();
    const secrets = [ADMIN_TOKEN, enroll, reg.token, reg.refresh_token, fresh.token, fresh.refresh_token, observer];
    expect(server.output.length).toBeGreaterThan(0);
    for (const secret of secrets) expect(server.output).not.toContain(secret.slice(-24));
    expect(server.output).not.toMatch(/bearer\s+\S{20,}/i);
  });
});

describe('invite budgets (real server on loopback)', () => {
  const server = new TestServer({ env: { IOA_INVITES_PER_MINUTE: '5', IOA_INVITE_TIMEOUT_S: '60' } });
  afterAll(() => server.dispose());

  it("one requester naming an agent again and again cannot use up the invites others send it", async () => {
    await server.start();
    const [attacker, victim, legit] = await fleet(server, ['attacker', 'victim', 'legit']);
    const teamUp = (from: TestAgent, goal: string) =>
      from.client.emit('message', { header: { protocol: 'ioa/1', message_id: randomUUID(), type: 'team_formation' }, payload: { goal, team_members: [victim.id] } });
    for (let i = 0; i < 10; i++) await teamUp(attacker, `spam ${i}`);
    const received = () => victim.client.of('invite').length;
    // The pair budget is a tenth of IOA_INVITES_PER_MINUTE, at least one (the old per-target budget let 5 through).
    expect(received()).toBe(1);
    const ack = await teamUp(legit, 'a real team');
    expect(ack.ok).toBe(true);
    await until('the legitimate invite to arrive', () => victim.client.of('invite').some((inv: any) => inv.group_id === ack.group_id));
    for (const x of [attacker, victim, legit]) x.client.close();
  });
});

describe('subscribe amplification and rate (real server on loopback)', () => {
  const server = new TestServer({ env: { IOA_RATE_PER_S: '100000', IOA_RATE_BURST: '100000' } });
  const limited = new TestServer();
  afterAll(async () => {
    await server.dispose();
    await limited.dispose();
  });

  it('refuses a subscribe to a group whose replay the socket is still receiving', async () => {
    await server.start();
    const call = api(server.url);
    const [c, a] = await fleet(server, ['talker', 'listener']);
    const g = (await call('POST', '/v1/groups', ADMIN_TOKEN, { coordinator: c.id, goal: 'a long history', members: [a.id], max_turns: 1000 })).body.id;
    for (let i = 0; i < 600; i++) expect((await c.client.send(g, 'discussion', { content: `line ${i}`, next_speaker: [c.id] })).ok).toBe(true);
    const replays = await Promise.all(Array.from({ length: 10 }, () => a.client.emit('subscribe', { group_id: g })));
    // Those that arrive while a replay is being sent are refused; only the others replay (one at a time).
    const accepted = replays.filter((r) => r.ok).length;
    const refused = replays.filter((r) => !r.ok).map((r) => r.error.code);
    expect(refused.length).toBeGreaterThan(0);
    expect(new Set(refused)).toEqual(new Set(['CONFLICT']));
    await until('the replays to arrive', () => a.client.messages(g).length >= accepted * 601);
    expect(a.client.messages(g)).toHaveLength(accepted * 601);
    // Once a replay is over, subscribing again replays again (clients drop what they have by seq).
    expect((await a.client.emit('subscribe', { group_id: g, after_seq: 600 })).ok).toBe(true);
    for (const x of [c, a]) x.client.close();
  });

  it('replays a long history in order while the group keeps talking, then says replayed, then live', async () => {
    const call = api(server.url);
    const [c, a] = await fleet(server, ['busy-talker', 'late-listener']);
    const g = (await call('POST', '/v1/groups', ADMIN_TOKEN, { coordinator: c.id, goal: 'catch up while it moves', members: [a.id], max_turns: 2000 })).body.id;
    for (let i = 0; i < 450; i++) expect((await c.client.send(g, 'discussion', { content: `before ${i}`, next_speaker: [c.id] })).ok).toBe(true);
    // The coordinator keeps talking during the replay: those messages must come once each, in order, after the history.
    const talking = (async () => {
      for (let i = 0; i < 60; i++) await c.client.send(g, 'discussion', { content: `during ${i}`, next_speaker: [c.id] });
    })();
    const ack = await a.client.emit('subscribe', { group_id: g });
    expect(ack).toMatchObject({ ok: true, group_id: g });
    await talking;
    expect((await c.client.send(g, 'discussion', { content: 'after', next_speaker: [c.id] })).ok).toBe(true);
    await until('the last message', () => a.client.messages(g).some((m) => m.payload.content === 'after'));
    const seqs = a.client.messages(g).map((m) => m.header.seq);
    expect(seqs).toEqual(Array.from({ length: 512 }, (_, i) => i + 1));
    const [replayed] = a.client.of('replayed');
    expect(replayed.group_id).toBe(g);
    expect(replayed.up_to_seq).toBeGreaterThanOrEqual(ack.seq);
    // Everything up to up_to_seq came before the event, everything after it live.
    const at = a.client.events.findIndex((e) => e.event === 'replayed');
    expect(a.client.events.slice(0, at).filter((e) => e.event === 'message').map((e) => e.data.header.seq)).toEqual(seqs.slice(0, replayed.up_to_seq));
    for (const x of [c, a]) x.client.close();
  });

  it('limits subscribes per principal like messages', async () => {
    await limited.start();
    const call = api(limited.url);
    const [c, a] = await fleet(limited, ['owner', 'reader']);
    const g = (await call('POST', '/v1/groups', ADMIN_TOKEN, { coordinator: c.id, goal: 'subscribed a lot', members: [a.id] })).body.id;
    const answers: string[] = [];
    for (let i = 0; i < 70; i++) {
      const r = await a.client.emit('subscribe', { group_id: g });
      answers.push(r.ok ? 'ok' : r.error.code);
    }
    expect(answers.slice(0, 60).every((x) => x === 'ok')).toBe(true);
    expect(answers).toContain('RATE_LIMITED');
    for (const x of [c, a]) x.client.close();
  });
});

describe('a reader that stops reading (real server, 3 MiB output cap)', () => {
  const server = new TestServer({ env: { IOA_SOCKET_BUFFER_MAX_BYTES: String(3 * 1024 * 1024), IOA_RATE_PER_S: '100000', IOA_RATE_BURST: '100000' } });
  afterAll(() => server.dispose());

  it('is closed with a log line once its unsent live output passes the cap; the group carries on', async () => {
    await server.start();
    const call = api(server.url);
    const [c, a] = await fleet(server, ['loud', 'stalled']);
    const g = (await call('POST', '/v1/groups', ADMIN_TOKEN, { coordinator: c.id, goal: 'outgrow a reader', members: [a.id], max_turns: 5000 })).body.id;
    expect((await a.client.emit('subscribe', { group_id: g })).ok).toBe(true);
    await a.client.waitFor('replayed', (e) => e.group_id === g);
    // Stop reading at the TCP level, as a stuck client does: the kernel's buffers fill, then the server's.
    (a.client.socket.io.engine as unknown as { transport: { ws: { _socket: { pause(): void } } } }).transport.ws._socket.pause();
    const text = 'x'.repeat(30_000);
    await until('the server to close the stalled socket', async () => {
      for (let i = 0; i < 20; i++) expect((await c.client.send(g, 'discussion', { content: text, next_speaker: [c.id] })).ok).toBe(true);
      return server.output.includes('stopped reading');
    }, 60_000);
    expect(server.output).toMatch(/agent \S+: socket \S+ closed, \d+ bytes of output unsent/);
    expect((await c.client.send(g, 'discussion', { content: 'still here', next_speaker: [c.id] })).ok).toBe(true);
    c.client.close();
  });

  it('refuses a cap too small for a replay page and a few large messages', async () => {
    const { code, output } = await runToExit({ IOA_DATA_DIR: server.dataDir, IOA_SOCKET_BUFFER_MAX_BYTES: '65536' });
    expect(code).not.toBe(0);
    expect(output).toContain('IOA_SOCKET_BUFFER_MAX_BYTES');
  });
});
