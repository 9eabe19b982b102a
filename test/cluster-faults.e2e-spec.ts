import { randomUUID } from 'node:crypto';
import { api } from './support/http';
import { postgresBin, TestPostgres } from './support/postgres';
import { redisBin, TestRedis } from './support/redis';
import { ADMIN_TOKEN, TestServer } from './support/server';
import { TestClient } from './support/socket';
import { until } from './support/until';

const pgBin = postgresBin();
const redis = redisBin();
// CI installs both (see .ci/run), so there the suite must run; elsewhere it is skipped when one is missing.
if ((!pgBin || !redis) && process.env.CI) throw new Error('the cluster suites need PostgreSQL and redis-server; .ci/run installs them');
const describeIfCluster = pgBin && redis ? describe : describe.skip;

/** Error codes a client answers by sending the same message again (same `message_id`), as the SDK does. */
const RESEND = new Set(['UNAVAILABLE', 'TIMEOUT', 'DISCONNECTED']);

/**
 * Faults on three real server processes over one PostgreSQL and one redis-server: the node running a group is killed,
 * paused past its lease, or stopped gracefully, and Redis restarts, each while two agents on the other nodes talk in
 * the group. Counted each time: messages sent, acked, stored, and seen by an observer on each surviving node; nothing
 * acked may be lost or doubled, and `seq` stays gap-free.
 */
describeIfCluster('several nodes: one owner per group, takeover and fencing under faults (real processes)', () => {
  const pg = new TestPostgres(pgBin as string);
  const rd = new TestRedis(redis as string);
  const nodes: TestServer[] = [];
  const sockets: TestClient[] = [];
  const env = (id: string) => ({
    IOA_DATABASE_URL: pg.url, IOA_REDIS_URL: rd.url, IOA_JWT_SECRET: 'cluster-test-secret-0123456789', IOA_DATA_KEY: 'cluster-test-data-key-0123456789', IOA_NODE_ID: id,
    // Short heartbeats and lease: a dead node's groups move within about two seconds.
    IOA_HEARTBEAT_MS: '300', IOA_NODE_LAPSE_S: '2', IOA_FORWARD_TIMEOUT_MS: '1500', IOA_RATE_PER_S: '500', IOA_RATE_BURST: '1000',
    // Info lines too: the tests read what a node says it did (released its groups, was fenced off).
    IOA_LOG_LEVEL: 'log',
  });
  const call = (i: number) => api(nodes[i].url);
  const socket = async (i: number, token: string) => {
    const s = new TestClient(nodes[i].url, token);
    sockets.push(s);
    await s.connected();
    return s;
  };
  const agentOn = async (i: number, name: string) => {
    const r = await call(i)('POST', '/v1/agents', ADMIN_TOKEN, { name: `${name}-${randomUUID().slice(0, 6)}`, description: `${name} test agent`, capabilities: [] });
    return { id: r.body.agent.id as string, token: r.body.token as string, client: await socket(i, r.body.token) };
  };
  /** Every stored message of the group, in seq order. */
  const history = async (groupId: string) => {
    const all: Array<{ header: { seq: number; message_id: string; type: string }; payload: { event?: string } }> = [];
    for (;;) {
      const page = (await call(1)('GET', `/v1/groups/${groupId}/messages?after_seq=${all.length ? all[all.length - 1].header.seq : 0}&limit=200`, ADMIN_TOKEN)).body.items;
      all.push(...page);
      if (page.length < 200) return all;
    }
  };

  beforeAll(async () => {
    await Promise.all([pg.start(), rd.start()]);
    nodes.push(await new TestServer({ env: env('node-a') }).start());
    nodes.push(...(await Promise.all(['node-b', 'node-c'].map((id) => new TestServer({ env: env(id) }).start()))));
  }, 120_000);
  afterAll(async () => {
    sockets.forEach((s) => s.close());
    nodes.forEach((n) => n.signal('SIGCONT'));
    await Promise.all(nodes.map((n) => n.dispose()));
    await Promise.all([rd.dispose(), pg.stop()]);
  });

  /**
   * Two agents (the coordinator on node b, a member on node c) in a group that node `owner` runs, passing the turn
   * back and forth; each message is sent until acked, with the same message_id; an admin observes on nodes b and c.
   */
  async function chat(owner: number, options: { turnTimeoutS?: number; coordinatorOn?: number } = {}) {
    const coordinator = await agentOn(options.coordinatorOn ?? 1, 'lead');
    const member = await agentOn(2, 'member');
    const created = await call(owner)('POST', '/v1/groups', ADMIN_TOKEN, {
      goal: 'keep talking', coordinator: coordinator.id, members: [member.id], max_turns: 1000, turn_timeout_s: options.turnTimeoutS ?? 60, coordinator_timeout_s: 600,
    });
    expect(created.status).toBe(201);
    const groupId: string = created.body.id;
    const observers = [await socket(1, ADMIN_TOKEN), await socket(2, ADMIN_TOKEN)];
    for (const o of observers) expect((await o.emit('subscribe', { group_id: groupId })).ok).toBe(true);
    const counts = { sent: 0, resent: 0, acked: new Set<string>() };
    const speakers = [coordinator, member];
    let turn = 0;

    const sendUntilAcked = async (from: typeof coordinator, payload: object, messageId = randomUUID()) => {
      counts.sent++;
      let last = '';
      for (const started = Date.now(); Date.now() - started < 30_000;) {
        // A socket the server closed (its group changing nodes under a subscription) is opened again, as the SDK does.
        if (!from.client.socket.connected) from.client.socket.connect();
        const ack = from.client.socket.connected
          ? await from.client.send(groupId, 'discussion', payload, messageId).catch(() => ({ ok: false, error: { code: 'TIMEOUT' } }))
          : { ok: false, error: { code: 'DISCONNECTED' } };
        if (ack.ok) {
          counts.acked.add(messageId);
          return ack;
        }
        if (!RESEND.has(ack.error.code)) throw new Error(`message ${messageId} refused: ${JSON.stringify(ack.error)}`);
        last = JSON.stringify(ack.error);
        counts.resent++;
        await new Promise((r) => setTimeout(r, 150));
      }
      logNodes();
      throw new Error(`message ${messageId} not acked in 30 s; last answer ${last}`);
    };
    return {
      groupId, coordinator, member, observers, counts,
      /** One message from whoever holds the turn, giving it to the other. */
      next: async () => {
        const from = speakers[turn % 2];
        const to = speakers[(turn + 1) % 2];
        await sendUntilAcked(from, { content: `message ${turn}`, next_speaker: [to.id] });
        turn++;
      },
      /** Gives the turn to the member, who stays silent (its turn deadline runs). */
      silence: async () => {
        if (turn % 2 === 1) await sendUntilAcked(member, { content: 'back to you', next_speaker: [coordinator.id] }).then(() => turn++);
        await sendUntilAcked(coordinator, { content: 'your turn (stay silent)', next_speaker: [member.id] });
        turn++;
      },
      /** The turn deadline passed: the turn is the coordinator's again. */
      turnReturned: () => {
        turn = 0;
      },
      /**
       * Checks the stored history and each observer against it, after the observer resumed from the last seq it
       * holds without a gap (as a client does after missing deliveries); prints what was counted.
       */
      verify: async (label: string) => {
        const stored = await history(groupId);
        const seqs = stored.map((m) => m.header.seq);
        const ids = stored.map((m) => m.header.message_id);
        const seen: number[][] = [];
        for (const o of observers) {
          // What arrived live is in order and never twice (a gap is a delivery lost with a node, resumed below).
          const live = o.messages(groupId).map((m) => m.header.seq as number);
          expect(live.every((seq, i) => i === 0 || seq > live[i - 1])).toBe(true);
          const mine = () => [...new Set(o.messages(groupId).map((m) => m.header.seq as number))].sort((a, b) => a - b);
          let contiguous = 0;
          while (mine().includes(contiguous + 1)) contiguous++;
          if (contiguous < seqs.length) {
            if (!o.socket.connected) {
              // Closed by the server (a subscription whose group changed nodes): open it again and resume, as the SDK does.
              o.socket.connect();
              await o.connected();
            }
            expect((await o.emit('subscribe', { group_id: groupId, after_seq: contiguous })).ok).toBe(true);
            await until(`${label}: an observer to hold the whole history`, () => mine().length >= seqs.length && mine()[seqs.length - 1] === seqs.length);
          }
          seen.push(mine());
        }
        console.log(`${label}: sent ${counts.sent}, resent ${counts.resent}, acked ${counts.acked.size}, stored ${stored.length}, seen by the observers ${seen.map((s) => s.length).join(' and ')}`);
        expect(seqs).toEqual(seqs.map((_, i) => i + 1));
        expect(new Set(ids).size).toBe(ids.length);
        expect([...counts.acked].filter((id) => !ids.includes(id))).toEqual([]);
        for (const s of seen) expect(s).toEqual(seqs);
        return stored;
      },
    };
  }
  /** What each node said lately, so that a failure names where a message got stuck or a socket was closed. */
  const logNodes = () => nodes.forEach((n, i) => console.log(`node ${i}:\n${n.output.split('\n').filter((l) => /"level":"(warn|error)"|taken over|released/.test(l)).slice(-15).join('\n')}`));
  const events = (stored: Array<{ payload: { event?: string } }>, event: string) => stored.filter((m) => m.payload.event === event).length;

  it('kill -9 of the node running a group mid-session: another node takes it, nothing acked is lost or doubled, the turn deadline fires once', async () => {
    // The deadline outlasts the takeover (the lapse, 2 s, plus loading the group on a busy machine): while the node is
    // down the turn must not pass by its deadline, or the talk below would be out of turn.
    const c = await chat(0, { turnTimeoutS: 8 });
    for (let i = 0; i < 4; i++) await c.next();
    const talking = (async () => {
      for (let i = 0; i < 12; i++) await c.next();
    })();
    await until('a few more messages', () => c.counts.acked.size >= 7);
    await nodes[0].stop('SIGKILL');
    try {
      await talking;
      await c.silence();
      await until('the silent member\'s turn deadline', async () => events(await history(c.groupId), 'turn_timeout') === 1, 30_000);
      await new Promise((r) => setTimeout(r, 1500));
      expect(events(await c.verify('kill -9'), 'turn_timeout')).toBe(1);
    } finally {
      // The next tests need all three nodes, whatever happened here.
      await nodes[0].start();
    }
  });

  it('split brain: the paused owner loses its lease, its late commit is refused by fencing, and the history has one writer', async () => {
    const c = await chat(0, { turnTimeoutS: 3 });
    for (let i = 0; i < 4; i++) await c.next();
    // The member holds the turn, its deadline armed on node a; node a freezes before it comes.
    await c.silence();
    nodes[0].signal('SIGSTOP');
    try {
      await until('another node to fire the turn deadline', async () => events(await history(c.groupId), 'turn_timeout') === 1, 20_000);
      c.turnReturned();
      for (let i = 0; i < 4; i++) await c.next();
    } finally {
      nodes[0].signal('SIGCONT');
    }
    // Node a wakes with its own copy of the group and the deadline past: its step is refused, and it lets go.
    await until('node a to notice it was fenced off', () => nodes[0].output.includes('fencing token moved on'), 10_000);
    for (let i = 0; i < 2; i++) await c.next();
    expect(events(await c.verify('SIGSTOP'), 'turn_timeout')).toBe(1);
  });

  it('restart of redis-server mid-session: the session goes on once it is back, nothing lost or doubled', async () => {
    const c = await chat(0);
    for (let i = 0; i < 4; i++) await c.next();
    await rd.stop();
    const talking = (async () => {
      for (let i = 0; i < 4; i++) await c.next();
    })();
    await new Promise((r) => setTimeout(r, 1000));
    await rd.start();
    await talking;
    for (let i = 0; i < 2; i++) await c.next();
    await c.verify('redis restart');
  });

  it('SIGTERM of the node running a group: its groups move at once, its clients resume on another node by after_seq', async () => {
    const c = await chat(0, { coordinatorOn: 0 });
    for (let i = 0; i < 4; i++) await c.next();
    const stopping = nodes[0].stop('SIGTERM');
    await until('the coordinator\'s socket on node a to close', () => !c.coordinator.client.socket.connected);
    await stopping;
    expect(nodes[0].output).toMatch(/released \d+ open groups/);
    // The coordinator reconnects to node b and resumes from the last seq it saw.
    const lastSeen = Math.max(0, ...c.coordinator.client.messages(c.groupId).map((m) => m.header.seq as number));
    c.coordinator.client = await socket(1, c.coordinator.token);
    const resumed = await c.coordinator.client.emit('subscribe', { group_id: c.groupId, after_seq: lastSeen });
    expect(resumed.ok).toBe(true);
    try {
      for (let i = 0; i < 4; i++) await c.next();
      await c.verify('SIGTERM');
    } finally {
      await nodes[0].start();
    }
  });
});
