import { ChildProcess, spawn } from 'node:child_process';
import { existsSync, readdirSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { join, resolve } from 'node:path';
import { sleep } from './http';

const MAIN = join(__dirname, '..', 'main.js');
// What a data dir of ours may hold; anything else in it means the path was not made by ioa, so we do not delete it.
const DATA_DIR_ENTRIES = new Set(['ioa.sqlite', 'ioa.sqlite-shm', 'ioa.sqlite-wal', 'jwt.secret', 'data.key', 'cache', 'models', 'vectors']);

export interface ServerStart {
  dataDir: string;
  /** 0: any free port. */
  port: number;
  adminToken: string;
  /** Each line the server prints (warnings and errors at IOA_LOG_LEVEL=warn). */
  onLine(line: string): void;
}

/** The built server (`dist/apps/server/src/main.js`) as a child process on loopback, with a fresh data dir. */
export class ServerProcess {
  private child: ChildProcess | null = null;
  private output: string[] = [];
  url = '';

  async start(options: ServerStart, timeoutMs: number): Promise<void> {
    if (!existsSync(MAIN)) throw new Error(`${MAIN} is missing: run npm run build first`);
    freshDataDir(options.dataDir);
    const port = await choosePort(options.port);
    this.url = `http://127.0.0.1:${port}`;
    // Only our variables: a DATABASE_URL or model setting from the caller's shell must not leak into the demo.
    const inherited = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('IOA_')));
    const env = {
      ...inherited, IOA_PORT: String(port), IOA_HOST: '127.0.0.1', IOA_DATA_DIR: options.dataDir, IOA_ADMIN_TOKEN: options.adminToken, IOA_LOG_LEVEL: 'warn',
      // Its lines are shown to a person, between the demo's own.
      IOA_LOG_FORMAT: 'text',
    };
    const child = spawn(process.execPath, [MAIN], { env, stdio: ['ignore', 'pipe', 'pipe'] });
    this.child = child;
    const onData = (chunk: Buffer) => {
      for (const raw of String(chunk).split('\n')) {
        const line = tidy(raw);
        if (!line) continue;
        this.output.push(line);
        options.onLine(line);
      }
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', onData);
    const exited = new Promise<never>((_, reject) => child.once('exit', (code) => reject(new Error(`the server exited with code ${code}:\n${this.output.slice(-20).join('\n')}`))));
    exited.catch(() => undefined);
    const healthy = (async () => {
      const deadline = Date.now() + timeoutMs;
      while (Date.now() < deadline) {
        const ok = await fetch(`${this.url}/health`).then((r) => r.ok, () => false);
        if (ok) return;
        await sleep(100);
      }
      throw new Error(`the server did not answer /health within ${timeoutMs / 1000} s`);
    })();
    await Promise.race([healthy, exited]);
  }

  /** Stops the server (SIGTERM, then SIGKILL after 5 s). */
  async stop(): Promise<void> {
    const child = this.child;
    this.child = null;
    if (!child || child.exitCode !== null || child.signalCode !== null) return;
    await new Promise<void>((done) => {
      const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
      child.once('exit', () => (clearTimeout(timer), done()));
      child.kill('SIGTERM');
    });
  }

  /** For process exit paths that cannot wait. */
  killNow(): void {
    if (this.child && this.child.exitCode === null) this.child.kill('SIGTERM');
  }
}

/** Deletes the data dir of a previous run, refusing a directory that holds anything an ioa server would not write. */
function freshDataDir(dir: string): void {
  const path = resolve(dir);
  if (!existsSync(path)) return;
  const foreign = readdirSync(path).filter((e) => !DATA_DIR_ENTRIES.has(e));
  if (foreign.length) throw new Error(`refusing to delete ${path}: it holds ${foreign.slice(0, 3).join(', ')}, which is not an ioa data dir`);
  rmSync(path, { recursive: true, force: true });
}

/** 7788 when free (`port` 7788), the given port, or any free one (`port` 0 or 7788 taken). */
async function choosePort(port: number): Promise<number> {
  if (port !== 0 && (await canListen(port))) return port;
  if (port !== 0 && port !== 7788) throw new Error(`port ${port} is in use`);
  return new Promise((done, fail) => {
    const srv = createServer();
    srv.once('error', fail);
    srv.listen(0, '127.0.0.1', () => {
      const { port: free } = srv.address() as { port: number };
      srv.close(() => done(free));
    });
  });
}

function canListen(port: number): Promise<boolean> {
  return new Promise((done) => {
    const srv = createServer();
    srv.once('error', () => done(false));
    srv.listen(port, '127.0.0.1', () => srv.close(() => done(true)));
  });
}

/** A Nest log line without colours, pid and date: `WARN [embeddings] no sentence model: …`. */
function tidy(raw: string): string {
  // eslint-disable-next-line no-control-regex
  const plain = raw.replace(/\x1b\[[0-9;]*m/g, '').trim();
  return plain.replace(/^\[Nest\]\s+\d+\s+-\s+.*?\s{2,}(\w+)\s+/, '$1 ').replace(/\s+/g, ' ');
}
