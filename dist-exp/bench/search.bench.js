"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.run = run;
const node_fs_1 = require("node:fs");
const node_path_1 = require("node:path");
const registration_1 = require("./support/registration");
const retrieval_quality_1 = require("./support/retrieval-quality");
const throughput_1 = require("./support/throughput");
const vector_latency_1 = require("./support/vector-latency");
/** BENCH_AGENTS (default 100000) sets the registry size of the registration run. */
const AGENTS = Number(process.env.BENCH_AGENTS ?? 100_000);
/**
 * Registry sizes for vector search latency (5 vectors of 384 dims per agent). 100000 is left out by default: building
 * its HNSW graph takes 11 to 30 minutes on 2 cores; run it with BENCH_VECTOR_AGENTS=1000,10000,100000.
 */
const VECTOR_AGENTS = (process.env.BENCH_VECTOR_AGENTS ?? '1000,10000').split(',').map(Number);
/**
 * BENCH_SEARCH=quality re-measures only retrieval quality and search-path latency (seconds instead of many minutes),
 * keeping the other sections of the last full run's results file and saying so. BENCH_SEARCH=dev prints only the
 * dev-data quality and latency, for tuning without looking at the test split, and leaves the results as they were.
 */
const ONLY_QUALITY = process.env.BENCH_SEARCH === 'quality';
const ONLY_DEV = process.env.BENCH_SEARCH === 'dev';
/** Agent search: retrieval quality on the frozen fixtures, registration throughput and RSS at scale. */
async function run() {
    if (ONLY_DEV) {
        console.log(JSON.stringify(await (0, retrieval_quality_1.tuningQuality)(), null, 2));
        return { ...previous(), name: 'search' };
    }
    if (ONLY_QUALITY)
        return { ...previous(), name: 'search', quality: await (0, retrieval_quality_1.retrievalQuality)(), partial: `quality only; other sections from the full run at ${previous().at ?? 'none'}` };
    const vectors = [];
    for (const agents of VECTOR_AGENTS)
        vectors.push(await (0, vector_latency_1.vectorLatency)(agents));
    return { name: 'search', quality: await (0, retrieval_quality_1.retrievalQuality)(), throughput: await (0, throughput_1.throughput)(), vector_search: vectors, registration: await (0, registration_1.registration)(AGENTS) };
}
function previous() {
    try {
        return JSON.parse((0, node_fs_1.readFileSync)((0, node_path_1.join)(__dirname, '../../bench/results/search.json'), 'utf8'));
    }
    catch {
        return {};
    }
}
//# sourceMappingURL=search.bench.js.map