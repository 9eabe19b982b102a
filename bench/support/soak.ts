import { randomUUID } from 'node:crypto';
import { TestServer } from '../../test/support/server';
import { adminApi, connectSocket } from './clients';
import { sleep } from './stats';

export interface SoakOptions {
  /** How many times the server is killed (SIGKILL) with acks in flight. */
  kills: number;
  /** Groups talking at once, each with one coordinator sending as fast as its acks come back. */
  groups: number;
  /** Each cycle of sending lasts a random time in this range (ms) before the kill. */
  cycleMs?: [number, number];
}

export interface SoakResult {
  kills: number;
  groups: number;
  /** Messages acknowledged in all (each counted once, whether its ack came before or after a kill). */
  acked: number;
  /** Messages whose ack had not come when the server died: resent with the same message_id after the restart. */
  in_flight_at_kill: number;
  /** Of those, how many the server had already stored (the resend got the original ack). */
  stored_before_kill: number;
  /** An acked message missing from the history. */
  lost: number;
  /** A message id stored more than once. */
  doubled: number;
  /** Holes in a group's `seq` (1, 2, …, last). */
  gaps: number;
  /** An acked message stored under another `seq` than its ack said. */
  seq_mismatches: number;
  restart_ms: { p50: number; max: number };
  seconds: number;
}

interface Member {
  group: string;
  id: string;
  token: string;
  /** message_id → content of messages sent and not yet acked. */
  pending: Map<string, string>;
}

const envelope = (m: Member, messageId: string, content: string) =>
  ({ header: { protocol: 'ioa/1', message_id: messageId, group_id: m.group, type: 'discussion' }, payload: { content, next_speaker: [m.id] } });

/**
 * Crash safety under load: coordinators of `groups` groups send as fast as acks return while the server is killed
 * with SIGKILL `kills` times; after each restart every unacknowledged message is resent with its message_id (as the
 * SDK does). At the end each group's history must hold every acknowledged message exactly once, under the `seq` its
 * ack gave, with no hole in `seq`: `lost`, `doubled`, `gaps` and `seq_mismatches` must all be 0.
 */
export async function soak(o: SoakOptions): Promise<SoakResult> {
  const started = Date.now();
  const [low, high] = o.cycleMs ?? [300, 900];
  // Admin-created groups, the message limits out of the way (they are not what this measures).
  const server = new TestServer({ env: { IOA_HEARTBEAT_MS: '100', IOA_RATE_PER_S: '100000', IOA_RATE_BURST: '100000' } });
  await server.start();
  const call = adminApi(server.url);
  const acked = new Map<string, number>();
  const restarts: number[] = [];
  let inFlight = 0;
  let storedBefore = 0;
  try {
    const members: Member[] = [];
    for (let i = 0; i < o.groups; i++) {
      const agent = await call('POST', '/v1/agents', { name: `soak-${i}-${randomUUID().slice(0, 8)}`, description: 'soak coordinator', capabilities: [] });
      const other = await call('POST', '/v1/agents', { name: `soak-peer-${i}-${randomUUID().slice(0, 8)}`, description: 'soak member', capabilities: [] });
      const group = await call('POST', '/v1/groups', {
        goal: 'survive kill -9', coordinator: agent.agent.id, members: [other.agent.id], max_turns: 10_000, coordinator_timeout_s: 3600, turn_timeout_s: 3600,
      });
      members.push({ group: group.id, id: agent.agent.id, token: agent.token, pending: new Map() });
    }
    let n = 0;
    for (let kill = 0; kill <= o.kills; kill++) {
      const sockets = await Promise.all(members.map((m) => connectSocket(server.url, m.token)));
      // First the messages whose fate a kill left unknown, with their original ids. A resend acked at or below the
      // group's seq as the restarted server loaded it had been stored before the kill: it gets its original ack.
      await Promise.all(members.map(async (m, i) => {
        const loadedSeq = m.pending.size ? (await call('GET', `/v1/groups/${m.group}`)).seq : 0;
        for (const [id, content] of [...m.pending]) {
          const ack = await sockets[i].timeout(10_000).emitWithAck('message', envelope(m, id, content));
          if (!ack.ok) throw new Error(`resend ${id}: ${JSON.stringify(ack.error)}`);
          if (ack.seq <= loadedSeq) storedBefore++;
          record(m, id, ack.seq);
        }
      }));
      if (kill === o.kills) {
        sockets.forEach((s) => s.close());
        break;
      }
      let running = true;
      const senders = members.map(async (m, i) => {
        while (running) {
          const id = randomUUID();
          const content = `message ${++n}`;
          m.pending.set(id, content);
          try {
            const ack = await sockets[i].timeout(5_000).emitWithAck('message', envelope(m, id, content));
            if (!ack.ok) throw new Error(`message ${id}: ${JSON.stringify(ack.error)}`);
            record(m, id, ack.seq);
          } catch (e) {
            if (running) throw e;
            return; // the server died with this ack in flight
          }
        }
      });
      await sleep(low + Math.random() * (high - low));
      // Senders stop after the ack they wait for, which the kill (sent at once) leaves in flight.
      running = false;
      await server.stop('SIGKILL');
      sockets.forEach((s) => s.close());
      await Promise.all(senders);
      inFlight += members.reduce((sum, m) => sum + m.pending.size, 0);
      const down = Date.now();
      await server.start();
      restarts.push(Date.now() - down);
    }

    let lost = 0;
    let doubled = 0;
    let gaps = 0;
    let mismatches = 0;
    for (const m of members) {
      const history = await messagesOf(server.url, m.group);
      history.forEach((msg, i) => (msg.header.seq !== i + 1 ? gaps++ : undefined));
      const seen = new Map<string, number[]>();
      for (const msg of history) seen.set(msg.header.message_id, [...(seen.get(msg.header.message_id) ?? []), msg.header.seq]);
      for (const [key, seq] of acked) {
        const [group, id] = key.split(' ');
        if (group !== m.group) continue;
        const stored = seen.get(id) ?? [];
        if (!stored.length) lost++;
        else if (stored.length > 1) doubled++;
        else if (stored[0] !== seq) mismatches++;
      }
    }
    const sorted = [...restarts].sort((a, b) => a - b);
    return {
      kills: o.kills, groups: o.groups, acked: acked.size, in_flight_at_kill: inFlight, stored_before_kill: storedBefore, lost, doubled, gaps,
      seq_mismatches: mismatches, restart_ms: { p50: sorted[Math.floor(sorted.length / 2)] ?? 0, max: sorted[sorted.length - 1] ?? 0 },
      seconds: (Date.now() - started) / 1000,
    };
  } finally {
    await server.dispose();
  }

  function record(m: Member, id: string, seq: number): void {
    m.pending.delete(id);
    acked.set(`${m.group} ${id}`, seq);
  }
}

async function messagesOf(url: string, group: string): Promise<Array<{ header: { seq: number; message_id: string } }>> {
  const out: Array<{ header: { seq: number; message_id: string } }> = [];
  for (let after = 0; ; ) {
    const page = await adminApi(url)('GET', `/v1/groups/${group}/messages?after_seq=${after}&limit=500`);
    out.push(...page.items);
    if (page.next_after_seq === null) return out;
    after = page.next_after_seq;
  }
}
