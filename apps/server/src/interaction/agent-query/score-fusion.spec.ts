import { RankedHit } from './rank-fusion';
import { fuseByScore } from './score-fusion';

const hit = (owner: string, score: number, doc = 'd'): RankedHit => ({ owner, docId: `${owner}#${doc}`, score });

describe('fuseByScore', () => {
  it('mixes max-scaled BM25 with min-max-scaled cosine, keeping each owner once', () => {
    const lexical = [hit('a', 10), hit('b', 5), hit('a', 4, 'c1')];
    const dense = [hit('b', 0.9), hit('c', 0.6), hit('a', 0.5)];
    const fused = fuseByScore(lexical, dense, 0.3);
    expect(fused.map((r) => r.owner)).toEqual(['b', 'a', 'c']);
    const byOwner = Object.fromEntries(fused.map((r) => [r.owner, r]));
    expect(byOwner.b.score).toBeCloseTo(0.3 * 0.5 + 0.7 * 1);
    expect(byOwner.a.score).toBeCloseTo(0.3 * 1 + 0);
    expect(byOwner.c.score).toBeCloseTo(0.7 * 0.25);
    expect(byOwner.a.signals).toEqual({ lexical: 10, dense: 0.5 });
    expect(byOwner.a.docId).toBe('a#d');
  });

  it('copes with an empty list on either side', () => {
    expect(fuseByScore([], [hit('a', 0.4)]).map((r) => r.owner)).toEqual(['a']);
    expect(fuseByScore([hit('a', 3)], []).map((r) => r.owner)).toEqual(['a']);
    expect(fuseByScore([], [])).toEqual([]);
  });
});
