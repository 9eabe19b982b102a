import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { CLIENT_EVENT_NAMES } from '@ioa/protocol';
import { io } from 'socket.io-client';
import { fleet, TestAgent } from './support/fleet';
import { api } from './support/http';
import { ADMIN_TOKEN, TestServer } from './support/server';
import { until } from './support/until';

type Role = 'admin' | 'agent' | 'observer' | 'participant' | 'client' | 'enrollment';
const READERS: Role[] = ['admin', 'agent', 'observer', 'participant'];
/** Routes an outside application (MCP host, A2A caller) reads too: agents, and the goals it submitted. */
const WITH_CLIENTS: Role[] = [...READERS, 'client'];
const DECIDERS: Role[] = ['admin', 'participant'];

/**
 * Who may call each route at all (the resource checks behind it are access.spec.ts's). Every route the server
 * documents must be listed: a new route without a rule here fails the first test.
 */
const RULES: Record<string, Role[] | 'public'> = {
  'GET /health': 'public',
  'GET /health/live': 'public',
  'GET /health/ready': 'public',
  'POST /v1/auth/refresh': 'public',
  'POST /v1/auth/enrollments': ['admin'],
  'POST /v1/auth/observer-tokens': ['admin'],
  'POST /v1/auth/client-tokens': ['admin'],
  'GET /v1/auth/tokens': ['admin'],
  'POST /v1/auth/tokens/{jti}/revoke': ['admin'],
  'POST /v1/agents': ['enrollment', 'admin'],
  'POST /v1/agents/import': ['enrollment', 'admin'],
  'GET /v1/agents': WITH_CLIENTS,
  'POST /v1/agents/search': WITH_CLIENTS,
  'GET /v1/agents/{id}': WITH_CLIENTS,
  'PATCH /v1/agents/{id}': ['agent', 'admin'],
  'DELETE /v1/agents/{id}': ['agent', 'admin'],
  'POST /v1/agents/{id}/disable': ['admin'],
  'POST /v1/agents/{id}/enable': ['admin'],
  'POST /v1/agents/{id}/tokens': ['admin'],
  'GET /v1/agents/{id}/contacts': ['admin', 'agent'],
  'GET /v1/audit': ['admin'],
  'POST /v1/goals': ['admin', 'agent', 'client'],
  'GET /v1/goals': WITH_CLIENTS,
  'GET /v1/goals/{id}': WITH_CLIENTS,
  'GET /v1/goals/{id}/tree': WITH_CLIENTS,
  'GET /v1/goals/{id}/transcript': WITH_CLIENTS,
  'POST /v1/goals/{id}/cancel': ['admin', 'client'],
  'POST /v1/goals/{id}/messages': ['admin', 'agent', 'client'],
  'POST /v1/teams': ['agent'],
  'GET /v1/teams/{id}/tree': READERS,
  'GET /v1/teams/{id}/decision': READERS,
  'POST /v1/groups': ['agent', 'admin'],
  'GET /v1/groups': READERS,
  'GET /v1/groups/{id}': READERS,
  'GET /v1/groups/{id}/messages': READERS,
  'GET /v1/groups/{id}/tasks': READERS,
  'GET /v1/groups/{id}/graphs/{message_id}': READERS,
  'GET /v1/groups/{id}/checkpoints': READERS,
  'POST /v1/groups/{id}/checkpoints': ['admin'],
  'POST /v1/groups/{id}/rollback': ['admin'],
  'POST /v1/groups/{id}/pause': ['admin'],
  'POST /v1/groups/{id}/resume': ['admin'],
  'POST /v1/groups/{id}/messages': ['admin'],
  'POST /v1/groups/{id}/members': ['agent', 'admin'],
  'DELETE /v1/groups/{id}/members/{agentId}': ['agent', 'admin', 'participant'],
  'POST /v1/groups/{id}/close': ['admin'],
  'POST /v1/people': ['admin'],
  'GET /v1/people': ['admin'],
  'POST /v1/people/{id}/tokens': ['admin'],
  'GET /v1/approvals': DECIDERS,
  'GET /v1/approvals/{id}': DECIDERS,
  'POST /v1/approvals/{id}': DECIDERS,
  'POST /mcp': ['admin', 'client'],
  'POST /a2a': ['admin', 'client'],
  'GET /.well-known/agent-card.json': 'public',
};

/** The routes as the built server documents them (generated from Nest's route metadata by `npm run build`). */
function documentedRoutes(): string[] {
  const doc = JSON.parse(readFileSync(join(__dirname, '../docs/openapi.json'), 'utf8')) as { paths: Record<string, Record<string, unknown>> };
  return Object.entries(doc.paths).flatMap(([path, methods]) => Object.keys(methods).map((m) => `${m.toUpperCase()} ${path}`));
}

/**
 * Which roles a client event serves (the handshake refuses enrollment tokens before any event). `auth` takes a new
 * token of the socket's own principal only. A new event without a rule here fails the test.
 */
const EVENT_RULES: Record<(typeof CLIENT_EVENT_NAMES)[number], Role[]> = {
  message: ['agent', 'participant'],
  subscribe: READERS,
  unsubscribe: READERS,
  invite_reply: ['agent', 'participant'],
  auth: READERS,
  approval_decide: DECIDERS,
  rollback_ack: ['agent', 'participant'],
};

describe('auth matrix: every role against every route and event (real server on loopback)', () => {
  const server = new TestServer({ env: { IOA_REST_RATE_PER_S: '100000', IOA_REST_RATE_BURST: '100000' } });
  let call: ReturnType<typeof api>;
  let agent: TestAgent, other: TestAgent;
  const tokens: Partial<Record<Role | 'none', string | null>> = {};
  let person: { person: { id: string }; token: string };

  beforeAll(async () => {
    await server.start();
    call = api(server.url);
    [agent, other] = await fleet(server, ['matrix-agent', 'matrix-other']);
    tokens.none = null;
    tokens.admin = ADMIN_TOKEN;
    tokens.agent = agent.token;
    tokens.observer = (await call('POST', '/v1/auth/observer-tokens', ADMIN_TOKEN, { scope: { all: true } })).body.token;
    tokens.enrollment = (await call('POST', '/v1/auth/enrollments', ADMIN_TOKEN, { max_uses: 1 })).body.token;
    person = (await call('POST', '/v1/people', ADMIN_TOKEN, { name: 'Matrix Person', scope: { goals: ['g1'] } })).body;
    tokens.participant = person.token;
    tokens.client = (await call('POST', '/v1/auth/client-tokens', ADMIN_TOKEN, { name: 'matrix client' })).body.token;
  });
  afterAll(async () => {
    for (const x of [agent, other]) x?.client.close();
    await server.dispose();
  });

  it('has a rule for exactly the routes the server serves', () => {
    expect(documentedRoutes().sort()).toEqual(Object.keys(RULES).sort());
  });

  it.each(Object.entries(RULES))('%s: refuses whoever the rule leaves out, and only them', async (route, allowed) => {
    const [method, template] = route.split(' ');
    const path = template.replace(/\{[^}]+\}/g, () => randomUUID());
    for (const who of ['none', 'admin', 'agent', 'observer', 'participant', 'client', 'enrollment'] as const) {
      const r = await call(method, path, tokens[who] ?? null, method === 'GET' || method === 'DELETE' ? undefined : {});
      const roleRefusal = r.status === 403 && /may not do this/.test(r.body?.error?.message ?? '');
      if (allowed === 'public') expect([who, r.status]).not.toEqual([who, 401]);
      else if (who === 'none') expect([who, r.status]).toEqual([who, 401]);
      else expect([who, roleRefusal]).toEqual([who, !allowed.includes(who)]);
      expect([who, r.status < 500]).toEqual([who, true]);
    }
  });

  it('has a rule for exactly the client events', () => {
    expect(Object.keys(EVENT_RULES).sort()).toEqual([...CLIENT_EVENT_NAMES].sort());
  });

  it('auth: every role renews with a token of its own principal, and with no other', async () => {
    const connect = async (token: string) => {
      const socket = io(server.url, { transports: ['websocket'], auth: { token }, reconnection: false });
      await new Promise<void>((resolve, reject) => (socket.once('connect', () => resolve()), socket.once('connect_error', reject)));
      return socket;
    };
    const sameScope = (await call('POST', '/v1/auth/observer-tokens', ADMIN_TOKEN, { scope: { all: true } })).body.token;
    const samePerson = (await call('POST', `/v1/people/${person.person.id}/tokens`, ADMIN_TOKEN, { scope: { goals: ['g1'] } })).body.token;
    const otherPerson = (await call('POST', '/v1/people', ADMIN_TOKEN, { name: 'Someone Else', scope: { goals: ['g1'] } })).body.token;
    const widerScope = (await call('POST', `/v1/people/${person.person.id}/tokens`, ADMIN_TOKEN, { scope: { goals: ['g1', 'g2'] } })).body.token;
    const own: Record<string, string> = { admin: ADMIN_TOKEN, agent: agent.token, observer: sameScope, participant: samePerson };
    const foreign = [ADMIN_TOKEN, agent.token, other.token, tokens.observer as string, tokens.enrollment as string, tokens.participant as string, otherPerson, widerScope];
    for (const role of EVENT_RULES.auth) {
      const socket = await connect(tokens[role] as string);
      // Renewals are rate-limited per principal (a burst of 5): one refused so waits for the bucket and asks again.
      const renew = (token: string) => until('an auth ack that is not RATE_LIMITED', async () => {
        const ack = await socket.timeout(5_000).emitWithAck('auth', { token });
        return ack.error?.code !== 'RATE_LIMITED' && ack;
      });
      expect(await renew(own[role])).toMatchObject({ ok: true });
      for (const token of foreign.filter((t) => t !== own[role] && t !== tokens[role])) {
        // Another principal's token (another agent, another role, an enrollment token) is refused, changing nothing.
        expect((await renew(token)).error.code).toBe('FORBIDDEN');
      }
      socket.close();
    }
  });

  it('lets only agents and member people speak, watchers watch, and no enrollment token connect', async () => {
    const connect = (token: string) =>
      new Promise<ReturnType<typeof io> | string>((resolve) => {
        const socket = io(server.url, { transports: ['websocket'], auth: { token }, reconnection: false });
        socket.once('connect', () => resolve(socket));
        socket.once('connect_error', (e: Error & { data?: { code: string } }) => (socket.close(), resolve(e.data?.code ?? e.message)));
      });
    expect(await connect(tokens.enrollment as string)).toBe('FORBIDDEN');
    expect(await connect(tokens.client as string)).toBe('FORBIDDEN');
    expect(await connect('not-a-token')).toBe('UNAUTHORIZED');
    const group = (await call('POST', '/v1/groups', ADMIN_TOKEN, { goal: 'matrix', coordinator: agent.id, members: [other.id] })).body.id;
    const envelope = { header: { protocol: 'ioa/1', message_id: randomUUID(), group_id: group, type: 'discussion' }, payload: { content: 'hi', next_speaker: [] } };
    for (const who of ['admin', 'observer', 'participant'] as const) {
      const socket = (await connect(tokens[who] as string)) as ReturnType<typeof io>;
      // A person speaks only in groups she is a member of (this one has none).
      expect((await socket.timeout(5_000).emitWithAck('message', envelope)).error.code).toBe(who === 'participant' ? 'NOT_MEMBER' : 'FORBIDDEN');
      // The participant's scope (goal g1) does not cover this group; the observer's covers everything.
      expect((await socket.timeout(5_000).emitWithAck('subscribe', { group_id: group })).ok).toBe(who !== 'participant');
      socket.close();
    }
    expect((await agent.client.send(group, 'discussion', { content: 'hi', next_speaker: [] })).ok).toBe(true);
  });
});
