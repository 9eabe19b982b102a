import { existsSync, readFileSync, rmSync } from 'node:fs';
import { TaskView } from '../types';
import { commandAgent, TRUNCATED_MARKER } from './command-agent';
import { taskContext } from '../../../../test/support/task-context';

const card = { name: 'cmd', description: 'runs a command', capabilities: [] };
const task = (desc: string): TaskView => ({
  id: 't1', group_id: 'g1', state: 'running', mode: 'sync', task_abstract: 'abstract', task_desc: desc, assignee: ['me'],
  progress: 0, deadline: null, result: null, reason: null, history: [], created_at: '', updated_at: '',
});

/** Runs `node -e script -- <task text>` through the wrapper; real child processes, no doubles. */
async function run(script: string, desc = 'hello', extra: Partial<Parameters<typeof commandAgent>[0]> = {}) {
  const reports: { p: number; note: string }[] = [];
  const agent = commandAgent({ card, command: process.execPath, args: ['-e', script, '--'], ...extra });
  const result = await agent.onTask!(task(desc), taskContext(async (p, note = '') => void reports.push({ p, note })));
  return { result, reports };
}

describe('commandAgent', () => {
  it('completes with stdout as the conclusion and its first line as the abstract, reporting lines as progress', async () => {
    const { result, reports } = await run("console.log('first: ' + process.argv[1]); console.log('second')", 'the text');
    expect(result).toEqual({ status: 'completed', task_conclusion: 'first: the text\nsecond\n', task_abstract: 'first: the text' });
    expect(reports.length).toBeGreaterThanOrEqual(1);
    expect(reports[0].note).toBe('first: the text');
    for (const r of reports) expect(r.p).toBeGreaterThan(0), expect(r.p).toBeLessThanOrEqual(0.9);
  });

  it('bounds the rate of progress reports and keeps them rising below 0.9', async () => {
    const script = 'let i = 0; const t = setInterval(() => { console.log("line " + i++); if (i === 40) clearInterval(t); }, 10);';
    const { result, reports } = await run(script, 'x', { progressIntervalMs: 100 });
    expect(result.status).toBe('completed');
    expect(reports.length).toBeGreaterThan(1);
    expect(reports.length).toBeLessThan(10); // 40 lines over ~400 ms at one report per 100 ms
    const values = reports.map((r) => r.p);
    expect(values).toEqual([...values].sort((a, b) => a - b));
    expect(Math.max(...values)).toBeLessThan(0.9);
  });

  it('fails on a non-zero exit with the stderr tail', async () => {
    const { result } = await run("console.error('something broke'); process.exit(3)");
    expect(result.status).toBe('failed');
    expect(result.task_conclusion).toContain('exited with code 3');
    expect(result.task_conclusion).toContain('something broke');
    expect(result.task_abstract).toContain('something broke');
  });

  it('fails when the command cannot be started', async () => {
    const agent = commandAgent({ card, command: '/nonexistent/ioa-command' });
    const result = await agent.onTask!(task('x'), taskContext());
    expect(result.status).toBe('failed');
    expect(result.task_conclusion).toContain('could not run /nonexistent/ioa-command');
  });

  it('kills the whole process tree on timeout', async () => {
    // The child starts a grandchild that would run forever, prints its pid, and runs forever itself.
    const script = [
      "const c = require('child_process').spawn(process.execPath, ['-e', 'setInterval(() => {}, 1000)'], { stdio: 'ignore' });",
      'console.log(c.pid); setInterval(() => {}, 1000);',
    ].join('\n');
    const started = Date.now();
    const { result, reports } = await run(script, 'x', { timeoutMs: 700 });
    expect(result).toMatchObject({ status: 'failed', task_abstract: 'timed out after 700 ms' });
    expect(result.task_conclusion).toContain('timed out after 700 ms');
    expect(Date.now() - started).toBeLessThan(5000);
    const grandchild = Number(reports[0]?.note); // its first stdout line, reported as progress
    expect(grandchild).toBeGreaterThan(0);
    await expectGone(grandchild);
  });

  it('caps a huge output with a marker and does not block the child', async () => {
    const script = "const s = 'x'.repeat(1024 * 1024); for (let i = 0; i < 10; i++) process.stdout.write(s); console.log('\\nend')";
    const { result } = await run(script, 'x', { maxOutputBytes: 1000, timeoutMs: 20_000 });
    expect(result.status).toBe('completed');
    expect(result.task_conclusion.startsWith('x'.repeat(1000))).toBe(true);
    expect(result.task_conclusion).toBe(`${'x'.repeat(1000)}\n${TRUNCATED_MARKER}`);
  });

  it.each([['"; rm -rf / #'], ['$(touch /tmp/pwned-ioa)'], ['`touch /tmp/pwned-ioa` && touch /tmp/pwned-ioa | x > y']])(
    'passes hostile task text %j verbatim as one argument, never through a shell',
    async (hostile) => {
      rmSync('/tmp/pwned-ioa', { force: true });
      const { result } = await run('process.stdout.write(JSON.stringify(process.argv.slice(1)))', hostile);
      expect(result.status).toBe('completed');
      expect(JSON.parse(result.task_conclusion)).toEqual([hostile]);
      expect(existsSync('/tmp/pwned-ioa')).toBe(false);
    },
  );
});

/** Gone, or a zombie waiting for a reaper (in a container, PID 1 may never reap it). */
async function expectGone(pid: number): Promise<void> {
  for (let i = 0; i < 40; i++) {
    try {
      process.kill(pid, 0);
      if (/^State:\s+Z/m.test(readFileSync(`/proc/${pid}/status`, 'utf8'))) return;
    } catch {
      return;
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`process ${pid} still runs`);
}

describe('a task-only agent on a turn', () => {
  const turn = (over: Record<string, unknown>) => ({ isCoordinator: false, state: 'discussion', ...over }) as never;
  const agent = commandAgent({ card: { name: 'wc', description: 'counts words', capabilities: [] }, command: 'wc' });

  it('hands a member\'s turn straight back to the coordinator instead of letting it time out', () => {
    expect(agent.onTurn(turn({}))).toEqual({ type: 'discussion', payload: { content: 'I only take tasks; passing the turn back.', next_speaker: [] } });
  });

  it('stays silent as the coordinator, or outside discussion', () => {
    expect(agent.onTurn(turn({ isCoordinator: true }))).toBeNull();
    expect(agent.onTurn(turn({ state: 'conclusion' }))).toBeNull();
  });
});
