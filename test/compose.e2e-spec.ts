import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { parse } from 'yaml';

const compose = spawnSync('sh', ['-c', 'command -v docker-compose']).stdout?.toString().trim();
// CI installs Debian's docker-compose 1.29 (see .ci/run): no engine runs here, but the file must be valid for one.
if (!compose && process.env.CI) throw new Error('docker-compose not found; .ci/run installs it');
const describeIfCompose = compose ? describe : describe.skip;

describeIfCompose('docker-compose.yml (checked by docker-compose, no engine)', () => {
  const run = (args: string[], env: Record<string, string> = {}) =>
    spawnSync(compose as string, ['-f', join(__dirname, '../docker-compose.yml'), ...args], { env: { PATH: process.env.PATH ?? '', ...env }, encoding: 'utf8' });
  const secrets = { IOA_JWT_SECRET: 'compose-check-secret-0123456789', IOA_DATA_KEY: 'compose-check-data-key-0123456789', IOA_ADMIN_TOKEN: 'compose-check-admin-0123456789' };

  it('is valid, and refuses to start without the shared secrets', () => {
    expect(run(['config', '-q'], secrets)).toMatchObject({ status: 0, stderr: '' });
    const missing = run(['config', '-q']);
    expect(missing.status).not.toBe(0);
    expect(missing.stderr).toMatch(/IOA_JWT_SECRET|IOA_DATA_KEY|IOA_ADMIN_TOKEN/);
  });

  it('runs three nodes behind a load balancer on Redis, PostgreSQL and Qdrant, each with a health check', () => {
    const config = parse(run(['config'], secrets).stdout) as { services: Record<string, { healthcheck?: object; environment?: Record<string, string> }> };
    expect(Object.keys(config.services).sort()).toEqual(['ioa-1', 'ioa-2', 'ioa-3', 'lb', 'postgres', 'qdrant', 'redis']);
    for (const [name, service] of Object.entries(config.services)) expect([name, !!service.healthcheck]).toEqual([name, true]);
    const ids = ['ioa-1', 'ioa-2', 'ioa-3'].map((n) => config.services[n].environment ?? {});
    expect(ids.map((e) => e.IOA_NODE_ID)).toEqual(['ioa-1', 'ioa-2', 'ioa-3']);
    for (const e of ids) expect(e).toMatchObject({ IOA_REDIS_URL: 'redis://redis:6379', IOA_DATABASE_URL: expect.stringMatching(/^postgres:\/\//), IOA_JWT_SECRET: secrets.IOA_JWT_SECRET, IOA_DATA_KEY: secrets.IOA_DATA_KEY });
  });
});
