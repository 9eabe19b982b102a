/** One retriever's hit on one document of an owner (an agent). */
export interface RankedHit {
  owner: string;
  docId: string;
  score: number;
}

export interface FusedResult {
  owner: string;
  /** Reciprocal-rank-fusion score scaled to 0..1 (1 = first in every retriever). */
  score: number;
  /** The document that ranked the owner highest, in the first retriever that found it. */
  docId: string;
  /** Each retriever's best raw score for this owner, by retriever name. */
  signals: Record<string, number>;
}

/** Keeps each owner's best hit, in rank order: agents are ranked by their best-matching document. */
export function bestPerOwner(hits: RankedHit[]): RankedHit[] {
  const seen = new Set<string>();
  return hits.filter((h) => !seen.has(h.owner) && seen.add(h.owner));
}

/**
 * Reciprocal rank fusion (Cormack et al. 2009): ranks, not raw scores, are combined, so BM25 scores and cosine
 * similarities need no calibration against each other. `k` damps the weight of top ranks.
 */
export function fuseByRank(lists: Record<string, RankedHit[]>, k = 60): FusedResult[] {
  const names = Object.keys(lists);
  const fused = new Map<string, FusedResult>();
  for (const name of names) {
    bestPerOwner(lists[name]).forEach((hit, rank) => {
      const entry = fused.get(hit.owner) ?? { owner: hit.owner, score: 0, docId: hit.docId, signals: {} };
      entry.score += 1 / (k + rank + 1);
      entry.signals[name] = hit.score;
      fused.set(hit.owner, entry);
    });
  }
  const best = names.length / (k + 1);
  return [...fused.values()]
    .map((r) => ({ ...r, score: r.score / best }))
    .sort((a, b) => b.score - a.score || a.owner.localeCompare(b.owner));
}
