import { BenchResult } from './run';
import { retrievalQuality } from './support/retrieval-quality';

/** Agent search: retrieval quality on the frozen fixtures (vector store latency and throughput: see support/). */
export async function run(): Promise<BenchResult> {
  return { name: 'search', quality: await retrievalQuality() };
}
