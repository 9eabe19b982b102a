import { ChildProcess, spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from './server';
import { until } from './until';

/** Debian's `redis-server`, or null when it is not installed. */
export function redisBin(): string | null {
  const found = spawnSync('sh', ['-c', 'command -v redis-server']).stdout?.toString().trim();
  return found || null;
}

/** A throw-away `redis-server` on a free loopback port, without persistence (as a cache-only Redis runs). */
export class TestRedis {
  private child: ChildProcess | null = null;
  private readonly dir = mkdtempSync(join(tmpdir(), 'ioa-redis-'));
  port = 0;

  constructor(private readonly bin: string) {}

  get url(): string {
    return `redis://127.0.0.1:${this.port}`;
  }

  async start(): Promise<this> {
    this.port ||= await freePort();
    const child = spawn(this.bin, ['--port', String(this.port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--dir', this.dir], { stdio: 'ignore' });
    this.child = child;
    await until('redis-server to accept connections', () => spawnSync('redis-cli', ['-p', String(this.port), 'ping']).stdout?.toString().trim() === 'PONG');
    return this;
  }

  /** Stops it as a crash would (SIGKILL): whatever it held is gone. */
  async stop(): Promise<void> {
    const child = this.child;
    this.child = null;
    if (!child || child.exitCode !== null) return;
    await new Promise((resolve) => (child.once('exit', resolve), child.kill('SIGKILL')));
  }

  async dispose(): Promise<void> {
    await this.stop();
    rmSync(this.dir, { recursive: true, force: true });
  }
}
