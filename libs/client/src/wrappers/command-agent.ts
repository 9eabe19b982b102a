import { spawn } from 'node:child_process';
import { StringDecoder } from 'node:string_decoder';
import { ENVELOPE_LIMITS } from '@ioa/protocol';
import type { Agent, TaskReporter } from '../agent';
import { AgentCard, TaskOutcome, TaskView } from '../types';
import { clip, firstLine, outcome, passTurnBack, taskText } from './outcome';

export interface CommandAgentOptions {
  card: AgentCard;
  /** The program to run (a path or a name on PATH); never run through a shell. */
  command: string;
  /** Arguments before the task text, which is always appended as one last argument. */
  args?: string[];
  /** Default 60 s; the whole process tree is killed when it runs out. */
  timeoutMs?: number;
  /** Stdout kept for the conclusion (default: the protocol's text limit); the rest is read and dropped. */
  maxOutputBytes?: number;
  /** At most one progress report per this many ms (default 200). */
  progressIntervalMs?: number;
  cwd?: string;
  env?: NodeJS.ProcessEnv;
  /** What it says when it holds the turn; default: passes it straight back to the coordinator (`passTurnBack`). */
  onTurn?: Agent['onTurn'];
}

const STDERR_TAIL = 2048;
const LINE_MAX = 1000;
export const TRUNCATED_MARKER = '[output truncated]';

/**
 * An agent whose tasks are done by a command-line program: each task runs `command ...args <task text>` without a
 * shell (the task text is one argument, so it cannot inject anything), stdout lines become progress reports, and the
 * exit code settles the task (0: completed with stdout as the conclusion; otherwise failed with the stderr tail).
 * @example
 * runAgent(client, commandAgent({ card, command: 'wc', args: ['-w'], timeoutMs: 10_000 }));
 */
export function commandAgent(options: CommandAgentOptions): Agent {
  return {
    card: options.card,
    onTurn: options.onTurn ?? passTurnBack,
    onTask: (task, report) => runTask(options, task, report),
  };
}

function runTask(o: CommandAgentOptions, task: TaskView, report: TaskReporter): Promise<TaskOutcome> {
  const timeoutMs = o.timeoutMs ?? 60_000;
  const maxBytes = o.maxOutputBytes ?? ENVELOPE_LIMITS.textMax - TRUNCATED_MARKER.length - 1;
  const progress = throttledProgress(report, o.progressIntervalMs ?? 200);
  return new Promise((resolve) => {
    // Its own process group (detached), so that a timeout can kill everything it started, not just the child.
    const child = spawn(o.command, [...(o.args ?? []), taskText(task)], {
      shell: false, detached: process.platform !== 'win32', stdio: ['ignore', 'pipe', 'pipe'], cwd: o.cwd, env: o.env ?? process.env,
    });
    const out: Buffer[] = [];
    let kept = 0;
    let truncated = false;
    let stderr = '';
    let partial = '';
    let timedOut = false;
    const decoder = new StringDecoder('utf8');
    const timer = setTimeout(() => {
      timedOut = true;
      killTree(child.pid, () => child.kill('SIGKILL'));
    }, timeoutMs);

    // Stdout is always drained (so the child never blocks on a full pipe); only the first maxBytes are kept.
    child.stdout.on('data', (chunk: Buffer) => {
      const take = chunk.subarray(0, Math.max(0, maxBytes - kept));
      if (take.length) out.push(take);
      kept += take.length;
      if (take.length < chunk.length) truncated = true;
      const lines = (partial + decoder.write(chunk)).split('\n');
      partial = clip(lines.pop() ?? '', LINE_MAX);
      for (const line of lines) if (line.trim()) progress.line(line);
    });
    child.stderr.on('data', (chunk: Buffer) => (stderr = (stderr + chunk.toString('utf8')).slice(-STDERR_TAIL)));

    let settled = false;
    const finish = (result: TaskOutcome) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      void progress.flush().then(() => resolve(result));
    };
    child.once('error', (e) => finish(outcome('failed', `could not run ${o.command}: ${e.message}`)));
    child.once('close', (code, signal) => {
      const stdout = Buffer.concat(out).toString('utf8') + (truncated ? `\n${TRUNCATED_MARKER}` : '');
      if (timedOut) return finish(outcome('failed', `timed out after ${timeoutMs} ms${tail(stderr)}`, `timed out after ${timeoutMs} ms`));
      if (code === 0) return finish(outcome('completed', stdout, firstLine(stdout) || `${o.command} finished`));
      const why = code === null ? `killed by ${signal}` : `exited with code ${code}`;
      finish(outcome('failed', `${o.command} ${why}${tail(stderr)}`, `${why}: ${firstLine(stderr.split('\n').slice(-3).join('\n'))}`));
    });
  });
}

const tail = (stderr: string) => (stderr.trim() ? `\n--- stderr (tail) ---\n${stderr.trim()}` : '');

function killTree(pid: number | undefined, fallback: () => void): void {
  try {
    if (pid && process.platform !== 'win32') process.kill(-pid, 'SIGKILL');
    else fallback();
  } catch {
    fallback();
  }
}

/**
 * Progress from output lines, at most one report per `intervalMs` (the latest line wins), rising toward 0.9 so that
 * the final result, not a progress report, says "done".
 */
function throttledProgress(report: TaskReporter, intervalMs: number) {
  let sent = 0;
  let lastAt = 0;
  let latest: string | null = null;
  let timer: NodeJS.Timeout | undefined;
  let chain = Promise.resolve();
  const send = () => {
    timer = undefined;
    if (latest === null) return;
    const note = clip(latest, ENVELOPE_LIMITS.abstractMax);
    latest = null;
    lastAt = Date.now();
    sent++;
    const value = Math.round((0.9 * sent) / (sent + 4) * 1000) / 1000;
    // A lost progress report must not fail the task.
    chain = chain.then(() => report.progress(value, note)).catch(() => undefined);
  };
  return {
    line(line: string) {
      latest = line;
      if (timer) return;
      const wait = lastAt + intervalMs - Date.now();
      if (wait <= 0) send();
      else timer = setTimeout(send, wait);
    },
    flush(): Promise<void> {
      if (timer) clearTimeout(timer);
      timer = undefined;
      return chain;
    },
  };
}
