import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { api } from './support/http';
import { ADMIN_TOKEN, TestServer } from './support/server';

const run = promisify(execFile);
const ROOT = join(__dirname, '..');
const lock = JSON.parse(readFileSync(join(ROOT, 'package-lock.json'), 'utf8')) as { packages: Record<string, { version: string }> };

interface Packed {
  filename: string;
  files: { path: string }[];
}

/** `npm pack` of one lib (its prepack script builds it); offline, npm needs no registry for this. */
async function pack(lib: string, into: string): Promise<Packed> {
  const { stdout } = await run('npm', ['pack', '--json', '--pack-destination', into], { cwd: join(ROOT, 'libs', lib), maxBuffer: 16 * 1024 * 1024 });
  return (JSON.parse(stdout.slice(stdout.indexOf('['))) as Packed[])[0];
}

/**
 * The packed `@ioa/client` and `@ioa/protocol` as a consumer gets them: both tarballs extracted into a fresh
 * `node_modules`, and each third-party dependency they declare linked from the repository's node_modules (installing
 * from the registry is not the point). Only declared dependencies are linked, so an undeclared one fails to load.
 */
describe('@ioa/client as an npm package (npm pack, extracted, required from a fresh directory)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'ioa-pack-'));
  const modules = join(dir, 'node_modules');
  const server = new TestServer();
  let client: Packed;
  let protocol: Packed;
  const manifest = (name: string) => JSON.parse(readFileSync(join(modules, '@ioa', name, 'package.json'), 'utf8'));

  beforeAll(async () => {
    protocol = await pack('protocol', dir);
    client = await pack('client', dir);
    for (const [name, tgz] of [['protocol', protocol.filename], ['client', client.filename]]) {
      mkdirSync(join(modules, '@ioa', name), { recursive: true });
      await run('tar', ['-xzf', join(dir, tgz), '-C', join(modules, '@ioa', name), '--strip-components=1']);
    }
    const declared = [manifest('client'), manifest('protocol')].flatMap((m) => Object.keys(m.dependencies)).filter((d) => !d.startsWith('@ioa/'));
    for (const dep of [...new Set(declared), '@types/node']) {
      mkdirSync(join(modules, dep, '..'), { recursive: true });
      symlinkSync(join(ROOT, 'node_modules', dep), join(modules, dep));
    }
    await server.start();
  }, 120_000);
  afterAll(async () => {
    await server.dispose();
    rmSync(dir, { recursive: true, force: true });
  });

  it('holds the built entry points, typings, the ioa bin and the README, and no sources or tests', () => {
    const paths = client.files.map((f) => f.path);
    for (const f of ['package.json', 'README.md', 'dist/index.js', 'dist/index.d.ts', 'dist/wrappers/index.js', 'dist/wrappers/index.d.ts', 'dist/cli/ioa.js']) {
      expect(paths).toContain(f);
    }
    expect(paths.filter((p) => (p.endsWith('.ts') && !p.endsWith('.d.ts')) || /spec|src\//.test(p))).toEqual([]);
    expect(protocol.files.map((f) => f.path)).toEqual(expect.arrayContaining(['package.json', 'dist/index.js', 'dist/index.d.ts']));

    const m = manifest('client');
    for (const target of [m.main, m.types, m.bin.ioa, m.exports['.'].default, m.exports['.'].types, m.exports['./wrappers'].default, m.exports['./wrappers'].types]) {
      expect(existsSync(join(modules, '@ioa/client', target))).toBe(true);
    }
    expect(readFileSync(join(modules, '@ioa/client', m.bin.ioa), 'utf8').startsWith('#!/usr/bin/env node\n')).toBe(true);
  });

  it('declares its runtime dependencies at the root lockfile\'s versions, and @ioa/protocol at its own', () => {
    for (const name of ['client', 'protocol']) {
      const m = manifest(name);
      expect(m.engines).toEqual({ node: '>=20' });
      for (const [dep, version] of Object.entries(m.dependencies as Record<string, string>)) {
        expect({ dep, version }).toEqual({ dep, version: dep === '@ioa/protocol' ? manifest('protocol').version : lock.packages[`node_modules/${dep}`].version });
      }
    }
  });

  it('is required from the extracted copy and enrols an agent on a real server', async () => {
    const { token } = (await api(server.url)('POST', '/v1/auth/enrollments', ADMIN_TOKEN, { max_uses: 1 })).body;
    const script = `
      const { IoAClient, ErrorCode, runAgent } = require('@ioa/client');
      const { llmAgent, commandAgent } = require('@ioa/client/wrappers');
      (async () => {
        const client = await IoAClient.connect({ url: process.argv[1], enrollment: { token: process.argv[2], card: { name: 'packed-agent', description: 'from the tarball', capabilities: [] } } });
        const group = await client.rest.createGroup({ goal: 'prove the package works', members: [client.agentId] });
        console.log(JSON.stringify({
          protocol: require.resolve('@ioa/protocol', { paths: [require.resolve('@ioa/client')] }),
          exports: [typeof IoAClient, typeof runAgent, typeof llmAgent, typeof commandAgent, ErrorCode.NOT_FOUND],
          agent: client.agentId, group: group.state,
        }));
        client.close();
      })().catch((e) => { console.error(e); process.exit(1); });`;
    const { stdout } = await run(process.execPath, ['-e', script, server.url, token], { cwd: dir, env: { PATH: process.env.PATH ?? '' } });
    const out = JSON.parse(stdout);
    expect(out.protocol).toBe(join(modules, '@ioa/protocol/dist/index.js'));
    expect(out.exports).toEqual(['function', 'function', 'function', 'function', 'NOT_FOUND']);
    expect((await api(server.url)('GET', `/v1/agents/${out.agent}`, ADMIN_TOKEN)).body).toMatchObject({ name: 'packed-agent' });
    expect(out.group).toBe('discussion');
  });

  it('runs the ioa bin from the extracted copy', async () => {
    const { stdout } = await run(process.execPath, [join(modules, '@ioa/client/dist/cli/ioa.js'), '--help'], { cwd: dir, env: { PATH: process.env.PATH ?? '' } });
    expect(stdout).toMatch(/^Usage: ioa /);
    for (const command of ['agent', 'goal', 'groups', 'token', 'agents']) expect(stdout).toMatch(new RegExp(`^  ${command} `, 'm'));
  });

  it.each(['node16', 'node10'])('type-checks a consumer against the packed typings (moduleResolution %s)', async (resolution) => {
    writeFileSync(join(dir, 'consumer.ts'), `
      import { Agent, ErrorCode, IoAClient, isIoAError, runAgent, TaskContext, TurnEvent } from '@ioa/client';
      import { commandAgent } from '@ioa/client/wrappers';
      const agent: Agent = {
        card: { name: 'doubler', description: 'doubles numbers', capabilities: [] },
        onTurn: () => null,
        onTask: async (task, ctx: TaskContext) => {
          await ctx.progress(0.5, (await ctx.group()).goal);
          return { status: 'completed', task_conclusion: String(2 * Number(task.task_desc)), task_abstract: 'doubled' };
        },
      };
      // @ts-expect-error a card needs a name: this line stops compiling if the typings degrade to any
      export const bad: Agent = { card: { description: 'x', capabilities: [] }, onTurn: () => null };
      export async function main(url: string, token: string): Promise<void> {
        const client: IoAClient = await IoAClient.connect({ url, token });
        client.on('turn', (t: TurnEvent) => console.log(t.seq.toFixed(0), t.holders.join()));
        runAgent(client, commandAgent({ card: agent.card, command: 'wc' }));
        try { await client.conclude('g', 'done'); } catch (e) { if (!isIoAError(e, ErrorCode.ILLEGAL_IN_STATE)) throw e; }
      }`);
    const module = resolution === 'node16' ? 'node16' : 'commonjs';
    writeFileSync(join(dir, 'tsconfig.json'), JSON.stringify({
      compilerOptions: { strict: true, noEmit: true, target: 'es2022', module, moduleResolution: resolution, skipLibCheck: false, types: ['node'] }, files: ['consumer.ts'],
    }));
    const tsc = join(ROOT, 'node_modules/typescript/bin/tsc');
    const result = await run(process.execPath, [tsc, '-p', join(dir, 'tsconfig.json')]).catch((e: { stdout: string }) => e);
    expect(result.stdout).toBe('');
  });
});
