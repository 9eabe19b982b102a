import { DataSource } from 'typeorm';
import { ENTITIES } from '../apps/server/src/foundation/persistence/data-source';
import { api } from './support/http';
import { postgresBin, TestPostgres } from './support/postgres';
import { ADMIN_TOKEN, TestServer } from './support/server';

const bin = postgresBin();
// CI installs PostgreSQL (see .ci/run), so there the suite must run; elsewhere it is skipped when none is installed.
if (!bin && process.env.CI) throw new Error('PostgreSQL binaries not found under /usr/lib/postgresql; .ci/run installs them');
const describeIfPostgres = bin ? describe : describe.skip;

describeIfPostgres('the same server on a real PostgreSQL (IOA_DATABASE_URL)', () => {
  const pg = new TestPostgres(bin as string);
  let server: TestServer;
  let call: ReturnType<typeof api>;

  beforeAll(async () => {
    await pg.start();
    server = new TestServer({ env: { IOA_DATABASE_URL: pg.url } });
    await server.start();
    call = api(server.url);
  }, 60_000);
  afterAll(async () => {
    await server?.dispose();
    await pg.stop();
  });

  it('runs the migrations and serves the registry, tokens and search', async () => {
    const health = await call('GET', '/health', ADMIN_TOKEN);
    expect(health.body.components.database).toEqual({ status: 'ok', driver: 'postgres' });
    const enroll = (await call('POST', '/v1/auth/enrollments', ADMIN_TOKEN, { max_uses: 1 })).body.token;
    const reg = await call('POST', '/v1/agents', enroll, {
      name: 'tax-helper', description: 'Computes income tax returns.', skills: ['finance'],
      capabilities: [{ name: 'file_return', description: 'Prepare and file a yearly tax return.' }], metadata: { a: [1, 2] },
    });
    expect(reg.status).toBe(201);
    expect((await call('POST', '/v1/agents', enroll, { name: 'second', description: 'x', capabilities: [] })).status).toBe(401);
    expect((await call('POST', '/v1/agents', ADMIN_TOKEN, { name: 'tax-helper', description: 'x', capabilities: [] })).status).toBe(409);
    expect((await call('GET', '/v1/agents?skill=finance', reg.body.token)).body.total).toBe(1);
    const refreshed = await call('POST', '/v1/auth/refresh', null, { refresh_token: reg.body.refresh_token });
    expect(refreshed.status).toBe(200);
    await server.restart();
    const found = await call('POST', '/v1/agents/search', refreshed.body.token, { query: 'help me with my taxes' });
    expect(found.body.results[0]).toMatchObject({ agent: { name: 'tax-helper', metadata: { a: [1, 2] } } });
    expect((await call('GET', '/v1/agents', reg.body.token)).status).toBe(401);
  });

  it('has, after the server\'s migrations, exactly the schema the entities describe', async () => {
    const ds = await new DataSource({ type: 'postgres', url: pg.url, entities: ENTITIES }).initialize();
    try {
      expect((await ds.driver.createSchemaBuilder().log()).upQueries.map((q) => q.query)).toEqual([]);
    } finally {
      await ds.destroy();
    }
  });
});
