"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.bestPerOwner = bestPerOwner;
exports.fuseByRank = fuseByRank;
/** Keeps each owner's best hit, in rank order: agents are ranked by their best-matching document. */
function bestPerOwner(hits) {
    const seen = new Set();
    return hits.filter((h) => !seen.has(h.owner) && seen.add(h.owner));
}
/**
 * Reciprocal rank fusion (Cormack et al. 2009): ranks, not raw scores, are combined, so BM25 scores and cosine
 * similarities need no calibration against each other. `k` damps the weight of top ranks.
 */
function fuseByRank(lists, k = 60) {
    const names = Object.keys(lists);
    const fused = new Map();
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
//# sourceMappingURL=rank-fusion.js.map