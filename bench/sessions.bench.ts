import { BenchResult } from './run';

// Placeholder until the sessions benchmark lands (being written now).
export async function run(): Promise<BenchResult> {
  throw new Error('sessions benchmark not written yet');
}
