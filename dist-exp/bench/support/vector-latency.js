"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.vectorLatency = vectorLatency;
const node_fs_1 = require("node:fs");
const node_os_1 = require("node:os");
const node_path_1 = require("node:path");
const typeorm_1 = require("typeorm");
const embedded_vector_store_1 = require("../../apps/server/src/foundation/vector-store/embedded-vector-store");
const vector_entity_1 = require("../../apps/server/src/foundation/vector-store/vector.entity");
const stats_1 = require("./stats");
const DIM = 384;
const VECTORS_PER_AGENT = 5;
/** Queries with an exact answer (recall, and the exact scan's latency: about 1 s each at 100k agents). */
const QUERIES = 300;
/** Queries timed on the embedded store: the 300 plus fresh ones, so that a p99 rests on more than 3 slow queries. */
const TIMED_QUERIES = 1000;
/** Untimed queries first, as a running server has served some: the first search after start-up runs cold code. */
const WARMUP_QUERIES = 20;
const RANK = 32;
/**
 * Sentence embeddings live near a low-dimensional subspace; i.i.d. random vectors do not, and no graph index reaches
 * useful recall on them (measured: 0.10 at 500k). So the vectors are rank-32 structure plus noise, unit length.
 */
function generator(seed) {
    let s = seed >>> 0;
    const rnd = () => ((s = (s * 1664525 + 1013904223) >>> 0) / 2 ** 32);
    const gauss = () => Math.sqrt(-2 * Math.log(rnd() + 1e-12)) * Math.cos(2 * Math.PI * rnd());
    const basis = Float32Array.from({ length: RANK * DIM }, gauss);
    return () => {
        const z = Array.from({ length: RANK }, gauss);
        const v = new Float32Array(DIM);
        let norm = 0;
        for (let i = 0; i < DIM; i++) {
            let x = 0.3 * gauss();
            for (let r = 0; r < RANK; r++)
                x += (basis[r * DIM + i] * z[r]) / Math.sqrt(RANK);
            v[i] = x;
            norm += x * x;
        }
        norm = Math.sqrt(norm);
        for (let i = 0; i < DIM; i++)
            v[i] /= norm;
        return v;
    };
}
/** The baseline: a tuned exact scan over one pre-normalised Float32Array, keeping the top 10 in a small sorted buffer. */
function exactTop10(data, n, q) {
    const best = [];
    for (let row = 0; row < n; row++) {
        let s = 0;
        for (let j = 0, at = row * DIM; j < DIM; j++)
            s += data[at + j] * q[j];
        if (best.length === 10 && s <= best[9].score)
            continue;
        const at = best.findIndex((b) => b.score < s);
        best.splice(at === -1 ? best.length : at, 0, { row, score: s });
        if (best.length > 10)
            best.pop();
    }
    return best.map((b) => b.row);
}
/** Search latency, recall@10, build and restart time of the embedded store at `agents` × 5 vectors × 384 dims. */
async function vectorLatency(agents) {
    const n = agents * VECTORS_PER_AGENT;
    const dir = (0, node_fs_1.mkdtempSync)((0, node_path_1.join)((0, node_os_1.tmpdir)(), 'ioa-bench-vectors-'));
    const ds = await new typeorm_1.DataSource({ type: 'better-sqlite3', database: (0, node_path_1.join)(dir, 'v.sqlite'), entities: [vector_entity_1.VectorEntity], synchronize: true }).initialize();
    try {
        const next = generator(42);
        const data = new Float32Array(n * DIM);
        for (let i = 0; i < n; i++)
            data.set(next(), i * DIM);
        const queries = Array.from({ length: TIMED_QUERIES }, next);
        const warmup = Array.from({ length: WARMUP_QUERIES }, next);
        const id = (row) => `v${row}`;
        const started = Date.now();
        const writer = new embedded_vector_store_1.EmbeddedVectorStore(ds.getRepository(vector_entity_1.VectorEntity), { annThreshold: Infinity });
        await writer.ensureCollection('bench', DIM);
        for (let o = 0; o < n; o += 5000) {
            await writer.upsert('bench', Array.from({ length: Math.min(5000, n - o) }, (_, j) => ({
                id: id(o + j), owner: `a${Math.floor((o + j) / VECTORS_PER_AGENT)}`, vector: data.subarray((o + j) * DIM, (o + j + 1) * DIM),
            })));
        }
        const persistS = (Date.now() - started) / 1000;
        const indexDir = (0, node_path_1.join)(dir, 'index');
        const open = async () => {
            const t = Date.now();
            const store = new embedded_vector_store_1.EmbeddedVectorStore(ds.getRepository(vector_entity_1.VectorEntity), { indexDir });
            await store.ensureCollection('bench', DIM);
            await store.indexed('bench');
            return { store, seconds: (Date.now() - t) / 1000, status: await store.indexStatus('bench') };
        };
        const cold = await open();
        const warm = await open();
        const exact = queries.slice(0, QUERIES).map((q) => {
            const t = process.hrtime.bigint();
            const rows = exactTop10(data, n, q);
            return { rows, ms: Number(process.hrtime.bigint() - t) / 1e6 };
        });
        const store = warm.store;
        let t = process.hrtime.bigint();
        await store.search('bench', warmup[0], 10);
        const firstQueryMs = Number(process.hrtime.bigint() - t) / 1e6;
        for (const q of warmup.slice(1))
            await store.search('bench', q, 10);
        const ms = [];
        const cpuMs = [];
        let found = 0;
        for (const [i, q] of queries.entries()) {
            const cpu = process.cpuUsage();
            t = process.hrtime.bigint();
            const hits = await store.search('bench', q, 10);
            ms.push(Number(process.hrtime.bigint() - t) / 1e6);
            const used = process.cpuUsage(cpu);
            cpuMs.push((used.user + used.system) / 1000);
            if (i >= QUERIES)
                continue;
            const truth = new Set(exact[i].rows.map(id));
            found += hits.filter((h) => truth.has(h.id)).length;
        }
        const embedded = { ...(0, stats_1.summarize)(ms), cpu_p50_ms: (0, stats_1.summarize)(cpuMs).p50_ms, cpu_p99_ms: (0, stats_1.summarize)(cpuMs).p99_ms, first_query_ms: (0, stats_1.round)(firstQueryMs) };
        const baseline = (0, stats_1.summarize)(exact.map((e) => e.ms));
        return {
            agents, vectors: n, dimension: DIM, data: `rank-${RANK} structure + noise, unit length`,
            embedded: { ...embedded, recall_at_10: (0, stats_1.round)(found / (QUERIES * 10), 4), index: warm.status },
            exact_scan_baseline: baseline,
            p99_ratio_exact_over_embedded: (0, stats_1.round)(baseline.p99_ms / embedded.p99_ms, 1),
            persist_to_sqlite_s: (0, stats_1.round)(persistS), cold_start_s: (0, stats_1.round)(cold.seconds), restart_with_saved_index_s: (0, stats_1.round)(warm.seconds),
        };
    }
    finally {
        await ds.destroy();
        (0, node_fs_1.rmSync)(dir, { recursive: true, force: true });
    }
}
//# sourceMappingURL=vector-latency.js.map