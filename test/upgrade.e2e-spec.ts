import { copyFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { api } from './support/http';
import { ADMIN_TOKEN, TestServer } from './support/server';
import { TestClient } from './support/socket';

const ok = (ack: any) => {
  if (!ack.ok) throw new Error(JSON.stringify(ack.error));
  return ack;
};

/** A database written by an earlier server (test/fixtures/README.md) loads, and its waiting sessions finish. */
describe('upgrade: a machine-version-1 database (real server, a copy of the fixture SQLite file)', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'ioa-upgrade-'));
  copyFileSync(join(__dirname, 'fixtures/machine-v1/ioa.sqlite'), join(dataDir, 'ioa.sqlite'));
  const server = new TestServer({ dataDir });
  const clients: TestClient[] = [];
  let call: ReturnType<typeof api>;

  beforeAll(async () => {
    await server.start();
    call = api(server.url);
  });
  afterAll(async () => {
    for (const c of clients) c.close();
    await server.dispose();
    rmSync(dataDir, { recursive: true, force: true });
  });

  async function agent(name: string): Promise<{ id: string; client: TestClient }> {
    const { id } = (await call('GET', `/v1/agents?name_prefix=${name}`, ADMIN_TOKEN)).body.items[0];
    const { token } = (await call('POST', `/v1/agents/${id}/tokens`, ADMIN_TOKEN)).body;
    const client = new TestClient(server.url, token);
    clients.push(client);
    await client.connected();
    return { id, client };
  }

  it('resumes every waiting group and finishes its session', async () => {
    const groups = (await call('GET', '/v1/groups?limit=50', ADMIN_TOKEN)).body.items;
    const byGoal = (goal: string) => groups.find((g: any) => g.goal === `fixture: ${goal}`);
    expect(groups.map((g: any) => g.state).sort()).toEqual(['conclusion', 'discussion', 'forming', 'sync_task_assignment']);
    const [c, a, b] = [await agent('coord'), await agent('alice'), await agent('bob')];

    const turn = byGoal('a member holds the turn');
    expect(turn.turn.holders).toEqual([a.id]);
    ok(await a.client.send(turn.id, 'discussion', { content: 'back after the upgrade', next_speaker: [] }));
    ok(await c.client.send(turn.id, 'conclusion', { summary: 'done' }));

    const sync = byGoal('a sync task is open');
    const [task] = (await call('GET', `/v1/groups/${sync.id}/tasks`, ADMIN_TOKEN)).body;
    await b.client.waitFor('task', (t) => t.id === task.id && t.state === 'submitted');
    ok(await b.client.send(sync.id, 'task_reply', { task_id: task.id, accept: true }));
    ok(await b.client.send(sync.id, 'task_result', { task_id: task.id, status: 'completed', task_conclusion: 'written', task_abstract: 'report' }));
    ok(await c.client.send(sync.id, 'conclusion', { summary: 'reported' }));

    const forming = byGoal('forming');
    const invite = (await call('GET', `/v1/teams/${forming.id}/decision`, ADMIN_TOKEN)).body.needs[0].invites[0];
    expect(invite).toMatchObject({ agent_id: a.id, status: 'pending' });
    ok(await a.client.emit('invite_reply', { invite_id: invite.invite_id, accept: true }));
    ok(await c.client.send(forming.id, 'conclusion', { summary: 'formed and done' }));

    ok(await c.client.send(byGoal('conclusion').id, 'conclusion', { summary: 'summarised' }));

    const after = (await call('GET', '/v1/groups?limit=50', ADMIN_TOKEN)).body.items;
    expect(after.map((g: any) => [g.state, g.close_reason])).toEqual(after.map(() => ['closed', 'concluded']));
  });
});
