import Database from 'better-sqlite3';
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { fleet, TestAgent } from './support/fleet';
import { api } from './support/http';
import { ADMIN_TOKEN, TestServer } from './support/server';
import { until } from './support/until';

const ok = (ack: any) => {
  if (!ack.ok) throw new Error(JSON.stringify(ack.error));
  return ack;
};

/**
 * Deadlines of groups that wait with no open task (so presence never steps them) must be armed again after a
 * restart by the scheduler alone, and each must fire once, not before it is due.
 */
describe('deadlines after a restart, with no open task (real server, kill -9)', () => {
  const server = new TestServer({ env: { IOA_HEARTBEAT_MS: '100', IOA_INVITE_TIMEOUT_S: '3', IOA_FORMING_TIMEOUT_S: '60' } });
  let call: ReturnType<typeof api>;
  let c: TestAgent, a: TestAgent, silent: TestAgent;

  beforeAll(async () => {
    await server.start();
    call = api(server.url);
    [c, a, silent] = await fleet(server, ['coord', 'alice', 'silent']);
  });
  afterAll(async () => {
    for (const x of [c, a, silent]) x?.client.close();
    await server.dispose();
  });

  const group = async (id: string) => (await call('GET', `/v1/groups/${id}`, ADMIN_TOKEN)).body;
  const systemEvents = async (id: string, event: string) =>
    (await call('GET', `/v1/groups/${id}/messages?limit=500`, ADMIN_TOKEN)).body.items.filter((m: any) => m.header.type === 'system' && m.payload.event === event);
  const open = async (options: Record<string, number>) =>
    (await call('POST', '/v1/groups', ADMIN_TOKEN, { coordinator: c.id, goal: 'wait', members: [a.id], coordinator_timeout_s: 600, turn_timeout_s: 600, ...options })).body.id;

  it('fires each waiting group\'s deadline once, at or after it is due', async () => {
    // discussion, a member holds the turn: its turn times out.
    const turn = await open({ turn_timeout_s: 3 });
    ok(await c.client.send(turn, 'discussion', { content: 'alice?', next_speaker: [a.id] }));
    // discussion, the coordinator holds the turn: the role passes on.
    const coordinator = await open({ coordinator_timeout_s: 3 });
    // conclusion, waiting for the summary: the group closes.
    const conclusion = await open({ max_turns: 1, conclusion_wait_s: 3 });
    ok(await c.client.send(conclusion, 'discussion', { content: 'one turn', next_speaker: [] }));
    expect((await group(conclusion)).state).toBe('conclusion');
    // forming, waiting for an invitee that never answers: the team fails.
    const forming = ok(await c.client.emit('message', {
      header: { protocol: 'ioa/1', message_id: randomUUID(), type: 'team_formation' }, payload: { goal: 'stargazing', team_members: [silent.id] },
    })).group_id;
    expect((await group(forming)).state).toBe('forming');

    await server.stop('SIGKILL');
    for (const x of [c, a, silent]) x.client.close();
    await server.start();

    const due = {
      turn: Date.parse((await group(turn)).turn.deadline),
      coordinator: Date.parse((await group(coordinator)).turn.deadline),
      conclusion: Date.parse((await group(conclusion)).conclusion_deadline),
    };
    const firstAt = async (id: string, event: string) => {
      const [m, ...more] = await until(`${event} in ${id}`, async () => {
        const found = await systemEvents(id, event);
        return found.length > 0 && found;
      });
      expect(more).toEqual([]);
      return Date.parse(m.header.timestamp);
    };
    // Not before it is due, and not long after (a generous bound: this is about a missing wake-up, not speed).
    const onTime = (at: number, when: number) => expect([at >= when, at < when + 5_000]).toEqual([true, true]);
    onTime(await firstAt(turn, 'turn_timeout'), due.turn);
    onTime(await firstAt(coordinator, 'coordinator_changed'), due.coordinator);
    onTime(await firstAt(conclusion, 'group_closed'), due.conclusion);
    expect(await group(conclusion)).toMatchObject({ state: 'closed', close_reason: 'max_turns' });
    await until('the unanswered team to fail', async () => (await group(forming)).state === 'closed');
    expect(await group(forming)).toMatchObject({ close_reason: 'failed' });
    await firstAt(forming, 'group_closed');
    // Once each: a while later nothing has fired twice.
    await new Promise((r) => setTimeout(r, 500));
    expect(await systemEvents(turn, 'turn_timeout')).toHaveLength(1);
    expect(await systemEvents(coordinator, 'coordinator_changed')).toHaveLength(1);
  });
});

describe('downtime is measured per node (real server, real SQLite file)', () => {
  const server = new TestServer({ env: { IOA_NODE_ID: 'node-a', IOA_HEARTBEAT_MS: '100' } });
  afterAll(() => server.dispose());

  it("moves each group's deadlines by the downtime of the node that held it, then forgets that node", async () => {
    await server.start();
    const call = api(server.url);
    const [c, a] = await fleet(server, ['coord', 'alice']);
    const open = async () => (await call('POST', '/v1/groups', ADMIN_TOKEN, { coordinator: c.id, goal: 'wait', members: [a.id], coordinator_timeout_s: 86400 })).body.id;
    const [mine, theirs] = [await open(), await open()];
    const deadline = async (id: string) => Date.parse((await call('GET', `/v1/groups/${id}`, ADMIN_TOKEN)).body.turn.deadline);
    const before = { mine: await deadline(mine), theirs: await deadline(theirs) };
    for (const x of [c, a]) x.client.close();
    await server.stop();

    // As if another node had held `theirs` and died an hour ago.
    const db = new Database(join(server.dataDir, 'ioa.sqlite'));
    db.prepare('INSERT INTO nodes (id, aliveAt) VALUES (?, ?)').run('node-b', Date.now() - 3_600_000);
    db.prepare('UPDATE groups SET heldBy = ? WHERE id = ?').run('node-b', theirs);
    db.close();
    await server.start();

    expect((await deadline(mine)) - before.mine).toBeLessThan(60_000);
    expect((await deadline(theirs)) - before.theirs).toBeGreaterThanOrEqual(3_600_000);
    await server.stop();
    const after = new Database(join(server.dataDir, 'ioa.sqlite'), { readonly: true });
    // Each boot beats under its own id (node id / boot id): the dead node is forgotten, this node's boots are not yet.
    const nodes = after.prepare('SELECT id FROM nodes').all().map((n: any) => n.id);
    expect(nodes).not.toContain('node-b');
    expect(nodes.every((id: string) => id.startsWith('node-a/'))).toBe(true);
    const holders = after.prepare('SELECT DISTINCT heldBy FROM groups').all().map((g: any) => g.heldBy);
    expect(holders).toHaveLength(1);
    expect(nodes).toContain(holders[0]);
    after.close();
  });
});
