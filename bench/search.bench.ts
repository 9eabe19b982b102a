import { BenchResult } from './run';
import { registration } from './support/registration';
import { retrievalQuality } from './support/retrieval-quality';

/** BENCH_AGENTS (default 100000) sets the registry size of the registration run. */
const AGENTS = Number(process.env.BENCH_AGENTS ?? 100_000);

/** Agent search: retrieval quality on the frozen fixtures, registration throughput and RSS at scale. */
export async function run(): Promise<BenchResult> {
  return { name: 'search', quality: await retrievalQuality(), registration: await registration(AGENTS) };
}
