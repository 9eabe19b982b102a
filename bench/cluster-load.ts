import { loadavg } from 'node:os';
import { Fleet } from './support/fleet';
import { ratio, round, sleep } from './support/stats';
import { Memory, startIoa, startRaw, Target } from './support/targets';
import { OpenLoopResult } from './support/workloads';

/**
 * The load half of `npm run bench -- cluster`: many connected agents, a steady open-loop message rate.
 * - ten_thousand_agents: 10,000 agents on one node (embedded defaults: SQLite, one process) beside raw socket.io:
 *   RSS per 1,000 connected agents, connect rate, and delivery p99 under a steady 1,000 msg/s.
 * - one_vs_two_nodes: the same agents and rates on raw socket.io with the Redis Streams adapter, one ioa node of a
 *   cluster (PostgreSQL + Redis), and two ioa nodes with agents and groups dealt alternately to both (so about half
 *   of the messages reach their group's owner through the other node).
 * Clients run in a few forked processes (bench/support/fleet.ts); groups of 4, every member named next speaker.
 */
const AGENTS = Number(process.env.BENCH_LOAD_AGENTS ?? 10_000);
const CLIENT_PROCESSES = 3;
const WARM_AGENTS = 12;
const GROUP_SIZE = 4;
const RATES = [1000, 300];
const WARMUP_S = 3;
const MEASURED_S = 15;

export interface ClusterEnv {
  env: (node: string) => Record<string, string>;
}

export async function runLoad(cluster: ClusterEnv) {
  const fleet = Fleet.start(CLIENT_PROCESSES);
  const targets: Target[] = [];
  const started = async (t: Promise<Target>) => (targets.push(await t), targets[targets.length - 1]);
  const load = [round(loadavg()[0])];
  try {
    const single = { raw: await scale(fleet, await started(startRaw())), ioa: await scale(fleet, await started(startIoa())) };
    await Promise.all(targets.splice(0).map((t) => t.stop()));
    const rawRedis = await started(startRaw(cluster.env('raw').IOA_REDIS_URL));
    const a = await started(startIoa([], cluster.env('load-a')));
    const creds = await a.register(AGENTS, 'load-agent');
    const raw = await loaded(fleet, [rawRedis], await rawRedis.register(AGENTS));
    const one = await loaded(fleet, [a], creds);
    const b = await started(startIoa([], cluster.env('load-b')));
    const two = await loaded(fleet, [a, b], creds);
    load.push(round(loadavg()[0]));
    return {
      shape: { agents: AGENTS, client_processes: CLIENT_PROCESSES, agents_per_group: GROUP_SIZE, next_speaker: 'all members', warmup_s: WARMUP_S, measured_s: MEASURED_S },
      ten_thousand_agents: {
        raw: single.raw,
        ioa: single.ioa,
        ratio: {
          rss_per_1000_agents: ratio(single.ioa.rss.mb_per_1000_agents, single.raw.rss.mb_per_1000_agents),
          connect_per_s: ratio(single.ioa.connect.per_s, single.raw.connect.per_s),
          delivery_p99_at_1000: ratio(single.ioa.rates[0].delivery_latency.p99_ms, single.raw.rates[0].delivery_latency.p99_ms),
        },
      },
      one_vs_two_nodes: {
        raw_redis: raw,
        one_node: one,
        two_nodes: two,
        ratio: Object.fromEntries(RATES.map((rate, i) => [`at_${rate}`, {
          one_node_vs_raw_p99: ratio(one.rates[i].delivery_latency.p99_ms, raw.rates[i].delivery_latency.p99_ms),
          two_nodes_vs_one_p99: ratio(two.rates[i].delivery_latency.p99_ms, one.rates[i].delivery_latency.p99_ms),
          two_nodes_vs_one_processed: ratio(two.rates[i].processed_per_s, one.rates[i].processed_per_s),
        }])),
      },
      load_avg: load,
    };
  } finally {
    fleet.stop();
    await Promise.all(targets.map((t) => t.stop()));
  }
}

/** 10,000 agents on one server: registered, the server restarted, then RSS before and after they connect. */
async function scale(fleet: Fleet, target: Target) {
  const creds = await target.register(AGENTS);
  await target.restart();
  await fleet.connect(creds.slice(0, WARM_AGENTS), [target.url]);
  await sleep(500);
  const before = await target.memory();
  const connect = await fleet.connect(creds.slice(WARM_AGENTS), [target.url]);
  await sleep(1000);
  const after = await target.memory();
  const per1000 = (x: number, y: number) => round(((y - x) * 1000) / connect.agents, 1);
  const rss = { before, after, mb_per_1000_agents: per1000(before.rss_mb, after.rss_mb), heap_mb_per_1000_agents: per1000(before.heap_used_mb, after.heap_used_mb) };
  const result = { connect, rss, ...(await workloads(fleet, [target])) };
  await fleet.disconnect();
  console.log(`load ${target.name}, ${AGENTS} agents: ${connect.per_s} connects/s, ${rss.mb_per_1000_agents} MB per 1,000, p99 at ${RATES[0]}/s ${result.rates[0].delivery_latency.p99_ms} ms`);
  return result;
}

/** Agents dealt to `nodes` in turn, groups likewise; the open-loop rates one after the other. */
async function loaded(fleet: Fleet, nodes: Target[], creds: Array<{ id: string; token: string }>) {
  const connect = await fleet.connect(creds, nodes.map((n) => n.url));
  const result = { connect, ...(await workloads(fleet, nodes)) };
  await fleet.disconnect();
  console.log(`load ${nodes[0].name} × ${nodes.length}: p99 ${result.rates.map((r) => `${r.delivery_latency.p99_ms} ms at ${r.offered_per_s}/s`).join(', ')}`);
  return result;
}

async function workloads(fleet: Fleet, hosts: Target[]): Promise<{ groups: number; rates: OpenLoopResult[]; memory_end: Memory[] }> {
  const groups = await fleet.groups(hosts, GROUP_SIZE);
  const rates: OpenLoopResult[] = [];
  for (const rate of RATES) rates.push(await fleet.openLoop(rate, WARMUP_S, MEASURED_S));
  return { groups, rates, memory_end: await Promise.all(hosts.map((h) => h.memory())) };
}
