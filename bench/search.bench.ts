import { BenchResult } from './run';
import { registration } from './support/registration';
import { retrievalQuality } from './support/retrieval-quality';
import { throughput } from './support/throughput';
import { vectorLatency } from './support/vector-latency';

/** BENCH_AGENTS (default 100000) sets the registry size of the registration run. */
const AGENTS = Number(process.env.BENCH_AGENTS ?? 100_000);
/**
 * Registry sizes for vector search latency (5 vectors of 384 dims per agent). 100000 is left out by default: building
 * its HNSW graph takes 11 to 30 minutes on 2 cores; run it with BENCH_VECTOR_AGENTS=1000,10000,100000.
 */
const VECTOR_AGENTS = (process.env.BENCH_VECTOR_AGENTS ?? '1000,10000').split(',').map(Number);

/** Agent search: retrieval quality on the frozen fixtures, registration throughput and RSS at scale. */
export async function run(): Promise<BenchResult> {
  const vectors = [];
  for (const agents of VECTOR_AGENTS) vectors.push(await vectorLatency(agents));
  return { name: 'search', quality: await retrievalQuality(), throughput: await throughput(), vector_search: vectors, registration: await registration(AGENTS) };
}
