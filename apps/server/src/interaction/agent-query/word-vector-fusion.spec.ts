import type { Embedder } from '../../foundation/embeddings/embedder.port';
import { RankedHit } from './rank-fusion';
import { fuseWithWordVectors, ScoreFusionWeights, WORD_VECTOR_FUSION, WORD_VECTORS_ONLY_FUSION } from './word-vector-fusion';

/** A named double for the word-vector embedder: one axis per known word, word match = share of query words present. */
class AxisEmbedder implements Embedder {
  readonly modelId = 'axis';
  readonly fusion = 'score' as const;
  readonly dimension: number;
  constructor(private readonly vocabulary: string[]) {
    this.dimension = vocabulary.length;
  }
  async embed(texts: string[]): Promise<Float32Array[]> {
    return texts.map((t) => {
      const v = Float32Array.from(this.vocabulary, (w) => (t.split(/\W+/).includes(w) ? 1 : 0));
      const n = Math.hypot(...v) || 1;
      return v.map((x) => x / n);
    });
  }
  wordMatch(query: string, texts: string[]): number[] {
    const q = query.split(/\W+/).filter((w) => this.vocabulary.includes(w));
    return texts.map((t) => q.filter((w) => t.split(/\W+/).includes(w)).length / (q.length || 1));
  }
}

const hit = (owner: string, score: number, doc = 'd'): RankedHit => ({ owner, docId: `${owner}#${doc}`, score });

describe('fuseWithWordVectors', () => {
  const cards: Record<string, string> = {
    chess: 'chess coach. analyze game: review moves. teach opening: explain openings',
    weather: 'weather forecast. rain wind',
    music: 'music songs',
  };
  const embedder = new AxisEmbedder(['chess', 'game', 'opening', 'rain', 'wind', 'songs', 'music']);
  const fuse = async (query: string, lexical: RankedHit[], dense: RankedHit[], weights?: ScoreFusionWeights) => {
    const [queryVector] = await embedder.embed([query]);
    return fuseWithWordVectors({ query, queryVector, lexical, dense, cardText: (o) => cards[o] }, embedder, undefined, weights);
  };

  it('scores each candidate on its whole card, so words spread over description and capabilities add up', async () => {
    // BM25 put weather first on a stray word; the chess card holds both query words, in two different documents.
    const lexical = [hit('weather', 4), hit('chess', 3, 'c0')];
    const dense = [hit('music', 0.2), hit('chess', 0.1, 'c1')];
    const fused = await fuse('opening game', lexical, dense, WORD_VECTORS_ONLY_FUSION);
    expect(fused.map((r) => r.owner)).toEqual(['chess', 'weather', 'music']);
    expect(fused[0].docId).toBe('chess#c0');
    const w = WORD_VECTORS_ONLY_FUSION;
    expect(fused[0].score).toBeCloseTo(w.lexical * 0.75 + w.card + w.words);
  });

  it('adds the best first-stage document cosine, scaled over the candidates that have one', async () => {
    // Same first stage; by default a document that alone matches the request (music's, here) counts most.
    const lexical = [hit('weather', 4), hit('chess', 3, 'c0')];
    const dense = [hit('music', 0.2), hit('chess', 0.1, 'c1')];
    const fused = await fuse('opening game', lexical, dense);
    const w = WORD_VECTOR_FUSION;
    expect(fused.map((r) => [r.owner, r.score])).toEqual([
      ['chess', expect.closeTo(w.lexical * 0.75 + w.card + w.words)],
      ['music', expect.closeTo(w.doc)],
      ['weather', expect.closeTo(w.lexical)],
    ]);
  });

  it('reports the first stage raw scores as signals, lexical and best document cosine', async () => {
    const fused = await fuse('rain', [hit('weather', 2)], [hit('weather', 0.7), hit('music', 0.1)]);
    expect(fused.find((r) => r.owner === 'weather')?.signals).toEqual({ lexical: 2, dense: 0.7 });
    expect(fused.find((r) => r.owner === 'music')?.signals).toEqual({ dense: 0.1 });
  });

  it('returns nothing without candidates', async () => {
    expect(await fuse('rain', [], [])).toEqual([]);
  });
});
