import fc from 'fast-check';
import { CLIENT_EVENT_NAMES, ErrorCode } from '@ioa/protocol';
import { io, Socket } from 'socket.io-client';
import { fleet, TestAgent } from './support/fleet';
import { FUZZ, hostileInput } from './support/fuzz';
import { api } from './support/http';
import { ADMIN_TOKEN, TestServer } from './support/server';

const EVENTS = CLIENT_EVENT_NAMES;
const DOCUMENTED = new Set<string>(Object.values(ErrorCode));

/**
 * Property-based: whatever a token holder sends on any event, the server stays up, answers with `ok` or a documented
 * code (never INTERNAL), and a group it is no member of keeps exactly its history. Seeded (`IOA_FUZZ_SEED`), a few
 * hundred cases in CI (`IOA_FUZZ_RUNS` for more).
 */
describe('fuzzed socket input (real server on loopback, fast-check)', () => {
  const limits = { IOA_RATE_PER_S: '100000', IOA_RATE_BURST: '100000', IOA_REST_RATE_PER_S: '100000', IOA_REST_RATE_BURST: '100000' };
  const server = new TestServer({ env: limits });
  let call: ReturnType<typeof api>;
  let c: TestAgent, a: TestAgent, fuzzer: TestAgent;
  let socket: Socket;
  let own: string, legit: string;

  beforeAll(async () => {
    await server.start();
    call = api(server.url);
    [c, a, fuzzer] = await fleet(server, ['coord', 'alice', 'fuzzer']);
    legit = (await call('POST', '/v1/groups', ADMIN_TOKEN, { coordinator: c.id, goal: 'stay intact', members: [a.id] })).body.id;
    await c.client.send(legit, 'discussion', { content: 'a history to keep', next_speaker: [a.id] });
    // The fuzzer's own group, where mutated envelopes can be legal and land.
    own = (await call('POST', '/v1/groups', ADMIN_TOKEN, { goal: 'fuzz here', coordinator: fuzzer.id, members: [a.id] })).body.id;
    fuzzer.client.close();
    socket = io(server.url, { transports: ['websocket'], auth: { token: fuzzer.token }, reconnection: false });
    await new Promise<void>((resolve) => socket.once('connect', () => resolve()));
  });
  afterAll(async () => {
    socket?.close();
    for (const x of [c, a]) x?.client.close();
    await server.dispose();
  });

  // Scaled with the number of cases, so that IOA_FUZZ_RUNS can raise them without hitting jest's timeout.
  const timeout = (runs: number) => 60_000 + runs * 20;

  it('answers every input with ok or a documented code, and leaves other groups alone', async () => {
    const history = async () => (await call('GET', `/v1/groups/${legit}/messages`, ADMIN_TOKEN)).body.items;
    const before = await history();
    const answers = new Map<string, number>();
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...EVENTS), fc.oneof(hostileInput(own, a.id), hostileInput(legit, a.id)), async (event, input) => {
        const ack = await socket.timeout(10_000).emitWithAck(event, input);
        const code = ack?.ok === true ? 'ok' : ack?.error?.code;
        answers.set(code, (answers.get(code) ?? 0) + 1);
        return typeof code === 'string' && (code === 'ok' || (DOCUMENTED.has(code) && code !== ErrorCode.INTERNAL));
      }),
      { seed: FUZZ.seed, numRuns: FUZZ.runs(2000) },
    );
    expect((await call('GET', '/health')).status).toBe(200);
    expect(await history()).toEqual(before);
    expect(server.output).not.toMatch(/unhandled rejection|ack is not a function/);
    // The run exercised refusals and acceptances alike (what a fuzz run that only hit one path would not).
    expect(answers.get('VALIDATION')).toBeGreaterThan(0);
    expect(answers.get('ok')).toBeGreaterThan(0);
    if (process.env.IOA_FUZZ_RUNS) console.log(Object.fromEntries(answers));
  }, timeout(FUZZ.runs(2000)));

  it('answers every REST body with a documented status and code, never 500', async () => {
    const routes: Array<[string, () => string, () => string]> = [
      ['POST', () => '/v1/agents', () => ADMIN_TOKEN],
      ['PATCH', () => `/v1/agents/${fuzzer.id}`, () => fuzzer.token],
      ['POST', () => '/v1/agents/search', () => fuzzer.token],
      ['POST', () => '/v1/groups', () => fuzzer.token],
      ['POST', () => `/v1/groups/${own}/members`, () => fuzzer.token],
      ['POST', () => '/v1/goals', () => fuzzer.token],
      ['POST', () => '/v1/teams', () => fuzzer.token],
      ['POST', () => '/v1/auth/enrollments', () => ADMIN_TOKEN],
      ['POST', () => '/v1/auth/observer-tokens', () => ADMIN_TOKEN],
      ['POST', () => '/v1/auth/refresh', () => ''],
    ];
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...routes), hostileInput(own, a.id), async ([method, path, token], body) => {
        const r = await call(method, path(), token() || null, body === undefined ? null : body);
        return r.status < 500 && (r.status < 400 || (DOCUMENTED.has(r.body?.error?.code) && r.body.error.code !== ErrorCode.INTERNAL));
      }),
      { seed: FUZZ.seed, numRuns: FUZZ.runs(500) },
    );
    expect((await call('GET', '/health')).status).toBe(200);
  }, timeout(FUZZ.runs(500)));
});
