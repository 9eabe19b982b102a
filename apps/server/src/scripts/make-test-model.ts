import { parseArgs } from 'node:util';
import { writeTestModel } from '../foundation/embeddings/test-model';

const USAGE = 'usage: make-test-model <dir> [--dimension N] [--seed N] [--extra-words word,word]';

/** Writes the tiny offline test model (see test-model.ts) into <dir>, for e2e suites and benchmarks. */
async function main(): Promise<void> {
  const { positionals, values } = parseArgs({
    allowPositionals: true,
    options: { dimension: { type: 'string' }, seed: { type: 'string' }, 'extra-words': { type: 'string' } },
  });
  if (positionals.length !== 1) throw new Error(USAGE);
  const dir = await writeTestModel(positionals[0], {
    dimension: integer(values.dimension, 'dimension'),
    seed: integer(values.seed, 'seed'),
    extraWords: values['extra-words']?.split(',').filter(Boolean),
  });
  console.log(dir);
}

function integer(value: string | undefined, name: string): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isInteger(n)) throw new Error(`--${name} must be an integer (got ${value})`);
  return n;
}

main().catch((e: Error) => {
  console.error(`make-test-model failed: ${e.message}`);
  process.exit(1);
});
