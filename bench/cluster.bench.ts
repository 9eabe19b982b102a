import { loadavg } from 'node:os';
import { postgresBin, TestPostgres } from '../test/support/postgres';
import { redisBin, TestRedis } from '../test/support/redis';
import { ClusterEnv, runLoad } from './cluster-load';
import { BenchAgent, closeAll, connectAll, Hub, makeGroups } from './support/agents';
import { cpuSeconds, ratio, round } from './support/stats';
import { startIoa, startRaw, Target } from './support/targets';
import { turnTaking, TurnTakingResult } from './support/workloads';

/**
 * Several nodes (`npm run bench -- cluster`), all on one PostgreSQL and one redis-server, in the same run:
 * - raw: plain socket.io on the same Redis Streams adapter, doing the session pattern and nothing else (baseline);
 * - local: one ioa node of a cluster, its agents connected to the node that runs their groups;
 * - forwarded: two ioa nodes, the groups run on node a and every agent connected to node b, so each message, ack
 *   and turn takes the extra hop (forwarded over Redis pub/sub, delivered back over the adapter).
 * Round-robin turn-taking in 50 groups of 4; throughput and turn latency (send → the next speaker's `turn`).
 * The cost of a forwarded message is the difference of the median turn latencies, forwarded minus local.
 */
const SHAPE = { groups: 50, size: 4, warmup: 5, turns: 60 };

interface Scenario {
  name: 'raw' | 'local' | 'forwarded';
  /** Where the agents connect. */
  sockets: Target;
  /** Where the groups are created (and so run). */
  groups: Target;
  /** Server processes whose CPU this scenario uses. */
  pids: () => number[];
}

export async function run() {
  const pg = await new TestPostgres(required(postgresBin(), 'PostgreSQL')).start();
  const rd = await new TestRedis(required(redisBin(), 'redis-server')).start();
  const env = (node: string) => ({ IOA_DATABASE_URL: pg.url, IOA_REDIS_URL: rd.url, IOA_JWT_SECRET: 'bench-cluster-secret-0123456789', IOA_DATA_KEY: 'bench-cluster-data-key-0123456789', IOA_NODE_ID: node });
  try {
    return { name: 'cluster', ...(await hops(env)), load: await runLoad({ env }) };
  } finally {
    await rd.dispose();
    await pg.stop();
  }
}

/** Turn-taking through one node and through two (the cost of a hop). */
async function hops(env: ClusterEnv['env']) {
  const targets: Target[] = [];
  const load = [round(loadavg()[0])];
  try {
    const raw = await startRaw(env('raw').IOA_REDIS_URL);
    targets.push(raw);
    const a = await startIoa([], env('bench-a'));
    targets.push(a);
    const b = await startIoa([], env('bench-b'));
    targets.push(b);
    const agents = SHAPE.groups * SHAPE.size;
    const [rawCreds, ioaCreds] = [await raw.register(agents), await a.register(agents * 2)];
    const scenarios: Scenario[] = [
      { name: 'raw', sockets: raw, groups: raw, pids: () => [raw.pid] },
      { name: 'local', sockets: a, groups: a, pids: () => [a.pid] },
      { name: 'forwarded', sockets: b, groups: a, pids: () => [a.pid, b.pid] },
    ];
    const results = {} as Record<Scenario['name'], TurnTakingResult & { cpu_s: Record<string, number> }>;
    for (const [i, s] of scenarios.entries()) {
      const hub = new Hub();
      const creds = s.name === 'raw' ? rawCreds : ioaCreds.slice((i - 1) * agents, i * agents);
      const connected: BenchAgent[] = await connectAll(s.sockets, creds, hub);
      const groups = await makeGroups(s.groups, connected, SHAPE.groups, SHAPE.size);
      await turnTaking(hub, groups, SHAPE.warmup);
      const before = s.pids().map(cpuSeconds);
      const measured = await turnTaking(hub, groups, SHAPE.turns);
      const cpu = Object.fromEntries(s.pids().map((pid, k) => [k === 0 ? 'owner' : 'entry', round(cpuSeconds(pid) - before[k])]));
      results[s.name] = { ...measured, cpu_s: cpu };
      hub.idle();
      closeAll();
      console.log(`cluster ${s.name}: ${measured.turns_per_s} turns/s, p50 ${measured.turn_latency.p50_ms} ms, p99 ${measured.turn_latency.p99_ms} ms`);
    }
    load.push(round(loadavg()[0]));
    const { raw: r, local, forwarded } = results;
    return {
      shape: { groups: SHAPE.groups, agents_per_group: SHAPE.size, turns_per_group: SHAPE.turns, nodes: 2, database: 'postgresql', redis: 'redis-server, no persistence' },
      raw: r,
      local,
      forwarded,
      ratio: {
        local_vs_raw_turns_per_s: ratio(local.turns_per_s, r.turns_per_s),
        forwarded_vs_local_turns_per_s: ratio(forwarded.turns_per_s, local.turns_per_s),
        forwarded_vs_local_p99: ratio(forwarded.turn_latency.p99_ms, local.turn_latency.p99_ms),
      },
      forwarding_cost_ms: { p50: round(forwarded.turn_latency.p50_ms - local.turn_latency.p50_ms), p99: round(forwarded.turn_latency.p99_ms - local.turn_latency.p99_ms) },
      load_avg: load,
      note: 'Two cores run the benchmark clients, both ioa nodes, PostgreSQL and Redis: the figures say what a hop costs relative to one node, not what a cluster of bigger machines carries.',
    };
  } finally {
    closeAll();
    for (const t of targets.reverse()) await t.stop().catch(() => undefined);
  }
}

function required(bin: string | null, what: string): string {
  if (!bin) throw new Error(`the cluster benchmark needs ${what} (Debian's package; .ci/run installs it)`);
  return bin;
}
