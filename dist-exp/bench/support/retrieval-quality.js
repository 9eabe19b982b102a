"use strict";
var __importDefault = (this && this.__importDefault) || function (mod) {
    return (mod && mod.__esModule) ? mod : { "default": mod };
};
Object.defineProperty(exports, "__esModule", { value: true });
exports.FixtureRetrieval = void 0;
exports.retrievalQuality = retrievalQuality;
exports.tuningQuality = tuningQuality;
const node_fs_1 = require("node:fs");
const node_os_1 = require("node:os");
const node_path_1 = require("node:path");
const agents_json_1 = __importDefault(require("../../test/fixtures/agents.json"));
const queries_json_1 = __importDefault(require("../../test/fixtures/queries.json"));
const goals_json_1 = __importDefault(require("../../test/fixtures/goals.json"));
const queries_tuning_json_1 = __importDefault(require("../../test/fixtures/queries-tuning.json"));
const stats_1 = require("./stats");
const team_quality_1 = require("./team-quality");
const test_model_1 = require("../../apps/server/src/foundation/embeddings/test-model");
const transformers_embedder_1 = require("../../apps/server/src/foundation/embeddings/transformers-embedder");
const lexical_index_1 = require("../../apps/server/src/foundation/lexical/lexical-index");
const wordnet_1 = require("../../apps/server/src/foundation/lexical/wordnet");
const agent_documents_1 = require("../../apps/server/src/interaction/agent-query/agent-documents");
const rank_fusion_1 = require("../../apps/server/src/interaction/agent-query/rank-fusion");
const word_vector_fusion_1 = require("../../apps/server/src/interaction/agent-query/word-vector-fusion");
const embeddings_module_1 = require("../../apps/server/src/foundation/embeddings/embeddings.module");
const word_vector_embedder_1 = require("../../apps/server/src/foundation/embeddings/word-vector-embedder");
/** Ranks agent names for a query: lexical, dense or both fused, exactly as the search service combines them. */
class FixtureRetrieval {
    lexical;
    embedder;
    docs;
    vectors = [];
    cards = new Map();
    constructor(lexical, embedder) {
        this.lexical = lexical;
        this.embedder = embedder;
        this.docs = agents_json_1.default.flatMap((a) => (0, agent_documents_1.agentDocuments)({ id: a.name, name: a.name, description: a.description, skills: a.skills, capabilities: a.capabilities }));
        for (const d of this.docs)
            lexical.add(d.id, d.text);
    }
    async init() {
        if (this.embedder)
            this.vectors = await this.embedder.embed(this.docs.map((d) => d.text));
        return this;
    }
    async rank(query, use) {
        const lists = {};
        if (use !== 'dense')
            lists.lexical = this.lexical.search(query, 200).map((h) => ({ owner: (0, agent_documents_1.ownerOf)(h.docId), docId: h.docId, score: h.score }));
        if (use !== 'lexical' && this.embedder) {
            const [q] = await this.embedder.embed([query]);
            lists.dense = this.docs
                .map((d, i) => ({ owner: d.owner, docId: d.id, score: dot(q, this.vectors[i]) }))
                .sort((x, y) => y.score - x.score)
                .slice(0, 200);
        }
        const fused = use === 'fused' && this.embedder?.fusion === 'score'
            ? await (0, word_vector_fusion_1.fuseWithWordVectors)(query, lists.lexical, lists.dense, (owner) => this.cardText(owner), this.embedder)
            : (0, rank_fusion_1.fuseByRank)(lists);
        return fused.map((r) => r.owner);
    }
    cardText(owner) {
        let text = this.cards.get(owner);
        if (text === undefined)
            this.cards.set(owner, (text = this.docs.filter((d) => d.owner === owner).map((d) => d.text).join('. ')));
        return text;
    }
    async evaluate(split, use) {
        let top1 = 0;
        let top5 = 0;
        for (const q of split) {
            const rank = (await this.rank(q.query, use)).indexOf(q.expected);
            if (rank === 0)
                top1++;
            if (rank >= 0 && rank < 5)
                top5++;
        }
        return { top1: round(top1 / split.length), top5: round(top5 / split.length) };
    }
}
exports.FixtureRetrieval = FixtureRetrieval;
/** Top-1/Top-5 on the frozen test split: lexical alone, and with the generated test model (dense and fused). */
async function retrievalQuality() {
    const dir = (0, node_fs_1.mkdtempSync)((0, node_path_1.join)((0, node_os_1.tmpdir)(), 'ioa-bench-model-'));
    try {
        const expander = wordnet_1.WordNetExpander.fromPackage({ cacheDir: (0, node_path_1.join)(dir, 'cache') });
        const lexicalOnly = await new FixtureRetrieval(new lexical_index_1.LexicalIndex({ expander }), null).init();
        const plain = await new FixtureRetrieval(new lexical_index_1.LexicalIndex({}), null).init();
        const model = await (0, test_model_1.writeTestModel)((0, node_path_1.join)(dir, 'model'));
        const embedder = await transformers_embedder_1.TransformersEmbedder.load({ model, modelsDir: dir, allowRemote: false });
        const withModel = await new FixtureRetrieval(new lexical_index_1.LexicalIndex({ expander }), embedder).init();
        const vectors = await word_vector_embedder_1.WordVectorEmbedder.load({ cacheDir: (0, embeddings_module_1.shippedWordVectors)(__dirname) });
        const withVectors = await new FixtureRetrieval(new lexical_index_1.LexicalIndex({ expander }), vectors).init();
        return {
            split: `test (${queries_json_1.default.test.length} queries, ${agents_json_1.default.length} agents; frozen, never tuned on)`,
            bm25_plain: await plain.evaluate(queries_json_1.default.test, 'lexical'),
            lexical: await lexicalOnly.evaluate(queries_json_1.default.test, 'lexical'),
            teams: {
                split: `test (${goals_json_1.default.test.length} goals with 2-4 needs; frozen, never tuned on)`,
                lexical: await (0, team_quality_1.teamQuality)(lexicalOnly, 'lexical'),
                word_vectors_fused: await (0, team_quality_1.teamQuality)(withVectors, 'fused'),
            },
            word_vectors_dense: await withVectors.evaluate(queries_json_1.default.test, 'dense'),
            word_vectors_fused: await withVectors.evaluate(queries_json_1.default.test, 'fused'),
            test_model_dense: await withModel.evaluate(queries_json_1.default.test, 'dense'),
            test_model_fused: await withModel.evaluate(queries_json_1.default.test, 'fused'),
            tuned_on: await tunedOn(lexicalOnly, withVectors),
            latency_ms: { lexical: await latency(lexicalOnly, 'lexical'), word_vectors_fused: await latency(withVectors, 'fused') },
            note: 'the test model is a generated random-weight stand-in for the real one (no model hub is reachable here); its dense numbers show the pipeline works, not the quality of all-MiniLM-L6-v2',
        };
    }
    finally {
        (0, node_fs_1.rmSync)(dir, { recursive: true, force: true });
    }
}
/**
 * Only the dev-data measures and the search-path latency, never the test split: what to look at while tuning, so
 * that test is measured once, for the configuration chosen here (`BENCH_SEARCH=dev`).
 */
async function tuningQuality() {
    const dir = (0, node_fs_1.mkdtempSync)((0, node_path_1.join)((0, node_os_1.tmpdir)(), 'ioa-bench-tuning-'));
    try {
        const expander = wordnet_1.WordNetExpander.fromPackage({ cacheDir: (0, node_path_1.join)(dir, 'cache') });
        const lexicalOnly = await new FixtureRetrieval(new lexical_index_1.LexicalIndex({ expander }), null).init();
        const vectors = await word_vector_embedder_1.WordVectorEmbedder.load({ cacheDir: (0, embeddings_module_1.shippedWordVectors)(__dirname) });
        const withVectors = await new FixtureRetrieval(new lexical_index_1.LexicalIndex({ expander }), vectors).init();
        return {
            tuned_on: await tunedOn(lexicalOnly, withVectors),
            latency_ms: { lexical: await latency(lexicalOnly, 'lexical'), word_vectors_fused: await latency(withVectors, 'fused') },
        };
    }
    finally {
        (0, node_fs_1.rmSync)(dir, { recursive: true, force: true });
    }
}
/** The same measures on what the settings were chosen on: the dev split, the dev goals' needs and the tuning set. */
async function tunedOn(lexical, fused) {
    const needs = goals_json_1.default.dev.flatMap((g) => g.needs.map((query, i) => ({ query, expected: g.expected_team[i] })));
    const splits = { dev: queries_json_1.default.dev, dev_goal_needs: needs, tuning_set: queries_tuning_json_1.default.queries };
    const out = { note: 'dev data: settings were chosen on these, so they overstate quality; test is the result' };
    const all = [];
    for (const [name, split] of Object.entries(splits)) {
        out[name] = { queries: split.length, lexical: await lexical.evaluate(split, 'lexical'), word_vectors_fused: await fused.evaluate(split, 'fused') };
        all.push(...split);
    }
    out.all = { queries: all.length, lexical: await lexical.evaluate(all, 'lexical'), word_vectors_fused: await fused.evaluate(all, 'fused') };
    return out;
}
/** Per-query time of ranking the fixture registry (after a warm-up), as the search service would rank it. */
async function latency(retrieval, use) {
    const texts = queries_tuning_json_1.default.queries.map((q) => q.query);
    for (const q of texts.slice(0, 20))
        await retrieval.rank(q, use);
    const times = [];
    for (const q of texts) {
        const started = process.hrtime.bigint();
        await retrieval.rank(q, use);
        times.push(Number(process.hrtime.bigint() - started) / 1e6);
    }
    return (0, stats_1.summarize)(times);
}
function dot(a, b) {
    let s = 0;
    for (let i = 0; i < a.length; i++)
        s += a[i] * b[i];
    return s;
}
const round = (x) => Math.round(x * 1000) / 1000;
//# sourceMappingURL=retrieval-quality.js.map