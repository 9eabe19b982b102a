import { readFileSync } from 'node:fs';

export interface LatencySummary {
  count: number;
  p50_ms: number;
  p99_ms: number;
  max_ms: number;
}

export const round = (x: number, digits = 2): number => Number(x.toFixed(digits));

/** Nearest-rank percentiles of latencies in ms. */
export function summarize(values: number[]): LatencySummary {
  const sorted = [...values].sort((a, b) => a - b);
  const at = (p: number) => (sorted.length ? sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] : NaN);
  return { count: sorted.length, p50_ms: round(at(50)), p99_ms: round(at(99)), max_ms: round(sorted[sorted.length - 1] ?? NaN) };
}

export function ratio(a: number, b: number): number {
  return b > 0 ? round(a / b, 3) : NaN;
}

/** CPU seconds (user + system) a process has used so far; Linux reports them in clock ticks of 1/100 s. */
export function cpuSeconds(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12])) / 100;
}

/** Measures how busy the server process and this (client) process were while `work` ran, in % of one core. */
export async function withCpu<T>(serverPid: number, work: () => Promise<T & { seconds: number }>): Promise<T & { seconds: number; cpu_pct: { server: number; clients: number } }> {
  const server0 = cpuSeconds(serverPid);
  const client0 = process.cpuUsage();
  const result = await work();
  const client = process.cpuUsage(client0);
  const pct = (s: number) => round((100 * s) / result.seconds, 0);
  return { ...result, cpu_pct: { server: pct(cpuSeconds(serverPid) - server0), clients: pct((client.user + client.system) / 1e6) } };
}

export function countInto(counts: Record<string, number>, key: string): void {
  counts[key] = (counts[key] ?? 0) + 1;
}

/** A process's resident memory now, in MB (Linux). */
export const rssMb = (pid: number) => Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? 0) / 1024;

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** Rejects if `promise` has not settled within `ms`, so that no phase can hang the benchmark. */
export function withDeadline<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} did not finish within ${ms / 1000} s`)), ms);
  });
  return Promise.race([promise, deadline]).finally(() => clearTimeout(timer));
}

/** Polls until `done()` or `ms` pass; returns whether it got done. */
export async function waitUntil(done: () => boolean, ms: number): Promise<boolean> {
  const until = Date.now() + ms;
  while (!done()) {
    if (Date.now() > until) return false;
    await sleep(5);
  }
  return true;
}

/** Runs async jobs with at most `width` in flight, keeping their order in the result. */
export async function pool<T>(jobs: Array<() => Promise<T>>, width: number): Promise<T[]> {
  const out: T[] = new Array(jobs.length);
  let next = 0;
  const worker = async () => {
    while (next < jobs.length) {
      const i = next++;
      out[i] = await jobs[i]();
    }
  };
  await Promise.all(Array.from({ length: Math.min(width, jobs.length) }, worker));
  return out;
}
