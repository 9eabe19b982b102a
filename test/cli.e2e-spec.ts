import { execFile, spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { api } from './support/http';
import { ADMIN_TOKEN, TestServer } from './support/server';

const CLI = join(__dirname, '../dist/libs/client/src/cli/ioa.js');
const run = promisify(execFile);

describe('the ioa command line against a real server', () => {
  const server = new TestServer();
  let call: ReturnType<typeof api>;
  const ioa = (...args: string[]) => run(process.execPath, [CLI, '--url', server.url, '--token', ADMIN_TOKEN, ...args]);

  beforeAll(async () => {
    await server.start();
    call = api(server.url);
  });
  afterAll(() => server.dispose());

  it('runs a command-line agent from a YAML config, finds it by meaning, submits a goal and issues tokens', async () => {
    const enrollment = (await call('POST', '/v1/auth/enrollments', ADMIN_TOKEN, {})).body.token;
    const config = join(server.dataDir, 'counter.yaml');
    writeFileSync(config, [
      `url: ${server.url}`,
      `enrollment_token: ${enrollment}`,
      'kind: command',
      'card: { name: word-counter, description: counts the words of any text, capabilities: [{ name: count_words, description: count words in a text }] }',
      `command: { command: ${process.execPath}, args: ['-e', 'console.log(process.argv[1].split(/\\s+/).length)'] }`,
    ].join('\n'));
    const agent = spawn(process.execPath, [CLI, 'agent', 'run', '--config', config], { stdio: ['ignore', 'pipe', 'pipe'] });
    try {
      await new Promise<void>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error('agent did not connect')), 15_000);
        agent.stdout.on('data', (d) => String(d).includes('connected') && (clearTimeout(timer), resolve()));
      });
      const search = await ioa('agents', 'search', 'how many words are in my essay?', '--online');
      expect(search.stdout.split('\n')[0]).toMatch(/word-counter\s+count_words\s+online/);
      const id = (await call('GET', '/v1/agents?name_prefix=word-counter', ADMIN_TOKEN)).body.items[0].id;
      // A command agent has no onGoal: it does not coordinate, and naming it is refused with the reason.
      const notCoordinator = await ioa('goal', 'submit', 'count the words of the report', '--coordinator', id).catch((e) => e);
      expect(notCoordinator.code).toBe(1);
      expect(notCoordinator.stderr).toContain(`agent ${id} does not coordinate goals`);
      const planner = (await call('POST', '/v1/agents', ADMIN_TOKEN, { name: 'planner', description: 'plans reports', capabilities: [], coordinates: true })).body.agent.id;
      const submitted = await ioa('goal', 'submit', 'count the words of the report', '--coordinator', planner);
      expect(submitted.stdout).toMatch(/^goal [0-9a-f-]{36}: coordinator /);
      const goalId = /goal ([0-9a-f-]{36})/.exec(submitted.stdout)![1];
      const observer = JSON.parse((await ioa('token', 'create', '--role', 'observer', '--goal', goalId)).stdout);
      expect((await call('GET', `/v1/goals/${goalId}`, observer.token)).status).toBe(200);
      const refused = await ioa('token', 'create', '--role', 'wizard').catch((e) => e);
      expect(refused.code).toBe(1);
      expect(refused.stderr).toContain('--role is observer or enrollment');
    } finally {
      agent.kill('SIGINT');
    }
  });
});
