import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { request } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createHmac } from 'node:crypto';
import { IoAClient } from '@ioa/client';
import { fleet, TestAgent } from './support/fleet';
import { api } from './support/http';
import { ADMIN_TOKEN, runToExit, TestServer } from './support/server';
import { until } from './support/until';

const card = (name: string) => ({ name, description: `the ${name} agent`, capabilities: [] });

describe('security (real server on loopback, real SQLite file)', () => {
  const server = new TestServer({ env: { IOA_ACCESS_TOKEN_TTL_S: '2' } });
  let call: ReturnType<typeof api>;

  beforeAll(async () => {
    await server.start();
    call = api(server.url);
  });
  afterAll(() => server.dispose());

  const enroll = async (maxUses = 1) => (await call('POST', '/v1/auth/enrollments', ADMIN_TOKEN, { max_uses: maxUses })).body.token;
  const register = async (name: string) => (await call('POST', '/v1/agents', await enroll(), card(name))).body;

  it('serves liveness without a token and details only to admins', async () => {
    const open = await call('GET', '/health');
    expect(open).toEqual({ status: 200, body: { status: 'ok', protocol: 'ioa/1' } });
    const detail = await call('GET', '/health', ADMIN_TOKEN);
    expect(detail.body.components.database).toEqual({ status: 'ok', driver: 'better-sqlite3' });
    expect(detail.body.components.embedder).toMatchObject({ mode: 'lexical' });
  });

  it('refuses missing, malformed and forged tokens with 401', async () => {
    for (const token of [null, 'garbage', `${ADMIN_TOKEN}x`]) {
      const r = await call('GET', '/v1/agents', token);
      expect(r.status).toBe(401);
      expect(r.body.error.code).toBe('UNAUTHORIZED');
    }
    const forged = Buffer.from(JSON.stringify({ alg: 'HS256' })).toString('base64url');
    expect((await call('GET', '/v1/agents', `${forged}.e30.sig`)).status).toBe(401);
  });

  it('registers agents with enrollment tokens and counts their uses', async () => {
    const token = await enroll(2);
    expect((await call('GET', '/v1/agents', token)).status).toBe(403);
    const first = await call('POST', '/v1/agents', token, card('enrolled-one'));
    expect(first.status).toBe(201);
    expect(first.body).toMatchObject({ agent: { name: 'enrolled-one', status: 'offline' } });
    expect(first.body.token).toEqual(expect.any(String));
    expect(first.body.refresh_token).toEqual(expect.any(String));
    // A refused card does not spend a use.
    expect((await call('POST', '/v1/agents', token, card('enrolled-one'))).status).toBe(409);
    expect((await call('POST', '/v1/agents', token, card('enrolled-two'))).status).toBe(201);
    const spent = await call('POST', '/v1/agents', token, card('enrolled-three'));
    expect(spent.status).toBe(401);
    expect((await call('GET', '/v1/agents?name_prefix=enrolled-three', ADMIN_TOKEN)).body.total).toBe(0);
  });

  it('enforces roles and ownership', async () => {
    const a = await register('owner-a');
    const b = await register('owner-b');
    expect((await call('POST', '/v1/auth/enrollments', a.token, {})).status).toBe(403);
    expect((await call('POST', '/v1/agents', a.token, card('sneaky'))).status).toBe(403);
    const other = await call('PATCH', `/v1/agents/${b.agent.id}`, a.token, { description: 'hijacked' });
    expect(other.status).toBe(403);
    expect(other.body.error.code).toBe('FORBIDDEN');
    expect((await call('GET', `/v1/agents/${b.agent.id}`, a.token)).body.description).toBe('the owner-b agent');
    expect((await call('PATCH', `/v1/agents/${a.agent.id}`, a.token, { description: 'mine' })).body.description).toBe('mine');
    const observer = (await call('POST', '/v1/auth/observer-tokens', ADMIN_TOKEN, { scope: { all: true } })).body.token;
    expect((await call('GET', '/v1/agents', observer)).status).toBe(200);
    expect((await call('PATCH', `/v1/agents/${a.agent.id}`, observer, { description: 'x' })).status).toBe(403);
    expect((await call('POST', '/v1/auth/observer-tokens', ADMIN_TOKEN, { scope: { all: 'yes' } })).status).toBe(400);
  });

  it('rotates refresh tokens once and treats reuse as a leak', async () => {
    const a = await register('rotating');
    const rotated = await call('POST', '/v1/auth/refresh', null, { refresh_token: a.refresh_token });
    expect(rotated.status).toBe(200);
    expect((await call('GET', '/v1/agents', a.token)).status).toBe(401);
    expect((await call('GET', '/v1/agents', rotated.body.token)).status).toBe(200);
    const reuse = await call('POST', '/v1/auth/refresh', null, { refresh_token: a.refresh_token });
    expect(reuse.status).toBe(401);
    expect((await call('GET', '/v1/agents', rotated.body.token)).status).toBe(401);
    expect((await call('POST', '/v1/auth/refresh', null, { refresh_token: rotated.body.refresh_token })).status).toBe(401);
    expect((await call('POST', '/v1/auth/refresh', null, { refresh_token: rotated.body.token })).status).toBe(401);
  });

  it('lists and revokes tokens, disables and re-enables agents', async () => {
    const a = await register('revocable');
    const list = await call('GET', `/v1/auth/tokens?agent_id=${a.agent.id}`, ADMIN_TOKEN);
    expect(list.body.map((t: { kind: string }) => t.kind).sort()).toEqual(['access', 'refresh']);
    expect(JSON.stringify(list.body)).not.toContain(a.token);
    const access = list.body.find((t: { kind: string }) => t.kind === 'access');
    expect((await call('POST', `/v1/auth/tokens/${access.jti}/revoke`, ADMIN_TOKEN)).body.revoked_at).toEqual(expect.any(String));
    expect((await call('GET', '/v1/agents', a.token)).status).toBe(401);
    expect((await call('POST', '/v1/auth/tokens/nope/revoke', ADMIN_TOKEN)).status).toBe(404);

    const b = await register('disabled-one');
    expect((await call('POST', `/v1/agents/${b.agent.id}/disable`, ADMIN_TOKEN)).body.status).toBe('disabled');
    expect((await call('GET', '/v1/agents', b.token)).status).toBe(401);
    expect((await call('POST', '/v1/auth/refresh', null, { refresh_token: b.refresh_token })).status).toBe(401);
    expect((await call('POST', `/v1/agents/${b.agent.id}/tokens`, ADMIN_TOKEN)).status).toBe(409);
    expect((await call('POST', `/v1/agents/${b.agent.id}/enable`, ADMIN_TOKEN)).body.status).toBe('offline');
    const fresh = await call('POST', `/v1/agents/${b.agent.id}/tokens`, ADMIN_TOKEN);
    expect((await call('GET', '/v1/agents', fresh.body.token)).status).toBe(200);
  });

  it('enforces expiry', async () => {
    const a = await register('short-lived');
    expect((await call('GET', '/v1/agents', a.token)).status).toBe(200);
    await new Promise((r) => setTimeout(r, 2500));
    const expired = await call('GET', '/v1/agents', a.token);
    expect(expired.status).toBe(401);
    expect(expired.body.error.message).toMatch(/expired/);
  });
});

describe('start-up configuration', () => {
  it('stops with one line naming a wrong variable', async () => {
    for (const [name, value] of [['IOA_PORT', 'seventy'], ['IOA_VECTOR_STORE', 'mongo'], ['IOA_DATABASE_URL', 'mysql://x'], ['IOA_TLS_CERT', '/tmp/c.pem']]) {
      const { code, output } = await runToExit({ [name]: value, IOA_DATA_DIR: '/tmp/ioa-config-test' });
      expect(code).toBe(1);
      expect(output.trim().split('\n')).toHaveLength(1);
      expect(output).toContain(name.startsWith('IOA_TLS') ? 'IOA_TLS_KEY' : name);
    }
  });

  it('fails at start-up when a named model cannot be loaded', async () => {
    const { code, output } = await runToExit({ IOA_EMBEDDING_MODEL: '/nonexistent/model', IOA_DATA_DIR: '/tmp/ioa-config-test' });
    expect(code).toBe(1);
    expect(output).toMatch(/nonexistent/);
  });

  it('generates an admin token file (0600) on first start and keeps it across restarts', async () => {
    const server = new TestServer({ env: { IOA_ADMIN_TOKEN: '' } });
    try {
      await server.start();
      const file = join(server.dataDir, 'admin.token');
      expect(statSync(file).mode & 0o777).toBe(0o600);
      const token = readFileSync(file, 'utf8').trim();
      expect(server.output).toContain(file);
      const call = api(server.url);
      expect((await call('GET', '/v1/agents', token)).status).toBe(200);
      await server.restart();
      expect((await call('GET', '/v1/agents', token)).status).toBe(200);
      for (const secret of ['jwt.secret', 'data.key']) expect([secret, statSync(join(server.dataDir, secret)).mode & 0o777]).toEqual([secret, 0o600]);
    } finally {
      await server.dispose();
    }
  });
});

describe('TLS', () => {
  it('serves HTTPS with the configured certificate', async () => {
    const server = new TestServer();
    const cert = join(server.dataDir, 'cert.pem');
    const key = join(server.dataDir, 'key.pem');
    execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', key, '-out', cert, '-days', '1', '-subj', '/CN=127.0.0.1', '-addext', 'subjectAltName=IP:127.0.0.1'], { stdio: 'ignore' });
    const tls = new TestServer({ dataDir: server.dataDir, env: { IOA_TLS_CERT: cert, IOA_TLS_KEY: key, IOA_LOG_LEVEL: 'log' } });
    try {
      await tls.start();
      const body = await new Promise<string>((resolve, reject) => {
        request(`${tls.url}/health`, { ca: readFileSync(cert) }, (res) => {
          let data = '';
          res.on('data', (d) => (data += d));
          res.on('end', () => resolve(data));
        }).on('error', reject).end();
      });
      expect(JSON.parse(body)).toEqual({ status: 'ok', protocol: 'ioa/1' });
      await expect(fetch(`http://127.0.0.1:${tls.port}/health`)).rejects.toThrow();
    } finally {
      await tls.stop('SIGKILL');
      await server.dispose();
    }
  });

  it('refuses a handshake below IOA_TLS_MIN_VERSION', async () => {
    const server = new TestServer();
    const cert = join(server.dataDir, 'cert.pem');
    const key = join(server.dataDir, 'key.pem');
    execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', key, '-out', cert, '-days', '1', '-subj', '/CN=127.0.0.1', '-addext', 'subjectAltName=IP:127.0.0.1'], { stdio: 'ignore' });
    const tls = new TestServer({ dataDir: server.dataDir, env: { IOA_TLS_CERT: cert, IOA_TLS_KEY: key, IOA_TLS_MIN_VERSION: 'TLSv1.3', IOA_LOG_LEVEL: 'log' } });
    const handshake = (maxVersion: 'TLSv1.2' | 'TLSv1.3') =>
      new Promise<string>((resolve) => {
        request(`${tls.url}/health`, { ca: readFileSync(cert), maxVersion }, (res) => resolve(String(res.statusCode))).on('error', (e) => resolve(e.message)).end();
      });
    try {
      await tls.start();
      expect(await handshake('TLSv1.3')).toBe('200');
      expect(await handshake('TLSv1.2')).toMatch(/protocol version|alert|handshake/i);
    } finally {
      await tls.stop('SIGKILL');
      await server.dispose();
    }
  });
});

describe('signing key rotation (real server restarted with new keys on one data dir)', () => {
  const OLD = 'old-signing-secret-0123456789';
  const NEW = 'new-signing-secret-0123456789';
  const dataDir = mkdtempSync(join(tmpdir(), 'ioa-rotation-'));
  let server: TestServer | null = null;
  const boot = async (env: Record<string, string>) => {
    await server?.stop();
    server = await new TestServer({ dataDir, env }).start();
    return api(server.url);
  };
  const part = (token: string, i: number) => JSON.parse(Buffer.from(token.split('.')[i], 'base64url').toString());
  const kid = (token: string) => part(token, 0).kid;
  /** An HS256 JWT made by hand: the claims of `like` (a real token row), signed with `secret`, naming `keyId` or no key. */
  const forge = (like: string, secret: string, keyId?: string) => {
    const b64 = (o: object) => Buffer.from(JSON.stringify(o)).toString('base64url');
    const now = Math.floor(Date.now() / 1000);
    const signed = `${b64({ alg: 'HS256', typ: 'JWT', ...(keyId ? { kid: keyId } : {}) })}.${b64({ ...part(like, 1), iat: now, exp: now + 600 })}`;
    return `${signed}.${createHmac('sha256', secret).update(signed).digest('base64url')}`;
  };
  afterAll(async () => {
    await server?.dispose();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('keeps tokens of the previous key valid until it is dropped, and signs new ones with the new key', async () => {
    let call = await boot({ IOA_JWT_SECRET: OLD });
    const enrollment = (await call('POST', '/v1/auth/enrollments', ADMIN_TOKEN, { max_uses: 1 })).body.token;
    const agent = (await call('POST', '/v1/agents', enrollment, card('rotated'))).body;
    const oldObserver = (await call('POST', '/v1/auth/observer-tokens', ADMIN_TOKEN, { scope: { all: true } })).body.token;
    const oldKid = kid(agent.token);
    expect(oldKid).toEqual(expect.any(String));
    // A token as servers signed them before key ids: no kid, the claims of a real row, signed with the old secret.
    const legacy = forge(oldObserver, OLD);

    call = await boot({ IOA_JWT_SECRET: NEW, IOA_JWT_PREVIOUS_SECRETS: OLD });
    expect((await call('GET', `/v1/agents/${agent.agent.id}`, agent.token)).status).toBe(200);
    expect((await call('GET', '/v1/agents', oldObserver)).status).toBe(200);
    expect((await call('GET', '/v1/agents', legacy)).status).toBe(200);
    const refreshed = await call('POST', '/v1/auth/refresh', null, { refresh_token: agent.refresh_token });
    expect(refreshed.status).toBe(200);
    expect(kid(refreshed.body.token)).not.toBe(oldKid);
    // Correctly signed with the current secret, for a real token row, but naming a key the server does not have.
    expect((await call('GET', '/v1/agents', forge(refreshed.body.token, NEW, 'no-such-key'))).status).toBe(401);
    expect((await call('GET', '/v1/agents', forge(refreshed.body.token, NEW, kid(refreshed.body.token)))).status).toBe(200);

    call = await boot({ IOA_JWT_SECRET: NEW });
    expect((await call('GET', '/v1/agents', oldObserver)).status).toBe(401);
    expect((await call('GET', '/v1/agents', legacy)).status).toBe(401);
    expect((await call('GET', '/v1/agents', refreshed.body.token)).status).toBe(200);
  });

  it('refuses a previous secret too short to be one', async () => {
    const { code, output } = await runToExit({ IOA_DATA_DIR: dataDir, IOA_JWT_SECRET: NEW, IOA_JWT_PREVIOUS_SECRETS: 'short' });
    expect(code).not.toBe(0);
    expect(output).toContain('IOA_JWT_PREVIOUS_SECRETS');
  });
});

describe('sockets outliving their token (real server, 3 s access tokens, 1 s grace)', () => {
  const server = new TestServer({ env: { IOA_ACCESS_TOKEN_TTL_S: '3', IOA_SOCKET_AUTH_GRACE_S: '1' } });
  let call: ReturnType<typeof api>;
  let a: TestAgent, b: TestAgent;
  beforeAll(async () => {
    await server.start();
    call = api(server.url);
    [a, b] = await fleet(server, ['lapsing', 'renewing']);
  });
  afterAll(async () => {
    for (const x of [a, b]) x?.client.close();
    await server.dispose();
  });

  it('warns a socket before its token expires, closes it after the grace, and keeps a renewed one with its subscriptions', async () => {
    const g = (await call('POST', '/v1/groups', ADMIN_TOKEN, { goal: 'outlive a token', coordinator: b.id, members: [a.id, b.id] })).body.id;
    for (const x of [a, b]) expect((await x.client.emit('subscribe', { group_id: g })).ok).toBe(true);
    const warning = await a.client.waitFor('auth_expiring');
    expect(warning.grace_s).toBe(1);
    const expiresAt = Date.parse(warning.expires_at);

    // b renews: a bad token and another agent's are refused and change nothing, its own refreshed one is taken.
    expect((await b.client.emit('auth', { token: 'garbage' })).error.code).toBe('UNAUTHORIZED');
    expect((await b.client.emit('auth', { token: a.token })).error.code).toBe('FORBIDDEN');
    expect((await b.client.emit('auth', {})).error.code).toBe('VALIDATION');
    const fresh = (await call('POST', '/v1/auth/refresh', null, { refresh_token: b.refresh_token })).body;
    const renewed = await b.client.emit('auth', { token: fresh.token });
    expect(renewed).toEqual({ ok: true, expires_at: fresh.expires_at });

    await until('the lapsed socket to be closed', () => !a.client.socket.connected, 10_000);
    expect(Date.now()).toBeGreaterThanOrEqual(expiresAt + 1000 - 50);
    expect(b.client.socket.connected).toBe(true);
    // Still subscribed: a message posted now reaches b live.
    expect((await b.client.send(g, 'discussion', { content: 'still here', next_speaker: [] })).ok).toBe(true);
    await b.client.waitFor('message', (m) => m.payload.content === 'still here');
    // The socket now follows its new token: revoking that one closes it.
    const jti = JSON.parse(Buffer.from(fresh.token.split('.')[1], 'base64url').toString()).jti;
    expect((await call('POST', `/v1/auth/tokens/${jti}/revoke`, ADMIN_TOKEN)).status).toBeLessThan(300);
    await until('the renewed socket to close on revocation', () => !b.client.socket.connected, 5_000);
  });

  it('the SDK renews its socket\'s token by itself and stays connected past the token\'s lifetime', async () => {
    const r = (await call('POST', '/v1/agents', ADMIN_TOKEN, { name: 'sdk-renewer', description: 'renews', capabilities: [] })).body;
    const client = await IoAClient.connect({ url: server.url, token: r.token, refreshToken: r.refresh_token });
    let drops = 0;
    // The SDK's socket, reached past its privacy to count drops (a reconnection would hide one from every public call).
    (client as unknown as { conn: { socket: { on(e: string, f: () => void): void } } }).conn.socket.on('disconnect', () => drops++);
    const firstToken = client.credentials.token;
    await until('a renewed token', () => client.credentials.token !== firstToken, 10_000);
    await until('the first token\'s expiry and grace to pass', () => Date.now() > Date.parse(r.expires_at) + 1500, 10_000);
    expect(drops).toBe(0);
    expect((await client.rest.getAgent(r.agent.id)).name).toBe('sdk-renewer');
    client.close();
  });
});
