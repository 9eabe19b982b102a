"use strict";
var __decorate = (this && this.__decorate) || function (decorators, target, key, desc) {
    var c = arguments.length, r = c < 3 ? target : desc === null ? desc = Object.getOwnPropertyDescriptor(target, key) : desc, d;
    if (typeof Reflect === "object" && typeof Reflect.decorate === "function") r = Reflect.decorate(decorators, target, key, desc);
    else for (var i = decorators.length - 1; i >= 0; i--) if (d = decorators[i]) r = (c < 3 ? d(r) : c > 3 ? d(target, key, r) : d(target, key)) || r;
    return c > 3 && r && Object.defineProperty(target, key, r), r;
};
Object.defineProperty(exports, "__esModule", { value: true });
exports.EmbeddingsModule = exports.EMBEDDING_STATE = void 0;
exports.loadEmbedding = loadEmbedding;
exports.shippedWordVectors = shippedWordVectors;
const common_1 = require("@nestjs/common");
const config_service_1 = require("../config/config.service");
const embedder_port_1 = require("./embedder.port");
const node_fs_1 = require("node:fs");
const node_path_1 = require("node:path");
const transformers_embedder_1 = require("./transformers-embedder");
const word_vector_embedder_1 = require("./word-vector-embedder");
/**
 * Decides once at start-up: `none` → lexical only; a named model must load (downloading when online) or start-up
 * fails; the default model is used only if already in the data dir, so start-up never waits on a download.
 */
async function loadEmbedding(config, logger = new common_1.Logger('embeddings')) {
    const { model, explicit } = config.values.embedding;
    const { modelsDir } = config.values;
    if (model === 'none')
        return lexicalOnly(logger, 'IOA_EMBEDDING_MODEL=none');
    if (!explicit && !(await (0, transformers_embedder_1.modelIsPresent)(model, modelsDir))) {
        return wordVectors(logger, `default model ${model} is not in ${modelsDir} (run: npm run model:pull)`);
    }
    const embedder = await transformers_embedder_1.TransformersEmbedder.load({ model, modelsDir, allowRemote: explicit });
    logger.log(`embedding model ${embedder.modelId} loaded (dimension ${embedder.dimension})`);
    return { embedder, reason: null };
}
/** The shipped word vectors (apps/server/assets/word-vectors), found from the source tree or the build. */
function shippedWordVectors(from = __dirname) {
    for (let dir = from; dir !== (0, node_path_1.dirname)(dir); dir = (0, node_path_1.dirname)(dir)) {
        const candidate = (0, node_path_1.join)(dir, 'apps/server/assets/word-vectors');
        if ((0, node_fs_1.existsSync)((0, node_path_1.join)(candidate, word_vector_embedder_1.WORD_VECTOR_FILE)))
            return candidate;
    }
    return null;
}
async function wordVectors(logger, reason) {
    const dir = shippedWordVectors();
    if (!dir)
        return lexicalOnly(logger, `${reason}; shipped word vectors not found`);
    const embedder = await word_vector_embedder_1.WordVectorEmbedder.load({ cacheDir: dir });
    logger.warn(`no sentence model: ${reason}; searching with word vectors (${embedder.modelId}) and lexical`);
    return { embedder, reason };
}
function lexicalOnly(logger, reason) {
    logger.warn(`search is lexical only: ${reason}`);
    return { embedder: null, reason };
}
exports.EMBEDDING_STATE = Symbol('EMBEDDING_STATE');
let EmbeddingsModule = class EmbeddingsModule {
};
exports.EmbeddingsModule = EmbeddingsModule;
exports.EmbeddingsModule = EmbeddingsModule = __decorate([
    (0, common_1.Global)(),
    (0, common_1.Module)({
        providers: [
            { provide: exports.EMBEDDING_STATE, inject: [config_service_1.ConfigService], useFactory: (c) => loadEmbedding(c) },
            { provide: embedder_port_1.EMBEDDER, inject: [exports.EMBEDDING_STATE], useFactory: (s) => s.embedder },
        ],
        exports: [exports.EMBEDDING_STATE, embedder_port_1.EMBEDDER],
    })
], EmbeddingsModule);
//# sourceMappingURL=embeddings.module.js.map