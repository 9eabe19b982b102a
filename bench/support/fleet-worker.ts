import { BenchAgent, BenchGroup, closeAll, connect, Hub, subscribeAll } from './agents';
import { pool } from './stats';
import { Creds } from './targets';
import { openLoopPart } from './workloads';

/**
 * One of the benchmark's client processes (forked by fleet.ts): it holds a share of the agents' sockets and runs
 * its share of the workload, so that 10,000 clients are not bound by one process's core. Requests come over IPC one
 * at a time and each gets one reply.
 */
export type FleetRequest =
  | { op: 'connect'; agents: Array<Creds & { url: string }> }
  | { op: 'groups'; groups: Array<{ id: string; members: string[] }> }
  | { op: 'open-loop'; rate: number; warmupS: number; seconds: number }
  | { op: 'close' };
export type FleetReply = { ok: true; value?: unknown } | { ok: false; error: string };

const hub = new Hub();
const agents = new Map<string, BenchAgent>();
let groups: BenchGroup[] = [];

async function handle(req: FleetRequest): Promise<unknown> {
  switch (req.op) {
    case 'connect':
      for (const a of await pool(req.agents.map((c) => () => connect(c.url, c, hub)), 50)) agents.set(a.id, a);
      return agents.size;
    case 'groups':
      groups = req.groups.map((g) => ({ id: g.id, members: g.members.map((id) => agents.get(id) as BenchAgent) }));
      return subscribeAll(groups);
    case 'open-loop':
      return openLoopPart(hub, groups, req.rate, req.warmupS, req.seconds);
    case 'close':
      closeAll();
      agents.clear();
      groups = [];
      return;
  }
}

process.on('message', (req: FleetRequest) => {
  handle(req).then(
    (value) => process.send?.({ ok: true, value } satisfies FleetReply),
    (e: Error) => process.send?.({ ok: false, error: e.stack ?? String(e) } satisfies FleetReply),
  );
});
process.on('disconnect', () => process.exit(0));
