"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.MIN_GRAPH_RECALL = void 0;
exports.calibrateSearchList = calibrateSearchList;
const promises_1 = require("node:timers/promises");
/** Stored vectors used as test queries: enough to tell 0.95 from 0.85, few enough to take seconds at 500k. */
const SAMPLE = 64;
const TOP = 10;
/** Below this share of the exact top 10 found, a graph would return wrong answers often enough to be noticed. */
exports.MIN_GRAPH_RECALL = 0.95;
/**
 * Measures how well a freshly built graph finds the exact top 10, for a sample of stored vectors as queries (each
 * one's own row left out), and returns the smallest search list among `lists` that reaches MIN_GRAPH_RECALL — or
 * null when none does. Embeddings of text have a low intrinsic dimension and pass with the default list; vectors
 * without such structure (i.i.d. random ones, where every neighbour is about as far as any other) defeat every
 * graph, and searches are then better served by the exact scan: slower, but right.
 */
async function calibrateSearchList(index, data, lists) {
    const live = [];
    for (let row = 0; row < data.rowCount; row++)
        if (data.idAt(row) !== undefined)
            live.push(row);
    if (live.length <= TOP + 1)
        return lists[0];
    const step = live.length / Math.min(SAMPLE, live.length);
    const queries = Array.from({ length: Math.min(SAMPLE, live.length) }, (_, i) => live[Math.floor(i * step)]);
    const truths = [];
    for (const row of queries) {
        const query = data.vectorAt(row).slice();
        truths.push(new Set(data.scan(query, TOP + 1, null, null).map((h) => h.row).filter((r) => r !== row).slice(0, TOP)));
        await (0, promises_1.setImmediate)();
    }
    for (const list of lists) {
        let found = 0;
        let expected = 0;
        queries.forEach((row, i) => {
            const query = data.vectorAt(row);
            const hits = index
                .search(query, list)
                .filter((r) => r !== row && data.idAt(r) !== undefined)
                .map((r) => ({ r, score: data.dot(r, query) }))
                .sort((a, b) => b.score - a.score)
                .slice(0, TOP);
            found += hits.filter((h) => truths[i].has(h.r)).length;
            expected += truths[i].size;
        });
        if (found >= exports.MIN_GRAPH_RECALL * expected)
            return list;
        await (0, promises_1.setImmediate)();
    }
    return null;
}
//# sourceMappingURL=hnsw-calibration.js.map