import { ChildProcess, spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from '../../test/support/server';
import { pool } from './stats';

const IOA_MAIN = join(__dirname, '../../apps/server/src/main.js');
const RAW_MAIN = join(__dirname, 'raw-server.js');
const HOOKS = ['--expose-gc', '-r', join(__dirname, 'server-hooks.js')];
export const ADMIN_TOKEN = 'bench-admin-token-0123456789abcdef';
/** Far above what the benchmark sends per agent, so that the per-agent flood limit never throttles it. */
export const BENCH_RATE = 1_000_000;

export interface Memory {
  rss_mb: number;
  heap_used_mb: number;
  /** Memory of C++ objects bound to JS ones (socket buffers among them). */
  external_mb: number;
}

export interface Creds {
  id: string;
  token: string;
}

/** A server under test, as a child process on loopback: ioa (built) or the raw socket.io baseline. */
export interface Target {
  readonly name: 'ioa' | 'raw';
  readonly url: string;
  readonly pid: number;
  /** `count` agents named `<prefix>-<i>` (names are unique per server, so a second batch needs its own prefix). */
  register(count: number, prefix?: string): Promise<Creds[]>;
  /** A group of `members` with `coordinator` holding the first turn; returns its id. */
  createGroup(coordinator: Creds, members: string[]): Promise<string>;
  /** The server's memory right after a full GC (see server-hooks.ts). */
  memory(): Promise<Memory>;
  /** A fresh server process on the same port and data (tokens stay valid). */
  restart(): Promise<void>;
  stop(): Promise<void>;
}

const running = new Set<ChildProcess>();
const killAll = () => running.forEach((c) => c.kill('SIGKILL'));
// Last resort if the benchmark dies without reaching its cleanup; normal runs stop their children themselves.
process.once('exit', killAll);

/** ioa, built, on its own SQLite file; `env` adds or overrides settings (several nodes: PostgreSQL and Redis). */
export async function startIoa(extraNodeArgs: string[] = [], env: Record<string, string> = {}): Promise<Target> {
  const port = await freePort();
  const dataDir = mkdtempSync(join(tmpdir(), 'ioa-bench-'));
  const url = `http://127.0.0.1:${port}`;
  const server = new ChildServer('ioa', [...HOOKS, ...extraNodeArgs, IOA_MAIN], url, {
    PATH: process.env.PATH ?? '',
    IOA_PORT: String(port),
    IOA_HOST: '127.0.0.1',
    IOA_DATA_DIR: dataDir,
    IOA_ADMIN_TOKEN: ADMIN_TOKEN,
    IOA_EMBEDDING_MODEL: 'none',
    IOA_LOG_LEVEL: 'warn',
    IOA_RATE_PER_S: String(BENCH_RATE),
    IOA_RATE_BURST: String(BENCH_RATE),
    IOA_REST_RATE_PER_S: String(BENCH_RATE),
    IOA_REST_RATE_BURST: String(BENCH_RATE),
    IOA_METRICS_PORT: '0',
    ...env,
  });
  const removeData = () => rmSync(dataDir, { recursive: true, force: true });
  await server.start().catch((e) => (removeData(), Promise.reject(e)));
  return {
    name: 'ioa',
    url,
    get pid() {
      return server.pid;
    },
    async register(count, prefix = 'bench-agent') {
      const jobs = Array.from({ length: count }, (_, i) => async (): Promise<Creds> => {
        const body = await post(url, '/v1/agents', ADMIN_TOKEN, { name: `${prefix}-${i}`, description: 'benchmark agent', capabilities: [] });
        return { id: body.agent.id, token: body.token };
      });
      return pool(jobs, 8);
    },
    async createGroup(coordinator, members) {
      // As an admin, so that the members join at once (an agent's group would invite them); max_turns at its ceiling
      // so that no group reaches its conclusion during the run.
      const body = await post(url, '/v1/groups', ADMIN_TOKEN, { goal: 'benchmark session', coordinator: coordinator.id, members, max_turns: 10_000 });
      return body.id;
    },
    memory: () => server.memory(),
    restart: () => server.restart(),
    stop: () => server.stop().finally(removeData),
  };
}

/** The raw socket.io baseline; with `redisUrl`, on the same Redis Streams adapter as ioa's several nodes. */
export async function startRaw(redisUrl?: string): Promise<Target> {
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const server = new ChildServer('raw socket.io', [...HOOKS, RAW_MAIN, String(port)], url, { PATH: process.env.PATH ?? '', ...(redisUrl ? { RAW_REDIS_URL: redisUrl } : {}) });
  await server.start();
  return {
    name: 'raw',
    url,
    get pid() {
      return server.pid;
    },
    register: async (count) => Array.from({ length: count }, () => {
      const id = randomUUID();
      return { id, token: id };
    }),
    createGroup: async () => randomUUID(),
    memory: () => server.memory(),
    restart: () => server.restart(),
    stop: () => server.stop(),
  };
}

/** A server as a child process: node with the benchmark's hooks preloaded, an IPC channel, and output kept for errors. */
class ChildServer {
  private child: ChildProcess | null = null;
  private output = '';

  constructor(private readonly what: string, private readonly args: string[], private readonly url: string, private readonly env: Record<string, string>) {}

  get pid(): number {
    return this.child?.pid ?? 0;
  }

  async start(): Promise<void> {
    const child = spawn(process.execPath, this.args, { env: this.env, stdio: ['ignore', 'pipe', 'pipe', 'ipc'] });
    this.child = child;
    running.add(child);
    const keep = (d: Buffer) => (this.output = (this.output + d).slice(-8000));
    child.stdout?.on('data', keep);
    child.stderr?.on('data', keep);
    const exited = new Promise<never>((_, reject) => child.once('exit', (code) => reject(new Error(`${this.what} exited with ${code}:\n${this.output}`))));
    exited.catch(() => undefined);
    const ready = (async () => {
      for (const until = Date.now() + 60_000; Date.now() < until; await new Promise((r) => setTimeout(r, 100))) {
        if (await fetch(`${this.url}/health`).then(() => true, () => false)) return;
      }
      throw new Error(`${this.what} did not start within 60 s:\n${this.output}`);
    })();
    try {
      await Promise.race([ready, exited]);
    } catch (e) {
      await this.stop();
      throw e;
    }
  }

  /** The server's memory right after a full GC (see server-hooks.ts). */
  memory(): Promise<Memory> {
    const child = this.child;
    if (!child) return Promise.reject(new Error(`${this.what} is not running`));
    const mb = (bytes: number) => Math.round((bytes / 2 ** 20) * 10) / 10;
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`${this.what} did not answer the gc request within 10 s`)), 10_000);
      child.once('message', (m: { memory: NodeJS.MemoryUsage }) => {
        clearTimeout(timer);
        resolve({ rss_mb: mb(m.memory.rss), heap_used_mb: mb(m.memory.heapUsed), external_mb: mb(m.memory.external) });
      });
      child.send('gc');
    });
  }

  async restart(): Promise<void> {
    await this.stop();
    await this.start();
  }

  /** SIGTERM, then SIGKILL after 10 s: a child never outlives the benchmark. */
  async stop(): Promise<void> {
    const child = this.child;
    this.child = null;
    if (!child) return;
    if (child.exitCode === null && child.signalCode === null) {
      await new Promise<void>((resolve) => {
        const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
        child.once('exit', () => (clearTimeout(timer), resolve()));
        child.kill('SIGTERM');
      });
    }
    running.delete(child);
  }
}

async function post(base: string, path: string, token: string, body: unknown): Promise<any> {
  const res = await fetch(`${base}${path}`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  const json = await res.json();
  if (res.status !== 201) throw new Error(`POST ${path}: ${res.status} ${JSON.stringify(json)}`);
  return json;
}
