import { RankedHit } from './rank-fusion';
import { fuseByScore } from './score-fusion';

const hit = (owner: string, score: number, doc = 'd'): RankedHit => ({ owner, docId: `${owner}#${doc}`, score });

describe('fuseByScore', () => {
  it('mixes max-scaled BM25 with min-max-scaled cosine, keeping each owner once', () => {
    const lexical = [hit('a', 10), hit('b', 5), hit('a', 4, 'c1')];
    const dense = [hit('b', 0.9, 'c0'), hit('c', 0.6), hit('a', 0.5)];
    const fused = fuseByScore([
      { name: 'lexical', hits: lexical, weight: 0.3, scale: 'max' },
      { name: 'dense', hits: dense, weight: 0.7, scale: 'min-max' },
    ]);
    expect(fused.map((r) => r.owner)).toEqual(['b', 'a', 'c']);
    const byOwner = Object.fromEntries(fused.map((r) => [r.owner, r]));
    expect(byOwner.b.score).toBeCloseTo(0.3 * 0.5 + 0.7 * 1);
    expect(byOwner.a.score).toBeCloseTo(0.3 * 1 + 0);
    expect(byOwner.c.score).toBeCloseTo(0.7 * 0.25);
    expect(byOwner.a.signals).toEqual({ lexical: 10, dense: 0.5 });
    expect(byOwner.b.docId).toBe('b#d'); // from the first list that has it
    expect(byOwner.c.docId).toBe('c#d');
  });

  it('adds any number of lists, and a list of weight 0 only reports its signal', () => {
    const fused = fuseByScore([
      { name: 'x', hits: [hit('a', 2), hit('b', 1)], weight: 1, scale: 'max' },
      { name: 'y', hits: [hit('b', 0.8), hit('a', 0.2)], weight: 1, scale: 'min-max' },
      { name: 'z', hits: [hit('b', 5)], weight: 0, scale: 'max' },
    ]);
    expect(fused.map((r) => [r.owner, r.score])).toEqual([['b', 1.5], ['a', 1]]);
    expect(fused[0].signals).toEqual({ x: 1, y: 0.8, z: 5 });
  });

  it('copes with empty lists and a list whose scores are all equal', () => {
    expect(fuseByScore([{ name: 'l', hits: [], weight: 1, scale: 'max' }, { name: 'd', hits: [hit('a', 0.4)], weight: 1, scale: 'min-max' }]).map((r) => r.owner)).toEqual(['a']);
    expect(fuseByScore([])).toEqual([]);
    const flat = fuseByScore([{ name: 'd', hits: [hit('a', 0.4), hit('b', 0.4)], weight: 1, scale: 'min-max' }]);
    expect(flat.map((r) => r.score)).toEqual([0, 0]);
  });
});
