import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * `npm run bench`: runs each benchmark (or those named on the command line), writes its JSON to bench/results/
 * and prints a summary. Each benchmark measures a baseline in the same run and reports ratios against it.
 */
export interface BenchResult {
  name: string;
  [key: string]: unknown;
}

const BENCHES: Record<string, () => Promise<BenchResult>> = {
  search: () => import('./search.bench').then((m) => m.run()),
  sessions: () => import('./sessions.bench').then((m) => m.run()),
  soak: () => import('./soak.bench').then((m) => m.run()),
  'slow-readers': () => import('./slow-readers.bench').then((m) => m.run()),
  cluster: () => import('./cluster.bench').then((m) => m.run()),
};

async function main(): Promise<void> {
  const wanted = process.argv.slice(2).filter((a) => !a.startsWith('-'));
  const names = wanted.length ? wanted : Object.keys(BENCHES);
  const dir = join(__dirname, '../../bench/results');
  mkdirSync(dir, { recursive: true });
  for (const name of names) {
    const bench = BENCHES[name];
    if (!bench) throw new Error(`unknown benchmark ${name} (known: ${Object.keys(BENCHES).join(', ')})`);
    const started = Date.now();
    const result = { ...(await bench()), machine: machine(), at: new Date().toISOString(), seconds: (Date.now() - started) / 1000 };
    writeFileSync(join(dir, `${name}.json`), `${JSON.stringify(result, null, 2)}\n`);
    console.log(`${name}: written to bench/results/${name}.json in ${result.seconds} s`);
  }
}

function machine() {
  const os = require('node:os');
  return { cpus: os.cpus().length, cpu: os.cpus()[0]?.model, memory_gb: Math.round(os.totalmem() / 2 ** 30), node: process.version };
}

main().catch((e: Error) => {
  console.error(e.stack);
  process.exit(1);
});
