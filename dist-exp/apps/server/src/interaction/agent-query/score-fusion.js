"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.fuseByScore = fuseByScore;
const rank_fusion_1 = require("./rank-fusion");
/**
 * Linear fusion of scores, for retrievers whose rankings alone are weak but whose scores still tell a near match
 * from a far one (word vectors; see `word-vector-fusion.ts`). Each owner counts with its best hit per list; an owner
 * missing from a list scores 0 there. The shown document is the owner's best in the first list that has it.
 * Min-max scaling depends on how deep a list goes: lists to be compared across queries need a fixed depth.
 */
function fuseByScore(lists) {
    const fused = new Map();
    for (const list of lists) {
        const best = (0, rank_fusion_1.bestPerOwner)(list.hits);
        if (best.length === 0)
            continue;
        const top = best[0].score;
        const bottom = list.scale === 'max' ? 0 : best[best.length - 1].score;
        const range = top - bottom || 1;
        for (const h of best) {
            const entry = fused.get(h.owner) ?? { owner: h.owner, score: 0, docId: h.docId, signals: {} };
            entry.score += (list.weight * (h.score - bottom)) / range;
            entry.signals[list.name] = h.score;
            fused.set(h.owner, entry);
        }
    }
    return [...fused.values()].sort((a, b) => b.score - a.score || a.owner.localeCompare(b.owner));
}
//# sourceMappingURL=score-fusion.js.map