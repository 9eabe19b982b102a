import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import agents from '../../test/fixtures/agents.json';
import { shippedWordVectors } from '../../apps/server/src/foundation/embeddings/embeddings.module';
import { Embedder } from '../../apps/server/src/foundation/embeddings/embedder.port';
import { writeTestModel } from '../../apps/server/src/foundation/embeddings/test-model';
import { TransformersEmbedder } from '../../apps/server/src/foundation/embeddings/transformers-embedder';
import { USE_LITE_MODEL, useLiteDirectory, writeUseLiteModel } from '../../apps/server/src/foundation/embeddings/use-lite-model';
import { WordVectorEmbedder } from '../../apps/server/src/foundation/embeddings/word-vector-embedder';
import { LexicalIndex } from '../../apps/server/src/foundation/lexical/lexical-index';
import { WordNetExpander } from '../../apps/server/src/foundation/lexical/wordnet';
import { agentDocuments } from '../../apps/server/src/interaction/agent-query/agent-documents';
import { round } from './stats';

const TEXTS = 2000;

/** Agent documents of the fixtures, repeated with an index, as the texts to embed and index. */
function texts(n: number): string[] {
  const docs = agents.flatMap((a) => agentDocuments({ id: a.name, name: a.name, description: a.description, skills: a.skills, capabilities: a.capabilities }));
  return Array.from({ length: n }, (_, i) => `${docs[i % docs.length].text} (${i})`);
}

async function rate(embedder: Embedder, batch: boolean, input: string[]): Promise<number> {
  const started = process.hrtime.bigint();
  if (batch) await embedder.embed(input);
  else for (const t of input) await embedder.embed([t]);
  return round(input.length / (Number(process.hrtime.bigint() - started) / 1e9));
}

/** Texts per second, one at a time (the baseline) and batched, for each embedder; documents per second into the lexical index. */
export async function throughput(): Promise<Record<string, unknown>> {
  const dir = mkdtempSync(join(tmpdir(), 'ioa-bench-throughput-'));
  try {
    const input = texts(TEXTS);
    const model = await TransformersEmbedder.load({ model: await writeTestModel(join(dir, 'model')), modelsDir: dir, allowRemote: false });
    const vectors = await WordVectorEmbedder.load({ cacheDir: shippedWordVectors(__dirname) as string });
    const converting = process.hrtime.bigint();
    await writeUseLiteModel(useLiteDirectory(dir));
    const useLite = await TransformersEmbedder.load({ model: USE_LITE_MODEL, modelsDir: dir, allowRemote: false });
    const out: Record<string, unknown> = { texts: TEXTS, use_lite_convert_and_load_ms: round(Number(process.hrtime.bigint() - converting) / 1e6) };
    for (const [name, e] of [['test_model', model], ['use_lite', useLite], ['word_vectors', vectors]] as const) {
      await e.embed(input.slice(0, 50)); // warm-up
      const single = await rate(e, false, input);
      const batched = await rate(e, true, input);
      out[name] = { single_per_s: single, batched_per_s: batched, batch_speedup: round(batched / single) };
    }
    const expander = WordNetExpander.fromPackage({ cacheDir: join(dir, 'cache') });
    for (const [name, index] of [['lexical_plain', new LexicalIndex({})], ['lexical_wordnet', new LexicalIndex({ expander })]] as const) {
      const started = process.hrtime.bigint();
      input.forEach((t, i) => index.add(`d${i}`, t));
      out[`${name}_docs_per_s`] = round(TEXTS / (Number(process.hrtime.bigint() - started) / 1e9));
    }
    return out;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
