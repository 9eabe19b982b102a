import { DataSource } from 'typeorm';
import { ENTITIES } from '../apps/server/src/foundation/persistence/data-source';
import { FencedOff, TypeOrmGroupCommitter } from '../apps/server/src/data/groups/group-committer';
import { GroupEntity } from '../apps/server/src/data/groups/group.entity';
import { MessageEntity } from '../apps/server/src/data/groups/message.entity';
import { newGroupRow } from '../apps/server/src/interaction/session/group-spec';
import { fleet } from './support/fleet';
import { api } from './support/http';
import { ok } from './support/population';
import { postgresBin, TestPostgres } from './support/postgres';
import { ADMIN_TOKEN, TestServer } from './support/server';
import { until } from './support/until';

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

  it('lists and decides a participant\'s approvals (scope and approvers filtered in SQL)', async () => {
    const [c, a] = await fleet(server, ['pg-coordinator', 'pg-member']);
    const g = (await call('POST', '/v1/groups', ADMIN_TOKEN, { coordinator: c.id, goal: 'pg approvals', members: [a.id] })).body.id;
    const [named, other] = [await call('POST', '/v1/people', ADMIN_TOKEN, { name: 'Pia', scope: { groups: [g] } }), await call('POST', '/v1/people', ADMIN_TOKEN, { name: 'Ole', scope: { groups: [g] } })];
    const [approval] = ok(await c.client.send(g, 'task_assignment', { mode: 'async', tasks: [
      { key: 'ok', depends_on: [], kind: 'approval', task_desc: 'fine?', task_abstract: 'ok', approvers: [named.body.person.id] },
    ] })).task_ids;
    await until('the approval to wait', async () => (await call('GET', '/v1/approvals', named.body.token)).body.length === 1);
    expect((await call('GET', '/v1/approvals', other.body.token)).body).toEqual([]);
    expect((await call('POST', `/v1/approvals/${approval}`, named.body.token, { decision: 'approve' })).body.state).toBe('approved');
    for (const x of [c, a]) x.client.close();
  });

  it('has, after the server\'s migrations, exactly the schema the entities describe', async () => {
    const ds = await new DataSource({ type: 'postgres', url: pg.url, entities: ENTITIES }).initialize();
    try {
      expect((await ds.driver.createSchemaBuilder().log()).upQueries.map((q) => q.query)).toEqual([]);
    } finally {
      await ds.destroy();
    }
  });

  it('commits many groups\' steps together: a fenced-off step and a bad step each fail alone, the others are stored', async () => {
    const ds = await new DataSource({ type: 'postgres', url: pg.url, entities: ENTITIES }).initialize();
    try {
      const committer = new TypeOrmGroupCommitter(ds);
      const now = Date.now();
      const groups = Array.from({ length: 30 }, (_, i) => Object.assign(newGroupRow({ id: `gc-${i}`, createdBy: 'admin', goal: 'g', coordinator: 'a', members: ['a'], teamUpDepth: 0 }, now, 'node-1'), { snapshot: { status: 'active' } }));
      const message = (g: GroupEntity, seq: number, messageId = `m-${g.id}-${seq}`) => Object.assign(new MessageEntity(), {
        groupId: g.id, seq, messageId, sender: 'a', type: 'discussion', state: 'discussion', payload: { content: String(seq) }, ext: null, digest: 'd', taskIds: null, timestamp: now,
      });
      await Promise.all(groups.map((g) => committer.commit({ group: g, created: true, messages: [message(g, 1)] }, null)));
      // Another node took gc-0 (its token moved on). The committer is kept busy by gc-29's step, so that the others
      // share the next transaction: gc-0's step is left out of it by fencing, the rest are stored together.
      await ds.getRepository(GroupEntity).update({ id: 'gc-0' }, { fence: 2, heldBy: 'node-2' });
      const step = (g: GroupEntity, seq: number, messageId: string) =>
        committer.commit({ group: { ...g, lastSeq: seq } as GroupEntity, decisionUnchanged: true, messages: [message(g, seq, messageId)] }, { token: 1 });
      const first = await Promise.allSettled([groups[29], ...groups.slice(0, 29)].map((g) => step(g, 2, `again-${g.id}`)));
      expect(first[1]).toMatchObject({ status: 'rejected', reason: expect.any(FencedOff) });
      expect(first.filter((o) => o.status === 'fulfilled')).toHaveLength(29);
      // A batch in which gc-1's step repeats a stored seq (a primary key violation): it fails alone.
      const second = await Promise.allSettled([groups[29], ...groups.slice(1, 29)].map((g) => step(g, g.id === 'gc-1' ? 2 : 3, `third-${g.id}`)));
      expect(second[1]).toMatchObject({ status: 'rejected' });
      expect(second.filter((o) => o.status === 'fulfilled')).toHaveLength(28);
      const stored = await ds.getRepository(MessageEntity).find({ where: { seq: 3 } });
      expect(stored.map((m) => m.groupId).filter((id) => id.startsWith('gc-')).sort()).toEqual(groups.slice(2).map((g) => g.id).sort());
      const rows = new Map((await ds.getRepository(GroupEntity).find()).filter((g) => g.id.startsWith('gc-')).map((g) => [g.id, g]));
      expect([rows.get('gc-0')?.lastSeq, rows.get('gc-0')?.heldBy, rows.get('gc-1')?.lastSeq, rows.get('gc-2')?.lastSeq]).toEqual([0, 'node-2', 2, 3]);
    } finally {
      await ds.destroy();
    }
  });
});
