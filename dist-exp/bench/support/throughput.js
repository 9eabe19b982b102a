"use strict";
var __importDefault = (this && this.__importDefault) || function (mod) {
    return (mod && mod.__esModule) ? mod : { "default": mod };
};
Object.defineProperty(exports, "__esModule", { value: true });
exports.throughput = throughput;
const node_fs_1 = require("node:fs");
const node_os_1 = require("node:os");
const node_path_1 = require("node:path");
const agents_json_1 = __importDefault(require("../../test/fixtures/agents.json"));
const embeddings_module_1 = require("../../apps/server/src/foundation/embeddings/embeddings.module");
const test_model_1 = require("../../apps/server/src/foundation/embeddings/test-model");
const transformers_embedder_1 = require("../../apps/server/src/foundation/embeddings/transformers-embedder");
const word_vector_embedder_1 = require("../../apps/server/src/foundation/embeddings/word-vector-embedder");
const lexical_index_1 = require("../../apps/server/src/foundation/lexical/lexical-index");
const wordnet_1 = require("../../apps/server/src/foundation/lexical/wordnet");
const agent_documents_1 = require("../../apps/server/src/interaction/agent-query/agent-documents");
const stats_1 = require("./stats");
const TEXTS = 2000;
/** Agent documents of the fixtures, repeated with an index, as the texts to embed and index. */
function texts(n) {
    const docs = agents_json_1.default.flatMap((a) => (0, agent_documents_1.agentDocuments)({ id: a.name, name: a.name, description: a.description, skills: a.skills, capabilities: a.capabilities }));
    return Array.from({ length: n }, (_, i) => `${docs[i % docs.length].text} (${i})`);
}
async function rate(embedder, batch, input) {
    const started = process.hrtime.bigint();
    if (batch)
        await embedder.embed(input);
    else
        for (const t of input)
            await embedder.embed([t]);
    return (0, stats_1.round)(input.length / (Number(process.hrtime.bigint() - started) / 1e9));
}
/** Texts per second, one at a time (the baseline) and batched, for each embedder; documents per second into the lexical index. */
async function throughput() {
    const dir = (0, node_fs_1.mkdtempSync)((0, node_path_1.join)((0, node_os_1.tmpdir)(), 'ioa-bench-throughput-'));
    try {
        const input = texts(TEXTS);
        const model = await transformers_embedder_1.TransformersEmbedder.load({ model: await (0, test_model_1.writeTestModel)((0, node_path_1.join)(dir, 'model')), modelsDir: dir, allowRemote: false });
        const vectors = await word_vector_embedder_1.WordVectorEmbedder.load({ cacheDir: (0, embeddings_module_1.shippedWordVectors)(__dirname) });
        const out = { texts: TEXTS };
        for (const [name, e] of [['test_model', model], ['word_vectors', vectors]]) {
            await e.embed(input.slice(0, 50)); // warm-up
            const single = await rate(e, false, input);
            const batched = await rate(e, true, input);
            out[name] = { single_per_s: single, batched_per_s: batched, batch_speedup: (0, stats_1.round)(batched / single) };
        }
        const expander = wordnet_1.WordNetExpander.fromPackage({ cacheDir: (0, node_path_1.join)(dir, 'cache') });
        for (const [name, index] of [['lexical_plain', new lexical_index_1.LexicalIndex({})], ['lexical_wordnet', new lexical_index_1.LexicalIndex({ expander })]]) {
            const started = process.hrtime.bigint();
            input.forEach((t, i) => index.add(`d${i}`, t));
            out[`${name}_docs_per_s`] = (0, stats_1.round)(TEXTS / (Number(process.hrtime.bigint() - started) / 1e9));
        }
        return out;
    }
    finally {
        (0, node_fs_1.rmSync)(dir, { recursive: true, force: true });
    }
}
//# sourceMappingURL=throughput.js.map