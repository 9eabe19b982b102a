"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.HnswIndex = exports.DEFAULT_HNSW_PARAMS = void 0;
const promises_1 = require("node:timers/promises");
const usearch_1 = require("usearch");
const vector_codec_1 = require("./vector-codec");
/**
 * Tuned on 500k × 384 synthetic embeddings on two cores: with M=32 a search list of 160 gives recall@10 ≈ 0.985
 * (0.978 at 128, 0.995 at 192); M=16 stayed at 0.96 even with a list of 256, at the same cost per search. The
 * price is the build (10+ minutes at 500k), paid once when `indexDir` keeps the graph between runs.
 */
exports.DEFAULT_HNSW_PARAMS = { connectivity: 32, expansionAdd: 128, expansionSearch: 160 };
/**
 * A native `add` blocks the event loop (at 500k vectors, M=32 on two cores, about 1.5 ms per vector): batches are
 * sized to take about this long, so a build of minutes never stalls requests for more than a fraction of a second.
 */
const ADD_SLICE_MS = 40;
/**
 * An approximate (HNSW) index over the rows of a `VectorCollection`, via usearch. Keys are row numbers. The graph
 * holds int8 codes (4× less memory than float32 and a faster build); results are re-ranked by the caller with the
 * exact float32 rows, so the codes only decide which candidates are looked at, never a returned score.
 */
class HnswIndex {
    dimension;
    params;
    native;
    /** Vectors per native call, adapted to ADD_SLICE_MS as the graph grows and insertion slows. */
    batch = 64;
    constructor(dimension, params = exports.DEFAULT_HNSW_PARAMS) {
        this.dimension = dimension;
        this.params = params;
        this.native = new usearch_1.Index({
            dimensions: dimension,
            metric: usearch_1.MetricKind.Cos,
            quantization: usearch_1.ScalarKind.I8,
            connectivity: params.connectivity,
            expansion_add: params.expansionAdd,
            expansion_search: params.expansionSearch,
            multi: false,
        });
    }
    get size() {
        return this.native.size();
    }
    /**
     * Makes the graph agree with the collection on these rows: each is dropped if present (usearch refuses a duplicate
     * key, so an update is remove + add) and added back if it still holds a vector. The drop is immediate; the adds
     * are batched like a build, and a row whose vector changed meanwhile is simply taken as it is then.
     */
    async sync(rows, source) {
        this.remove(rows);
        await this.build(rows, source, () => false);
    }
    /**
     * Adds the rows that hold a vector and are not in the graph yet, in batches with the event loop let through in
     * between. Each batch re-reads the collection, so rows changed or removed meanwhile are taken as they are now, and
     * a row that a concurrent `sync` already added is not added twice.
     */
    async build(rows, source, isCancelled) {
        for (let start = 0; start < rows.length && !isCancelled();) {
            const slice = rows.slice(start, start + this.batch).filter((row) => source.idAt(row) !== undefined);
            start += this.batch;
            const present = slice.length > 0 ? this.native.contains(BigUint64Array.from(slice, BigInt)) : [];
            const began = performance.now();
            const added = this.addBatch(slice.filter((_, i) => !present[i]), source);
            const perVector = (performance.now() - began) / Math.max(1, added);
            if (added > 0)
                this.batch = Math.max(16, Math.min(8192, Math.round(ADD_SLICE_MS / Math.max(perVector, 1e-3))));
            if (start < rows.length)
                await (0, promises_1.setImmediate)();
        }
    }
    remove(rows) {
        if (rows.length > 0)
            this.native.remove(BigUint64Array.from(rows, BigInt));
    }
    /** Rows of at least the `wanted` nearest codes (fewer if the graph is smaller), nearest first. */
    search(unitQuery, wanted) {
        if (this.size === 0)
            return [];
        const code = new Int8Array(this.dimension);
        (0, vector_codec_1.toInt8)(unitQuery, code);
        // usearch searches with a list of max(expansion_search, wanted); passing it explicitly keeps a loaded graph (whose
        // file may carry another expansion) on the tuned value.
        const list = Math.min(Math.max(wanted, this.params.expansionSearch), this.size);
        const matches = this.native.search(code, list, 1);
        return Array.from(matches.keys, Number);
    }
    save(path) {
        this.native.save(path);
    }
    load(path) {
        this.native.load(path);
    }
    addBatch(rows, source) {
        if (rows.length === 0)
            return 0;
        const codes = new Int8Array(rows.length * this.dimension);
        rows.forEach((row, i) => (0, vector_codec_1.toInt8)(source.vectorAt(row), codes, i * this.dimension));
        this.native.add(BigUint64Array.from(rows, BigInt), codes, 0);
        return rows.length;
    }
}
exports.HnswIndex = HnswIndex;
//# sourceMappingURL=hnsw-index.js.map