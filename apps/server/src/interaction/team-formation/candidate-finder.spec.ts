import type { SearchResultItem } from '@ioa/protocol';
import { rankCandidates } from './candidate-finder';

const result = (id: string, score: number, signals: Record<string, number>, agent: Partial<SearchResultItem['agent']> = {}): SearchResultItem =>
  ({ agent: { id, accepting_invites: true, status: 'online', max_concurrent_groups: 2, ...agent }, score, matched: 'description', signals }) as SearchResultItem;
const ids = (r: Array<{ agent_id: string }>) => r.map((c) => c.agent_id);

describe('rankCandidates', () => {
  const none = new Map<string, number>();

  it('lets a past collaborator pass a near tie, never a clearly better match', () => {
    const results = [result('best', 1, { lexical: 3.5 }), result('near', 0.99, { lexical: 3.47 }), result('weak', 0.09, { lexical: 0.3 })];
    expect(ids(rankCandidates(results, new Set(['near']), none, 0.3))).toEqual(['near', 'best', 'weak']);
    const ranked = rankCandidates(results, new Set(['weak']), none, 0.3);
    expect(ids(ranked)).toEqual(['best', 'near', 'weak']);
    expect(ranked[2]).toMatchObject({ score: 0.11, contact: true });
  });

  it('keeps only online agents that accept invites, have room, and match lexically or above the cosine floor', () => {
    const results = [
      result('ok', 0.9, { lexical: 1 }),
      result('offline', 0.9, { lexical: 1 }, { status: 'offline' }),
      result('closed', 0.9, { lexical: 1 }, { accepting_invites: false }),
      result('full', 0.9, { lexical: 1 }),
      result('close-meaning', 0.5, { dense: 0.45 }),
      result('far-meaning', 0.5, { dense: 0.2 }),
    ];
    expect(ids(rankCandidates(results, new Set(), new Map([['full', 2], ['ok', 1]]), 0.3))).toEqual(['ok', 'close-meaning']);
  });
});
