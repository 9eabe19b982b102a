import { createHash } from 'node:crypto';
import type { Embedder } from './embedder.port';
import type { WordVectorEmbedder } from './word-vector-embedder';

// Agent cards whose sentence vectors are kept: ~22 MB at most.
const REMEMBERED_TEXTS = 10_000;

/**
 * The default without a downloaded model: sentence vectors from the shipped sentence model (USE Lite, stored and
 * searched), and word-level evidence from the shipped word vectors, which search fuses by score with the lexical
 * scores. Neither alone does as well: on dev data USE Lite answers most of the world-knowledge queries the word
 * vectors miss (IRS → tax, umbrella → weather), while the word match keeps the exact technical words it blurs.
 */
export class HybridEmbedder implements Embedder {
  readonly fusion = 'score' as const;
  readonly modelId: string;
  readonly dimension: number;
  /** Least recently used first (a Map keeps insertion order; a hit is moved to the end). */
  private readonly remembered = new Map<string, Float32Array>();

  constructor(
    private readonly sentences: Embedder,
    private readonly words: WordVectorEmbedder,
  ) {
    this.modelId = sentences.modelId;
    this.dimension = sentences.dimension;
  }

  embed(texts: string[]): Promise<Float32Array[]> {
    return this.sentences.embed(texts);
  }

  wordMatch(query: string, texts: string[]): number[] {
    return this.words.wordMatch(query, texts);
  }

  /**
   * A search scores up to 60 candidate cards; embedding them costs ~2.5 ms each with USE Lite, remembering them
   * ~2.2 kB each (keyed by a hash of the text, since a card may be long). A changed card is simply a new key.
   */
  async embedRemembered(texts: string[]): Promise<Float32Array[]> {
    const keys = texts.map((t) => createHash('sha1').update(t).digest('base64'));
    // Read before awaiting: a concurrent search may evict entries while the model runs.
    const vectors = keys.map((k) => this.remembered.get(k));
    const missing = [...new Set(texts.filter((_, i) => !vectors[i]))];
    if (missing.length > 0) {
      const fresh = new Map((await this.sentences.embed(missing)).map((v, i) => [missing[i], v]));
      texts.forEach((t, i) => (vectors[i] ??= fresh.get(t)));
    }
    keys.forEach((k, i) => {
      this.remembered.delete(k);
      this.remembered.set(k, vectors[i] as Float32Array);
    });
    for (const k of this.remembered.keys()) {
      if (this.remembered.size <= REMEMBERED_TEXTS) break;
      this.remembered.delete(k);
    }
    return vectors as Float32Array[];
  }
}
