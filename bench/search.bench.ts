import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { BenchResult } from './run';
import { registration } from './support/registration';
import { retrievalQuality, tuningQuality } from './support/retrieval-quality';
import { throughput } from './support/throughput';
import { vectorLatency } from './support/vector-latency';

/** BENCH_AGENTS (default 100000) sets the registry size of the registration run. */
const AGENTS = Number(process.env.BENCH_AGENTS ?? 100_000);
/**
 * Registry sizes for vector search latency (5 vectors of 384 dims per agent). 100000 is left out by default: building
 * its HNSW graph takes 11 to 30 minutes on 2 cores; run it with BENCH_VECTOR_AGENTS=1000,10000,100000.
 */
const VECTOR_AGENTS = (process.env.BENCH_VECTOR_AGENTS ?? '1000,10000').split(',').map(Number);

/**
 * BENCH_SEARCH=quality re-measures only retrieval quality, search-path latency and embedding throughput (a minute
 * instead of many minutes),
 * keeping the other sections of the last full run's results file and saying so. BENCH_SEARCH=dev prints only the
 * dev-data quality and latency, for tuning without looking at the test split, and leaves the results as they were.
 */
const ONLY_QUALITY = process.env.BENCH_SEARCH === 'quality';
const ONLY_DEV = process.env.BENCH_SEARCH === 'dev';

/** Agent search: retrieval quality on the frozen fixtures, registration throughput and RSS at scale. */
export async function run(): Promise<BenchResult> {
  if (ONLY_DEV) {
    console.log(JSON.stringify(await tuningQuality(), null, 2));
    return { ...previous(), name: 'search' };
  }
  if (ONLY_QUALITY) {
    const partial = `quality and throughput only; other sections from the full run at ${previous().at ?? 'none'}`;
    return { ...previous(), name: 'search', quality: await retrievalQuality(), throughput: await throughput(), partial };
  }
  const vectors = [];
  for (const agents of VECTOR_AGENTS) vectors.push(await vectorLatency(agents));
  return { name: 'search', quality: await retrievalQuality(), throughput: await throughput(), vector_search: vectors, registration: await registration(AGENTS) };
}

function previous(): Record<string, unknown> {
  try {
    return JSON.parse(readFileSync(join(__dirname, '../../bench/results/search.json'), 'utf8')) as Record<string, unknown>;
  } catch {
    return {};
  }
}
