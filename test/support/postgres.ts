import { execFileSync, spawn } from 'node:child_process';
import { chownSync, existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';
import { freePort } from './server';

/** Debian's PostgreSQL binaries, newest version first; null when none is installed. */
export function postgresBin(): string | null {
  const root = '/usr/lib/postgresql';
  if (!existsSync(root)) return null;
  const version = readdirSync(root).sort((a, b) => Number(b) - Number(a)).find((v) => existsSync(join(root, v, 'bin/initdb')));
  return version ? join(root, version, 'bin') : null;
}

/** A throw-away PostgreSQL cluster in a temp dir on a free loopback port (run as `postgres` when we are root). */
export class TestPostgres {
  private dir = '';
  port = 0;

  constructor(private readonly bin: string) {}

  get url(): string {
    return `postgres://postgres@127.0.0.1:${this.port}/postgres`;
  }

  async start(): Promise<this> {
    this.dir = mkdtempSync(join(tmpdir(), 'ioa-pg-'));
    this.port = await freePort();
    const asRoot = userInfo().uid === 0;
    if (asRoot) chownSync(this.dir, Number(execFileSync('id', ['-u', 'postgres']).toString()), Number(execFileSync('id', ['-g', 'postgres']).toString()));
    const run = (cmd: string, args: string[]) =>
      execFileSync(asRoot ? 'runuser' : join(this.bin, cmd), asRoot ? ['-u', 'postgres', '--', join(this.bin, cmd), ...args] : args, { stdio: 'pipe' });
    run('initdb', ['-D', join(this.dir, 'data'), '-U', 'postgres', '--auth=trust', '-E', 'UTF8']);
    run('pg_ctl', ['-D', join(this.dir, 'data'), '-o', `-p ${this.port} -k ${this.dir} -c listen_addresses=127.0.0.1`, '-w', '-l', join(this.dir, 'log'), 'start']);
    return this;
  }

  async stop(): Promise<void> {
    if (!this.dir) return;
    const asRoot = userInfo().uid === 0;
    const args = ['-D', join(this.dir, 'data'), '-m', 'fast', '-w', 'stop'];
    await new Promise((resolve) => {
      spawn(asRoot ? 'runuser' : join(this.bin, 'pg_ctl'), asRoot ? ['-u', 'postgres', '--', join(this.bin, 'pg_ctl'), ...args] : args).on('exit', resolve);
    });
    rmSync(this.dir, { recursive: true, force: true });
  }
}
