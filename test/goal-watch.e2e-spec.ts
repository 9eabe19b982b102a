import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { Agent } from '@ioa/client';
import { coordinator } from '../libs/client/examples/coordinator';
import { api } from './support/http';
import { SdkAgents } from './support/sdk-agents';
import { ADMIN_TOKEN, TestServer } from './support/server';
import { until } from './support/until';

const CLI = join(__dirname, '../dist/libs/client/src/cli/ioa.js');

/**
 * `ioa goal watch` is the demo's live timeline for any goal: the built CLI follows a goal worked by SDK agents (the
 * worked coordinator of docs/sdk.md and two workers) with an observer token scoped to the goal, through a restart of
 * the server in the middle of a task.
 */
describe('ioa goal watch (built CLI, real server, SDK agents on loopback)', () => {
  const server = new TestServer();
  const call = () => api(server.url);
  const agents = new SdkAgents(server);
  const start = (agent: Agent) => agents.start(agent);
  let open: () => void = () => undefined;
  const gate = new Promise<void>((r) => (open = r));

  beforeAll(() => server.start());
  afterAll(async () => {
    agents.stop();
    await server.dispose();
  });

  it('prints names, the team, tasks with progress bars, the conclusion and the verdict, once each, across a server restart', async () => {
    const worker = (name: string, description: string, work: (ctx: { progress(p: number, note?: string): Promise<void> }) => Promise<string>): Agent => ({
      card: { name, description, capabilities: [] },
      onTurn: () => ({ type: 'discussion', payload: { content: `${name} is ready`, next_speaker: [] } }),
      onTask: async (_task, ctx) => ({ status: 'completed', task_conclusion: await work(ctx), task_abstract: 'done' }),
    });
    await start(worker('word-counter', 'counts the words of a text', async (ctx) => {
      await ctx.progress(0.5, 'counting');
      await gate;
      return '6 words';
    }));
    await start(worker('haiku-poet', 'writes haiku poems', async () => 'an old silent pond'));
    const lead = await start(coordinator('trip-coordinator', ['count the words', 'write a haiku']));
    const goal = (await call()('POST', '/v1/goals', ADMIN_TOKEN, { goal: 'a poem about a pond', coordinator: lead.agentId })).body;
    const observer = (await call()('POST', '/v1/auth/observer-tokens', ADMIN_TOKEN, { scope: { goals: [goal.id] } })).body.token;

    const watch = spawn(process.execPath, [CLI, '--url', server.url, '--token', observer, 'goal', 'watch', goal.id, '--timeout', '60'], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    watch.stdout.on('data', (d) => (out += String(d)));
    watch.stderr.on('data', (d) => (out += String(d)));
    const exited = new Promise<number | null>((r) => watch.once('exit', r));
    try {
      await until('the progress bar', () => out.includes('50% on'), 30_000);
      await server.restart();
      open();
      expect(await exited).toBe(0);
    } finally {
      watch.kill('SIGKILL');
    }

    const lines = out.trim().split('\n');
    const count = (text: string) => lines.filter((l) => l.includes(text)).length;
    expect(lines.at(-1)).toBe('completed: 6 words / an old silent pond');
    expect(count('trip-coordinator forms the team by need')).toBe(1);
    expect(count('word-counter joined for "count the words"')).toBe(1);
    expect(count('haiku-poet joined for "write a haiku"')).toBe(1);
    expect(count('trip-coordinator assigns sync: "first part" → word-counter')).toBe(1);
    expect(count('word-counter [##########..........] 50% on "first part": counting')).toBe(1);
    expect(count('word-counter result completed for "first part": 6 words')).toBe(1);
    expect(count('trip-coordinator conclusion: "6 words / an old silent pond"')).toBe(1);
    expect(count('group closed: concluded')).toBe(1);
    expect(count('goal completed')).toBe(1);
    expect(count('"first part" suspended: its assignee disconnected')).toBe(1);
    expect(count('"first part" resumed: its assignee is back')).toBe(1);
    // The team's lines are in the order they happened (the history after the restart came late, but whole).
    const times = lines.filter((l) => / root /.test(l)).map((l) => Number(/^\+ *([\d.]+)s/.exec(l)![1]));
    expect(times).toEqual([...times].sort((a, b) => a - b));
    expect(lines.filter((l) => /\b[0-9a-f]{8}\b/.test(l))).toEqual([]); // names, never ids (nor their first 8 characters)
  });
});
