import { readFileSync } from 'node:fs';
import { fleet, TestAgent } from './support/fleet';
import { api } from './support/http';
import { ok } from './support/population';
import { ADMIN_TOKEN, TestServer } from './support/server';
import { until } from './support/until';

const KEY = 'checkpoint-test-data-key-0123456789';

/** Checkpoints: taken as graph nodes settle and when an admin asks, signed with the data key, verified when read. */
describe('checkpoints (real server, real sockets, real SQLite file)', () => {
  let server = new TestServer({ env: { IOA_DATA_KEY: KEY } });
  let call: ReturnType<typeof api>;
  let c: TestAgent, a: TestAgent;
  const checkpoints = async (g: string, token = ADMIN_TOKEN) => (await call('GET', `/v1/groups/${g}/checkpoints`, token)).body;
  const events = async (g: string) => (await call('GET', `/v1/groups/${g}/messages`, ADMIN_TOKEN)).body.items.filter((m: any) => m.payload.event === 'checkpoint');

  beforeAll(async () => {
    await server.start();
    call = api(server.url);
    [c, a] = await fleet(server, ['coord', 'alice']);
  });
  afterAll(async () => {
    for (const x of [c, a]) x?.client.close();
    await server.dispose();
  });

  it('takes one as a graph node settles and one when an admin asks, each announced and verified', async () => {
    const g = (await call('POST', '/v1/groups', ADMIN_TOKEN, { coordinator: c.id, goal: 'a leaflet', members: [a.id] })).body.id;
    const [draft] = ok(await c.client.send(g, 'task_assignment', { mode: 'async', tasks: [
      { key: 'draft', depends_on: [], task_desc: 'Write', task_abstract: 'draft', assignee: [a.id] },
      { key: 'print', depends_on: ['draft'], task_desc: 'Print', task_abstract: 'print', assignee: [a.id] },
    ] })).task_ids;
    await a.client.waitFor('task', (t) => t.id === draft);
    ok(await a.client.send(g, 'task_result', { task_id: draft, status: 'completed', task_conclusion: 'the text', task_abstract: 'written' }));
    await until('the node checkpoint', async () => (await checkpoints(g)).length === 1);
    const [node] = await checkpoints(g);
    expect(node).toMatchObject({ group_id: g, reason: 'node_settled', created_by: 'system', format: 1, verified: true, hash: expect.stringMatching(/^[0-9a-f]{64}$/) });
    const [announced] = await events(g);
    expect(announced).toMatchObject({ header: { seq: node.seq + 1 }, payload: { checkpoint_id: node.id, reason: 'node_settled', at_seq: node.seq, graph_id: node.graph_id } });

    const taken = await call('POST', `/v1/groups/${g}/checkpoints`, ADMIN_TOKEN);
    expect(taken).toMatchObject({ status: 201, body: { reason: 'admin', created_by: 'admin', graph_id: null, verified: true } });
    expect((await checkpoints(g, a.token)).map((x: any) => x.id)).toEqual([node.id, taken.body.id]);
    expect((await call('POST', `/v1/groups/${g}/checkpoints`, c.token)).status).toBe(403);
    expect((await call('GET', `/v1/groups/${g}/checkpoints`, (await fleet(server, ['outsider']))[0].token)).body.error.code).toBe('NOT_MEMBER');

    await call('POST', `/v1/groups/${g}/close`, ADMIN_TOKEN, {});
    expect((await call('POST', `/v1/groups/${g}/checkpoints`, ADMIN_TOKEN)).body.error.code).toBe('GROUP_CLOSED');
    expect((await call('POST', '/v1/groups/no-such-group/checkpoints', ADMIN_TOKEN)).status).toBe(404);
  });

  it('no longer verifies a checkpoint changed in the database, nor one signed by a key the server does not have', async () => {
    const g = (await call('POST', '/v1/groups', ADMIN_TOKEN, { coordinator: c.id, goal: 'tamper', members: [a.id] })).body.id;
    const take = async () => (await call('POST', `/v1/groups/${g}/checkpoints`, ADMIN_TOKEN)).body.id as string;
    const [first, second, third] = [await take(), await take(), await take()];
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const db = new (require('better-sqlite3'))(`${server.dataDir}/ioa.sqlite`);
    const row = db.prepare('SELECT state FROM checkpoints WHERE id = ?').get(first);
    db.prepare('UPDATE checkpoints SET state = ? WHERE id = ?').run(row.state.replace('"turns_used":0', '"turns_used":7'), first);
    // Changing the hash with the state is not enough: the signature covers the hash.
    const forged = require('node:crypto').createHash('sha256').update(row.state.replace('"turns_used":0', '"turns_used":7')).digest('hex');
    db.prepare('UPDATE checkpoints SET state = ?, hash = ? WHERE id = ?').run(row.state.replace('"turns_used":0', '"turns_used":7'), forged, second);
    // Nor is any other column outside the signature.
    db.prepare('UPDATE checkpoints SET machineVersion = 2 WHERE id = ?').run(third);
    db.close();
    expect((await checkpoints(g)).map((x: any) => [x.id, x.verified])).toEqual([[first, false], [second, false], [third, false]]);

    const fourth = (await call('POST', `/v1/groups/${g}/checkpoints`, ADMIN_TOKEN)).body;
    // A new key: what the old one signed no longer verifies, unless the old key is kept as a previous key.
    for (const [env, verified] of [[{ IOA_DATA_KEY: 'another-data-key-0123456789abcdef' }, false], [{ IOA_DATA_KEY: 'another-data-key-0123456789abcdef', IOA_DATA_PREVIOUS_KEYS: KEY }, true]] as const) {
      await server.stop();
      server = new TestServer({ dataDir: server.dataDir, env });
      await server.start();
      call = api(server.url);
      expect((await checkpoints(g)).find((x: any) => x.id === fourth.id).verified).toBe(verified);
    }
  });

  it('deletes a closed group\'s checkpoints after their retention: gone from the database and WAL files, audited', async () => {
    const short = new TestServer({ env: { IOA_CHECKPOINT_RETENTION_S: '1' } });
    await short.start();
    try {
      const admin = api(short.url);
      const [lead] = await fleet(short, ['lead']);
      lead.client.close();
      const create = async (goal: string) => (await admin('POST', '/v1/groups', ADMIN_TOKEN, { coordinator: lead.id, goal, members: [lead.id] })).body.id;
      const [closing, open] = [await create('closes'), await create('stays open')];
      const [expiring, kept] = [(await admin('POST', `/v1/groups/${closing}/checkpoints`, ADMIN_TOKEN)).body.id, (await admin('POST', `/v1/groups/${open}/checkpoints`, ADMIN_TOKEN)).body.id];
      // A marker only this checkpoint's row holds.
      const MARKER = 'RETENTION-MARKER-7f3a9c';
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      const db = new (require('better-sqlite3'))(`${short.dataDir}/ioa.sqlite`);
      expect(db.prepare('UPDATE checkpoints SET state = state || ? WHERE id = ?').run(MARKER.repeat(50), expiring).changes).toBe(1);
      db.close();
      const bytes = () => ['ioa.sqlite', 'ioa.sqlite-wal'].map((f) => { try { return readFileSync(`${short.dataDir}/${f}`).toString('latin1'); } catch { return ''; } }).join('');
      expect(bytes()).toContain(MARKER);

      await admin('POST', `/v1/groups/${closing}/close`, ADMIN_TOKEN, {});
      const deleted = await until('the retention sweep', async () => (await admin('GET', `/v1/audit?group_id=${closing}`, ADMIN_TOKEN)).body.find((e: any) => e.action === 'checkpoints_deleted'));
      expect(deleted).toMatchObject({ actor: 'system', detail: { checkpoint_ids: [expiring], retention_s: 1 } });
      expect(await (await admin('GET', `/v1/groups/${closing}/checkpoints`, ADMIN_TOKEN)).body).toEqual([]);
      expect(bytes()).not.toContain(MARKER);
      expect((await admin('GET', `/v1/groups/${open}/checkpoints`, ADMIN_TOKEN)).body.map((x: any) => x.id)).toEqual([kept]);
    } finally {
      await short.dispose();
    }
  });
});
