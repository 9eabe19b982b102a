import { fleet, TestAgent } from './support/fleet';
import { api } from './support/http';
import { ADMIN_TOKEN, TestServer } from './support/server';
import { TestClient } from './support/socket';

/** The JSON text of `"x"` inside `levels` arrays, for input too deep for JSON.stringify or socket.io's encoder. */
const deepJson = (levels: number) => `${'['.repeat(levels)}"x"${']'.repeat(levels)}`;

/** A discussion envelope's JSON text around the JSON texts of its payload and ext. */
const envelope = (payload: string, ext?: string) =>
  `{"header":{"protocol":"ioa/1","message_id":"6513270e-269e-4d37-b2a7-4de452e6b438","group_id":"g-none","type":"discussion"},` +
  `"payload":${payload}${ext === undefined ? '' : `,"ext":${ext}`}}`;

let ackId = 1_000_000;
/**
 * Emits `event` with an argument given as JSON text, written as a raw socket.io packet (the client's encoder scans
 * arguments recursively, so it cannot send what a hostile client can), and resolves with the ack.
 */
function emitJson(client: TestClient, event: string, json: string): Promise<unknown> {
  const engine = client.socket.io.engine;
  const id = ackId++;
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no ack for ${event}`)), 10_000);
    const onData = (data: unknown) => {
      if (typeof data !== 'string' || !data.startsWith(`3${id}[`)) return;
      engine.off('data', onData);
      clearTimeout(timer);
      resolve(JSON.parse(data.slice(`3${id}`.length))[0]);
    };
    engine.on('data', onData);
    engine.write(`2${id}[${JSON.stringify(event)},${json}]`);
  });
}

const refusal = (message: string | RegExp) => ({ ok: false, error: { code: 'VALIDATION', message: expect.stringMatching(message) } });

describe('hostile input (real server on loopback, real SQLite file)', () => {
  const server = new TestServer();
  let call: ReturnType<typeof api>;
  let agent: TestAgent;

  beforeAll(async () => {
    await server.start();
    call = api(server.url);
    [agent] = await fleet(server, ['prey']);
  });
  afterAll(async () => {
    agent?.client.close();
    await server.dispose();
  });

  const card = async () => (await call('GET', `/v1/agents/${agent.id}`, ADMIN_TOKEN)).body;
  const quiet = () => expect(server.output).not.toMatch(/RangeError|Maximum call stack|internal error|TypeError/);

  describe('D3: a deeply nested socket payload is refused before anything recursive runs', () => {
    // 6,000 levels take 12 KB, well inside the message size limit.
    const deep = deepJson(6_000);
    it.each([
      ['message', envelope(`{"content":"x","next_speaker":[],"deep":${deep}}`)],
      ['message', envelope('{"content":"x","next_speaker":[]}', `{"acme.deep":${deep}}`)],
      ['subscribe', `{"group_id":"g-none","after_seq":${deep}}`],
      ['unsubscribe', `{"group_id":${deep}}`],
      ['invite_reply', `{"invite_id":"i-none","accept":true,"reason":${deep}}`],
    ])('%s: VALIDATION naming the depth limit', async (event, json) => {
      expect(await emitJson(agent.client, event, json)).toMatchObject(refusal(/nested deeper than 32 levels/));
      quiet();
    });
  });

  describe('D4: a deeply nested REST body is refused with 400', () => {
    it.each([
      ['POST', '/v1/agents/search', `{"query":"x","exclude":${deepJson(20_000)}}`],
      ['PATCH', '/v1/agents/:id', `{"metadata":{"a":${deepJson(20_000)}}}`],
      ['POST', '/v1/groups', deepJson(20_000)],
    ])('%s %s', async (method, path, body) => {
      const r = await call(method, path.replace(':id', agent.id), ADMIN_TOKEN, body);
      expect(r).toEqual({ status: 400, body: { error: expect.objectContaining({ code: 'VALIDATION', message: expect.stringMatching(/nested deeper than 32 levels/) }) } });
      quiet();
    });
  });

  describe('D5: paging numbers are bounded', () => {
    it.each([
      '/v1/groups?offset=1e20', '/v1/agents?offset=1e300', '/v1/agents?offset=1000001',
      '/v1/groups/g-none/messages?after_seq=1e300', '/v1/audit?before_id=1e300',
    ])('GET %s answers 400', async (path) => {
      const r = await call('GET', path, ADMIN_TOKEN);
      expect(r).toMatchObject({ status: 400, body: { error: { code: 'VALIDATION' } } });
    });

    it('accepts the largest offset', async () => {
      expect(await call('GET', '/v1/agents?offset=1000000', ADMIN_TOKEN)).toMatchObject({ status: 200, body: { items: [], offset: 1_000_000 } });
      expect(await call('GET', '/v1/groups?offset=1000000', ADMIN_TOKEN)).toMatchObject({ status: 200, body: { items: [], offset: 1_000_000 } });
    });

    it('subscribe refuses an after_seq beyond the safe integers', async () => {
      expect(await agent.client.emit('subscribe', { group_id: 'g-none', after_seq: 1e300 })).toMatchObject(refusal(/after_seq/));
    });
  });

  describe('D6: null is not taken for an absent field', () => {
    it.each(['description', 'metadata', 'capabilities', 'skills', 'accepting_invites', 'max_concurrent_groups'])(
      'PATCH /v1/agents/:id with %s null answers 400 and changes nothing',
      async (field) => {
        const before = await card();
        const r = await call('PATCH', `/v1/agents/${agent.id}`, agent.token, { [field]: null });
        expect(r).toMatchObject({ status: 400, body: { error: { code: 'VALIDATION', fields: [expect.objectContaining({ field })] } } });
        expect(await card()).toEqual(before);
      },
    );

    it('PATCH with version, owner or interface null clears them', async () => {
      const set = await call('PATCH', `/v1/agents/${agent.id}`, agent.token, { version: '2', owner: 'acme', interface: { kind: 'socket' } });
      expect(set.body).toMatchObject({ version: '2', owner: 'acme', interface: { kind: 'socket' } });
      const cleared = await call('PATCH', `/v1/agents/${agent.id}`, agent.token, { version: null, owner: null, interface: null });
      expect(cleared).toMatchObject({ status: 200, body: { version: null, owner: null, interface: null } });
    });

    it.each([
      ['/v1/auth/enrollments', { ttl_s: null }],
      ['/v1/auth/enrollments', { max_uses: null }],
      ['/v1/auth/observer-tokens', { scope: { all: true }, ttl_s: null }],
      ['/v1/auth/observer-tokens', { scope: { all: null } }],
    ])('POST %s %j answers 400 and stores no token', async (path, body) => {
      const tokens = async () => (await call('GET', '/v1/auth/tokens', ADMIN_TOKEN)).body.length;
      const before = await tokens();
      expect(await call('POST', path, ADMIN_TOKEN, body)).toMatchObject({ status: 400, body: { error: { code: 'VALIDATION' } } });
      expect(await tokens()).toBe(before);
      quiet();
    });
  });

  describe('D7: __proto__ and constructor keys are refused, not dropped', () => {
    it.each([
      ['unsubscribe', '__proto__', '{"group_id":"g-none","__proto__":{"x":1}}'],
      ['unsubscribe', 'constructor', '{"group_id":"g-none","constructor":{"x":1}}'],
      ['invite_reply', '__proto__', '{"invite_id":"i-none","accept":true,"__proto__":null}'],
      ['message', '__proto__', envelope('{"content":"x","next_speaker":[]}', '{"acme.x":{"__proto__":1}}')],
      ['message', 'constructor', envelope('{"content":"x","next_speaker":[],"constructor":"x"}')],
    ])('%s with a %s key: VALIDATION naming the key', async (event, key, json) => {
      expect(await emitJson(agent.client, event, json)).toMatchObject(refusal(key));
    });

    it.each([
      ['{"description":"changed","__proto__":{"x":1}}', '__proto__'],
      ['{"description":"changed","constructor":{"name":"x"}}', 'constructor'],
      ['{"metadata":{"constructor":1}}', 'constructor'],
      ['{"capabilities":[{"name":"n","description":"d","__proto__":{}}]}', '__proto__'],
    ])('PATCH /v1/agents/:id %s: 400 naming the key, card unchanged', async (body, key) => {
      const before = await card();
      const r = await call('PATCH', `/v1/agents/${agent.id}`, agent.token, body);
      expect(r).toMatchObject({ status: 400, body: { error: { code: 'VALIDATION', message: expect.stringContaining(key) } } });
      expect(await card()).toEqual(before);
      quiet();
    });

    it('a query key __proto__ is refused too', async () => {
      expect(await call('GET', '/v1/agents?__proto__=1', ADMIN_TOKEN)).toMatchObject({ status: 400, body: { error: { code: 'VALIDATION' } } });
    });
  });
});
