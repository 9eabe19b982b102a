import Database from 'better-sqlite3';
import { join } from 'node:path';
import { io, Socket } from 'socket.io-client';
import { fleet, TestAgent } from './support/fleet';
import { api } from './support/http';
import { ADMIN_TOKEN, TestServer } from './support/server';
import { until } from './support/until';

const EVENTS = ['message', 'subscribe', 'unsubscribe', 'invite_reply'];

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
