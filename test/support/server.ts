import { ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, sep } from 'node:path';

/** The repository root, from this file under test/ (Jest) or its build under dist/test/ (benchmarks). */
const ROOT = join(__dirname, __dirname.includes(`${sep}dist${sep}`) ? '../../..' : '../..');
const MAIN = join(ROOT, 'dist/apps/server/src/main.js');
export const ADMIN_TOKEN = 'test-admin-token-0123456789abcdef';

export interface ServerOptions {
  env?: Record<string, string>;
  /** Reuse a data dir (restart tests); a fresh temp dir otherwise. */
  dataDir?: string;
}

/** The built server as a real child process on loopback, with its own SQLite file in a temp data dir. */
export class TestServer {
  readonly dataDir: string;
  port = 0;
  private child: ChildProcess | null = null;
  output = '';

  constructor(private readonly options: ServerOptions = {}) {
    this.dataDir = options.dataDir ?? mkdtempSync(join(tmpdir(), 'ioa-e2e-'));
  }

  /** The server process's id while it runs (benchmarks read its memory). */
  get pid(): number | undefined {
    return this.child?.pid;
  }

  get url(): string {
    const scheme = this.options.env?.IOA_TLS_CERT ? 'https' : 'http';
    return `${scheme}://127.0.0.1:${this.port}`;
  }

  async start(): Promise<this> {
    this.port = this.port || (await freePort());
    const env = {
      PATH: process.env.PATH ?? '',
      IOA_PORT: String(this.port),
      IOA_HOST: '127.0.0.1',
      IOA_DATA_DIR: this.dataDir,
      IOA_ADMIN_TOKEN: ADMIN_TOKEN,
      IOA_EMBEDDING_MODEL: 'none',
      IOA_LOG_LEVEL: 'warn',
      // Off unless a test asks: suites run servers side by side, and every one would want the default port.
      IOA_METRICS_PORT: '0',
      ...this.options.env,
    };
    // An empty value in the options means "leave this variable unset".
    for (const [k, v] of Object.entries(env)) if (v === '') delete (env as Record<string, string>)[k];
    this.output = '';
    const child = spawn(process.execPath, [MAIN], { env, stdio: ['ignore', 'pipe', 'pipe'] });
    this.child = child;
    child.stdout?.on('data', (d) => (this.output += d));
    child.stderr?.on('data', (d) => (this.output += d));
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`server did not start in 30 s:\n${this.output}`)), 30_000);
      child.once('exit', (code) => {
        clearTimeout(timer);
        reject(new Error(`server exited with ${code}:\n${this.output}`));
      });
      const poll = () =>
        fetch(`http://127.0.0.1:${this.port}/health`).then(
          () => {
            clearTimeout(timer);
            resolve();
          },
          () => setTimeout(poll, 100),
        );
      if (!this.options.env?.IOA_TLS_CERT) poll();
      else child.stdout?.on('data', (d) => String(d).includes('listening on') && (clearTimeout(timer), resolve()));
    });
    child.removeAllListeners('exit');
    return this;
  }

  async stop(signal: NodeJS.Signals = 'SIGTERM'): Promise<void> {
    const child = this.child;
    if (!child || child.exitCode !== null) return;
    await new Promise<void>((resolve) => {
      child.once('exit', () => resolve());
      child.kill(signal);
    });
    this.child = null;
  }

  /** Sends a signal without waiting for an exit (SIGSTOP and SIGCONT, say). */
  signal(signal: NodeJS.Signals): void {
    this.child?.kill(signal);
  }

  async restart(): Promise<void> {
    await this.stop();
    await this.start();
  }

  async dispose(): Promise<void> {
    await this.stop('SIGKILL');
    if (!this.options.dataDir) rmSync(this.dataDir, { recursive: true, force: true });
  }
}

/** Runs the server to completion and returns its exit code and output (start-up failure tests). */
export function runToExit(env: Record<string, string>, timeoutMs = 30_000): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [MAIN], { env: { PATH: process.env.PATH ?? '', IOA_METRICS_PORT: '0', ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (d) => (output += d));
    child.stderr.on('data', (d) => (output += d));
    const timer = setTimeout(() => (child.kill('SIGKILL'), reject(new Error(`did not exit:\n${output}`))), timeoutMs);
    child.on('exit', (code) => (clearTimeout(timer), resolve({ code, output })));
  });
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as { port: number };
      srv.close(() => resolve(port));
    });
  });
}
