import Database from 'better-sqlite3';
import { join } from 'node:path';
import { CLIENT_EVENT_NAMES } from '@ioa/protocol';
import { io, Socket } from 'socket.io-client';
import { randomUUID } from 'node:crypto';
import { fleet, TestAgent } from './support/fleet';
import { api } from './support/http';
import { ADMIN_TOKEN, TestServer } from './support/server';
import { TestClient } from './support/socket';
import { until } from './support/until';

const EVENTS = CLIENT_EVENT_NAMES;

/** A raw socket.io client: emits exactly the arguments it is given, functions and all. */
function raw(url: string, token: string): Promise<Socket> {
  const socket = io(url, { transports: ['websocket'], auth: { token }, reconnection: false });
  return new Promise((resolve, reject) => {
    socket.once('connect', () => resolve(socket));
    socket.once('connect_error', reject);
  });
}

describe('hostile and broken clients (real server on loopback, real SQLite file)', () => {
  const server = new TestServer();
  let call: ReturnType<typeof api>;
  let agent: TestAgent;

  beforeAll(async () => {
    await server.start();
    call = api(server.url);
    [agent] = await fleet(server, ['target']);
  });
  afterAll(async () => {
    agent?.client.close();
    await server.dispose();
  });

  const alive = async () => expect((await call('GET', '/health')).status).toBe(200);

  describe('D1: no socket input ends the process', () => {
    it.each(['agent', 'observer'])('survives a non-function ack and extra arguments on every event (%s token)', async (role) => {
      const token = role === 'agent' ? agent.token : (await call('POST', '/v1/auth/observer-tokens', ADMIN_TOKEN, { scope: { all: true } })).body.token;
      const socket = await raw(server.url, token);
      for (const event of EVENTS) {
        socket.emit(event, {}, 'x');
        socket.emit(event, 'x', 42, null);
        socket.emit(event);
        const extra = await socket.timeout(5_000).emitWithAck(event, {}, 'extra');
        expect(extra).toMatchObject({ ok: false, error: { code: 'VALIDATION', message: expect.stringContaining('one argument') } });
      }
      // Answered in order: once the last ack is back, every earlier event has been handled.
      expect(await socket.timeout(5_000).emitWithAck('unsubscribe', { group_id: agent.id })).toEqual({ ok: true, group_id: agent.id });
      await alive();
      expect(server.output).not.toMatch(/ack is not a function|unhandled rejection/);
      socket.close();
    });
  });

  describe('D2: a card that cannot be indexed is never stored', () => {
    const card = { name: 'nested-arrays', description: 'a card', capabilities: [{ name: 'x', description: 'does x' }] };

    it('refuses nested capability arrays on PATCH and leaves the card as it was', async () => {
      for (const capabilities of [[[]], [[{ name: 'y', description: 'does y' }]], [null], ['x']]) {
        const r = await call('PATCH', `/v1/agents/${agent.id}`, agent.token, { capabilities });
        expect(r.status).toBe(400);
        expect(r.body.error).toMatchObject({ code: 'VALIDATION', fields: expect.arrayContaining([expect.objectContaining({ field: 'capabilities' })]) });
      }
      expect((await call('GET', `/v1/agents/${agent.id}`, ADMIN_TOKEN)).body.capabilities).toEqual([]);
    });

    it('refuses nested capability arrays on POST without spending the enrollment use or leaving an agent', async () => {
      const enroll = (await call('POST', '/v1/auth/enrollments', ADMIN_TOKEN, { max_uses: 1 })).body.token;
      const before = (await call('GET', '/v1/agents', ADMIN_TOKEN)).body.total;
      const bad = await call('POST', '/v1/agents', enroll, { ...card, capabilities: [[{ name: 'x', description: 'does x' }]] });
      expect(bad.status).toBe(400);
      expect((await call('GET', '/v1/agents', ADMIN_TOKEN)).body.total).toBe(before);
      expect((await call('POST', '/v1/agents', enroll, card)).status).toBe(201);
    });

    it('starts with an unreadable agent row in the database: logs it, skips it and serves the rest', async () => {
      const spoiled = (await call('POST', '/v1/agents', ADMIN_TOKEN, { ...card, name: 'spoiled' })).body.agent;
      await server.stop();
      const db = new Database(join(server.dataDir, 'ioa.sqlite'));
      db.prepare('UPDATE agents SET capabilities = ? WHERE id = ?').run('[[]]', spoiled.id);
      db.close();
      await server.start();
      await until('the skipped row logged', () => server.output.includes(`agent ${spoiled.id} (spoiled) left out of search`));
      const found = await call('POST', '/v1/agents/search', ADMIN_TOKEN, { query: 'a card' });
      expect(found.body.results.map((x: { agent: { name: string } }) => x.agent.name)).toEqual(['nested-arrays']);
      // The owner can repair its card, which makes it searchable again.
      const repaired = await call('PATCH', `/v1/agents/${spoiled.id}`, ADMIN_TOKEN, { capabilities: [{ name: 'fix', description: 'a card fixed' }] });
      expect(repaired.status).toBe(200);
      const again = await call('POST', '/v1/agents/search', ADMIN_TOKEN, { query: 'a card fixed' });
      expect(again.body.results[0].agent.name).toBe('spoiled');
      agent.client.close();
    });
  });
});

describe('confidentiality and presence under churn (real server on loopback)', () => {
  const server = new TestServer({ env: { IOA_RATE_BURST: '1000', IOA_RATE_PER_S: '1000' } });
  let call: ReturnType<typeof api>;
  let c: TestAgent, a: TestAgent, b: TestAgent;
  const ok = (ack: any) => {
    if (!ack.ok) throw new Error(JSON.stringify(ack.error));
    return ack;
  };

  beforeAll(async () => {
    await server.start();
    call = api(server.url);
    [c, a, b] = await fleet(server, ['coord', 'alice', 'bob']);
  });
  afterAll(async () => {
    for (const x of [c, a, b]) x?.client.close();
    await server.dispose();
  });

  async function group(): Promise<string> {
    const id = (await call('POST', '/v1/groups', ADMIN_TOKEN, { coordinator: c.id, goal: 'keep secrets', members: [a.id, b.id] })).body.id;
    for (const x of [c, a, b]) ok(await x.client.emit('subscribe', { group_id: id }));
    return id;
  }
  const said = (x: TestAgent, g: string, content: string) => x.client.messages(g).some((m) => m.payload.content === content);

  it('D8: a removed member stops receiving the group at once, on its existing subscription', async () => {
    const g = await group();
    expect((await call('DELETE', `/v1/groups/${g}/members/${b.id}`, c.token)).status).toBe(200);
    // The removed member still learns of its removal, then nothing more.
    await until('bob to see his removal', () => b.client.messages(g).some((m) => m.payload.event === 'members_changed'));
    ok(await c.client.send(g, 'discussion', { content: 'after bob left', next_speaker: [a.id] }));
    await until('alice to receive it', () => said(a, g, 'after bob left'));
    ok(await a.client.send(g, 'discussion', { content: 'and another', next_speaker: [] }));
    await until('the coordinator to receive the reply', () => said(c, g, 'and another'));
    expect(said(b, g, 'after bob left') || said(b, g, 'and another')).toBe(false);
  });

  it('D9: a task never stays suspended while its assignee is connected, however fast it reconnects', async () => {
    const g = await group();
    ok(await c.client.send(g, 'discussion', { content: 'work', next_speaker: [c.id], next_state: 'async_task_assignment' }));
    const { task_ids: [t] } = ok(await c.client.send(g, 'task_assignment', {
      mode: 'async', tasks: [{ task_desc: 'keep working', task_abstract: 'work', assignee: [a.id] }],
    }, randomUUID()));
    for (let i = 0; i < 40; i++) {
      // A new socket starts connecting as the old one drops (a flaky network, a client switching nodes): the server
      // sees the disconnect, then the connect while the disconnect's work is still in flight.
      const next = new TestClient(server.url, a.token);
      await new Promise((r) => setTimeout(r, i % 4));
      a.client.close();
      await next.connected();
      a.client = next;
    }
    await a.client.connected();
    const task = async () => (await call('GET', `/v1/groups/${g}/tasks`, ADMIN_TOKEN)).body.find((x: any) => x.id === t);
    const seq = async () => (await call('GET', `/v1/groups/${g}`, ADMIN_TOKEN)).body.seq;
    // Presence has settled once the group's seq stops moving (each suspension or resumption is a system message).
    let last = -1;
    await until('presence to settle', async () => {
      await new Promise((r) => setTimeout(r, 300));
      const now = await seq();
      return now === last || ((last = now), false);
    });
    expect((await task()).state).toBe('submitted');
    expect((await call('GET', `/v1/agents/${a.id}`, ADMIN_TOKEN)).body.status).toBe('online');
  });
});

describe('revocation reaches open sockets (real server on loopback)', () => {
  const server = new TestServer();
  let call: ReturnType<typeof api>;
  const jtiOf = (token: string) => JSON.parse(Buffer.from(token.split('.')[1], 'base64url').toString()).jti as string;
  const closed = (client: TestClient) => until('the socket to be closed by the server', () => !client.socket.connected, 5_000);

  beforeAll(async () => {
    await server.start();
    call = api(server.url);
  });
  afterAll(() => server.dispose());

  it('revoking one token closes the sockets that use it, and only those', async () => {
    const [a] = await fleet(server, ['revoked-agent']);
    const other = (await call('POST', `/v1/agents/${a.id}/tokens`, ADMIN_TOKEN)).body;
    const second = new TestClient(server.url, other.token);
    await second.connected();
    expect((await call('POST', `/v1/auth/tokens/${jtiOf(a.token)}/revoke`, ADMIN_TOKEN)).status).toBe(200);
    await closed(a.client);
    expect(second.socket.connected).toBe(true);
    second.close();
  });

  it("reusing a spent refresh token revokes the agent's tokens and closes every socket it has", async () => {
    const [a] = await fleet(server, ['leaky-agent']);
    const fresh = (await call('POST', '/v1/auth/refresh', null, { refresh_token: a.refresh_token })).body;
    const current = new TestClient(server.url, fresh.token);
    await current.connected();
    expect((await call('POST', '/v1/auth/refresh', null, { refresh_token: a.refresh_token })).status).toBe(401);
    await closed(current);
    // The socket opened with the access token the refresh rotated out (a thief's, say) is closed too.
    await closed(a.client);
  });

  it("revoking an observer's token closes its sockets", async () => {
    const observer = (await call('POST', '/v1/auth/observer-tokens', ADMIN_TOKEN, { scope: { all: true } })).body.token;
    const watcher = new TestClient(server.url, observer);
    await watcher.connected();
    expect((await call('POST', `/v1/auth/tokens/${jtiOf(observer)}/revoke`, ADMIN_TOKEN)).status).toBe(200);
    await closed(watcher);
  });
});
