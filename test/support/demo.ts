import { spawn } from 'node:child_process';
import { join } from 'node:path';

const DEMO = join(__dirname, '../../dist/apps/server/src/demo/demo.js');

/**
 * Runs the built demo to completion with only PATH and `env` in its environment (so a developer's OPENAI_* or IOA_*
 * variables never leak in); resolves to its exit code and everything it printed.
 */
export function runDemo(args: string[], env: Record<string, string> = {}, timeoutMs = 85_000, onOutput?: (output: string) => void): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [DEMO, ...args], { env: { PATH: process.env.PATH ?? '', ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (d) => ((output += d), onOutput?.(output)));
    child.stderr.on('data', (d) => (output += d));
    const timer = setTimeout(() => (child.kill('SIGKILL'), reject(new Error(`the demo did not exit:\n${output}`))), timeoutMs);
    child.on('exit', (code) => (clearTimeout(timer), resolve({ code, output })));
  });
}
