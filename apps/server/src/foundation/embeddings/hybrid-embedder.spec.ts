import type { Embedder } from './embedder.port';
import { HybridEmbedder } from './hybrid-embedder';
import type { WordVectorEmbedder } from './word-vector-embedder';

/** A named double of a sentence model: a text's vector is [its length], and every text embedded is recorded. */
class LengthEmbedder implements Embedder {
  readonly modelId = 'length';
  readonly dimension = 1;
  readonly fusion = 'rank' as const;
  readonly seen: string[] = [];
  async embed(texts: string[]): Promise<Float32Array[]> {
    this.seen.push(...texts);
    return texts.map((t) => Float32Array.of(t.length));
  }
}

describe('HybridEmbedder', () => {
  const words = { wordMatch: (q: string, texts: string[]) => texts.map((t) => (t.includes(q) ? 1 : 0)) } as unknown as WordVectorEmbedder;

  it("embeds with the sentence model, matches words with the word vectors and takes the model's name", async () => {
    const sentences = new LengthEmbedder();
    const hybrid = new HybridEmbedder(sentences, words);
    expect([hybrid.modelId, hybrid.dimension, hybrid.fusion]).toEqual(['length', 1, 'score']);
    expect(await hybrid.embed(['abc'])).toEqual([Float32Array.of(3)]);
    expect(hybrid.wordMatch('b', ['abc', 'xyz'])).toEqual([1, 0]);
  });

  it('remembers the texts it embedded for search, once each, in the order asked', async () => {
    const sentences = new LengthEmbedder();
    const hybrid = new HybridEmbedder(sentences, words);
    expect(await hybrid.embedRemembered(['aa', 'b', 'aa'])).toEqual([Float32Array.of(2), Float32Array.of(1), Float32Array.of(2)]);
    expect(await hybrid.embedRemembered(['b', 'cccc'])).toEqual([Float32Array.of(1), Float32Array.of(4)]);
    expect(sentences.seen).toEqual(['aa', 'b', 'cccc']);
  });

  it('answers a search right when a concurrent one evicts its remembered texts meanwhile', async () => {
    const hybrid = new HybridEmbedder(new LengthEmbedder(), words);
    const cards = ['a', 'bb', 'ccc'];
    await hybrid.embedRemembered(cards);
    // The first call fills the whole cache while the second waits on the model for its one new text.
    const flood = Array.from({ length: 10_000 }, (_, i) => `card ${i}`);
    const [, answer] = await Promise.all([hybrid.embedRemembered(flood), hybrid.embedRemembered([...cards, 'dddd'])]);
    expect(answer.map((v) => v[0])).toEqual([1, 2, 3, 4]);
  });
});
