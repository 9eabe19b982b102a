import type { Embedder } from './embedder.port';
import type { WordVectorEmbedder } from './word-vector-embedder';

// Agent cards whose sentence vectors are kept: ~25 MB at most.
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
   * ~2.5 kB each. Texts are keys, so an updated card is simply a new entry.
   */
  async embedRemembered(texts: string[]): Promise<Float32Array[]> {
    const missing = [...new Set(texts.filter((t) => !this.remembered.has(t)))];
    const fresh = new Map<string, Float32Array>();
    if (missing.length > 0) (await this.sentences.embed(missing)).forEach((v, i) => fresh.set(missing[i], v));
    return texts.map((t) => {
      const vector = this.remembered.get(t) ?? (fresh.get(t) as Float32Array);
      this.remembered.delete(t);
      this.remembered.set(t, vector);
      if (this.remembered.size > REMEMBERED_TEXTS) this.remembered.delete(this.remembered.keys().next().value as string);
      return vector;
    });
  }
}
