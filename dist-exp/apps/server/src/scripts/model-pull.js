"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
const node_path_1 = require("node:path");
const config_1 = require("../foundation/config/config");
const transformers_embedder_1 = require("../foundation/embeddings/transformers-embedder");
/**
 * `npm run model:pull`: downloads the configured embedding model into <data dir>/models ahead of time, so the
 * server finds it on disk at start-up. Reads its two variables directly: it needs none of the server's other checks.
 */
async function main() {
    const model = process.env.IOA_EMBEDDING_MODEL || config_1.DEFAULT_EMBEDDING_MODEL;
    if (model === 'none') {
        console.log('IOA_EMBEDDING_MODEL=none: no model to pull');
        return;
    }
    const modelsDir = (0, node_path_1.join)((0, node_path_1.resolve)(process.env.IOA_DATA_DIR || './data'), 'models');
    const embedder = await transformers_embedder_1.TransformersEmbedder.load({ model, modelsDir, allowRemote: true });
    try {
        console.log(`${model}: dimension ${embedder.dimension}, stored in ${(0, transformers_embedder_1.modelDirectory)(model, modelsDir)}`);
    }
    finally {
        await embedder.dispose();
    }
}
main().catch((e) => {
    console.error(`model:pull failed: ${e.message}`);
    process.exit(1);
});
//# sourceMappingURL=model-pull.js.map