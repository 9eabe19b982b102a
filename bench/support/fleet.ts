import { ChildProcess, fork } from 'node:child_process';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import type { FleetReply, FleetRequest } from './fleet-worker';
import { pool, round } from './stats';
import { Creds, Target } from './targets';
import { mergeOpenLoop, OpenLoopPart, OpenLoopResult } from './workloads';

/**
 * The benchmark's agents spread over a few client processes (fleet-worker.ts). Each group lives in one process, so
 * that its latencies are measured on one clock; the processes run their shares of a workload at the same time.
 */
export class Fleet {
  private readonly owned: Array<Array<Creds & { url: string }>>;

  private constructor(private readonly workers: ChildProcess[]) {
    this.owned = workers.map(() => []);
  }

  static start(size: number): Fleet {
    return new Fleet(Array.from({ length: size }, () => fork(join(__dirname, 'fleet-worker.js'), [], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] })));
  }

  /** Connects every agent (agent i to `urls[i % urls.length]`, dealt to the processes in equal runs); returns the rate. */
  async connect(creds: Creds[], urls: string[]): Promise<{ agents: number; seconds: number; per_s: number }> {
    const share = Math.ceil(creds.length / this.workers.length);
    const batches = this.workers.map((_, w) => creds.slice(w * share, (w + 1) * share).map((c, i) => ({ ...c, url: urls[(w * share + i) % urls.length] })));
    const started = performance.now();
    await Promise.all(batches.map((b, w) => this.ask(w, { op: 'connect', agents: b })));
    const seconds = (performance.now() - started) / 1000;
    batches.forEach((b, w) => this.owned[w].push(...b));
    return { agents: creds.length, seconds: round(seconds), per_s: round(creds.length / seconds, 0) };
  }

  /** Groups of `size` consecutive agents in each process, group g created on `hosts[g % hosts.length]`; every member subscribes. */
  async groups(hosts: Target[], size: number): Promise<number> {
    let made = 0;
    await Promise.all(this.owned.map(async (agents, w) => {
      const count = Math.floor(agents.length / size);
      const groups = await pool(Array.from({ length: count }, (_, i) => async () => {
        const members = agents.slice(i * size, (i + 1) * size);
        const host = hosts[(made++) % hosts.length];
        return { id: await host.createGroup(members[0], members.slice(1).map((m) => m.id)), members: members.map((m) => m.id) };
      }), 4);
      await this.ask(w, { op: 'groups', groups });
    }));
    return made;
  }

  /** The open-loop workload at `rate` messages/s in total, shared equally by the processes. */
  async openLoop(rate: number, warmupS: number, seconds: number): Promise<OpenLoopResult> {
    const share = rate / this.workers.length;
    return mergeOpenLoop(await Promise.all(this.workers.map((_, w) => this.ask(w, { op: 'open-loop', rate: share, warmupS, seconds }) as Promise<OpenLoopPart>)));
  }

  /** Closes every socket (the processes stay, ready for the next target). */
  async disconnect(): Promise<void> {
    await Promise.all(this.workers.map((_, w) => this.ask(w, { op: 'close' })));
    this.owned.forEach((a) => (a.length = 0));
  }

  stop(): void {
    for (const w of this.workers) w.kill('SIGKILL');
  }

  private ask(w: number, req: FleetRequest): Promise<unknown> {
    const worker = this.workers[w];
    return new Promise((resolve, reject) => {
      const exited = (code: number | null) => reject(new Error(`client process ${w} exited with ${code} during ${req.op}`));
      worker.once('exit', exited);
      worker.once('message', (reply: FleetReply) => {
        worker.off('exit', exited);
        if (reply.ok) resolve(reply.value);
        else reject(new Error(`client process ${w}, ${req.op}: ${reply.error}`));
      });
      worker.send(req);
    });
  }
}
