import { bestPerOwner, fuseByRank } from './rank-fusion';

const hit = (owner: string, doc: string, score: number) => ({ owner, docId: `${owner}#${doc}`, score });

describe('rank fusion', () => {
  it('keeps the best document of each owner in rank order', () => {
    const hits = [hit('a', 'c0', 9), hit('b', 'd', 8), hit('a', 'd', 7)];
    expect(bestPerOwner(hits).map((h) => h.docId)).toEqual(['a#c0', 'b#d']);
  });

  it('ranks an owner found by both retrievers above owners found by one', () => {
    const fused = fuseByRank({
      lexical: [hit('a', 'd', 12), hit('b', 'd', 3)],
      dense: [hit('c', 'c1', 0.9), hit('b', 'c0', 0.8)],
    });
    expect(fused.map((r) => r.owner)).toEqual(['b', 'a', 'c']);
    expect(fused[0].signals).toEqual({ lexical: 3, dense: 0.8 });
    expect(fused[0].docId).toBe('b#d');
  });

  it('scales scores so that first everywhere is 1', () => {
    const fused = fuseByRank({ lexical: [hit('a', 'd', 1)], dense: [hit('a', 'd', 1)] });
    expect(fused[0].score).toBeCloseTo(1);
    expect(fuseByRank({ lexical: [] })).toEqual([]);
  });
});
