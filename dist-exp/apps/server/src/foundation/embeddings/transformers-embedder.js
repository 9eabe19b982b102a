"use strict";
var __createBinding = (this && this.__createBinding) || (Object.create ? (function(o, m, k, k2) {
    if (k2 === undefined) k2 = k;
    var desc = Object.getOwnPropertyDescriptor(m, k);
    if (!desc || ("get" in desc ? !m.__esModule : desc.writable || desc.configurable)) {
      desc = { enumerable: true, get: function() { return m[k]; } };
    }
    Object.defineProperty(o, k2, desc);
}) : (function(o, m, k, k2) {
    if (k2 === undefined) k2 = k;
    o[k2] = m[k];
}));
var __setModuleDefault = (this && this.__setModuleDefault) || (Object.create ? (function(o, v) {
    Object.defineProperty(o, "default", { enumerable: true, value: v });
}) : function(o, v) {
    o["default"] = v;
});
var __importStar = (this && this.__importStar) || (function () {
    var ownKeys = function(o) {
        ownKeys = Object.getOwnPropertyNames || function (o) {
            var ar = [];
            for (var k in o) if (Object.prototype.hasOwnProperty.call(o, k)) ar[ar.length] = k;
            return ar;
        };
        return ownKeys(o);
    };
    return function (mod) {
        if (mod && mod.__esModule) return mod;
        var result = {};
        if (mod != null) for (var k = ownKeys(mod), i = 0; i < k.length; i++) if (k[i] !== "default") __createBinding(result, mod, k[i]);
        __setModuleDefault(result, mod);
        return result;
    };
})();
Object.defineProperty(exports, "__esModule", { value: true });
exports.TransformersEmbedder = exports.MODEL_FILES = void 0;
exports.isModelPath = isModelPath;
exports.modelDirectory = modelDirectory;
exports.modelIsPresent = modelIsPresent;
const promises_1 = require("node:fs/promises");
const node_path_1 = require("node:path");
/** What a feature-extraction load reads at the settings used here (fp32 on the CPU; quantised variants are not). */
exports.MODEL_FILES = ['config.json', 'tokenizer.json', 'tokenizer_config.json', 'onnx/model.onnx'];
const DEFAULT_BATCH_SIZE = 32;
// A Hugging Face id is "name" or "owner/name"; anything else (or anything starting like a path) is a folder.
const MODEL_ID = /^[\w.-]+(\/[\w.-]+)?$/;
/** `./x/y`, `../x`, `/abs/x` and `a/b/c` are folders; `owner/name` is an id looked up under the models dir. */
function isModelPath(model) {
    return (0, node_path_1.isAbsolute)(model) || model === '.' || model.startsWith('./') || model.startsWith('../') || !MODEL_ID.test(model);
}
/** The folder a model's files live in (or will be downloaded to): transformers.js's `localModelPath/<id>` layout. */
function modelDirectory(model, modelsDir) {
    return isModelPath(model) ? (0, node_path_1.resolve)(model) : (0, node_path_1.join)((0, node_path_1.resolve)(modelsDir), model);
}
/** Cheap check that a model is on disk, so start-up can choose it without waiting on a download. */
async function modelIsPresent(model, modelsDir) {
    const dir = modelDirectory(model, modelsDir);
    const found = await Promise.all(exports.MODEL_FILES.map((file) => (0, promises_1.access)((0, node_path_1.join)(dir, file)).then(() => true, () => false)));
    return found.every(Boolean);
}
// transformers.js keeps its settings in one process-wide `env`, read while files load; loads take turns so two
// embedders with different models dirs cannot see each other's settings.
let loadQueue = Promise.resolve();
/** Sentence embeddings from a local ONNX model through transformers.js (onnxruntime-node on the CPU). */
class TransformersEmbedder {
    modelId;
    dimension;
    extractor;
    batchSize;
    fusion = 'rank';
    constructor(modelId, dimension, extractor, batchSize) {
        this.modelId = modelId;
        this.dimension = dimension;
        this.extractor = extractor;
        this.batchSize = batchSize;
    }
    /** Loads the model (downloading into `modelsDir` first when `allowRemote` and it is missing) and probes its width. */
    static load(opts) {
        const next = loadQueue.then(() => TransformersEmbedder.loadNow(opts));
        loadQueue = next.catch(() => undefined);
        return next;
    }
    static async loadNow(opts) {
        const batchSize = opts.batchSize ?? DEFAULT_BATCH_SIZE;
        if (!Number.isInteger(batchSize) || batchSize < 1)
            throw new Error(`embedding batch size must be a positive integer (got ${batchSize})`);
        const modelsDir = (0, node_path_1.resolve)(opts.modelsDir);
        const asPath = isModelPath(opts.model);
        const dir = modelDirectory(opts.model, modelsDir);
        const remote = opts.allowRemote && !asPath; // a folder given by path is never downloaded
        // Imported lazily: the runtime is heavy and a server running without a model never needs it.
        const { env, LogLevel, pipeline } = await Promise.resolve().then(() => __importStar(require('@huggingface/transformers')));
        env.allowLocalModels = true;
        env.localModelPath = modelsDir;
        env.cacheDir = modelsDir; // downloads land as <modelsDir>/<id>/..., where the next start finds them locally
        env.allowRemoteModels = remote;
        env.logLevel = LogLevel.ERROR; // its per-file "not found locally" warnings would repeat what our error says
        let extractor;
        try {
            extractor = await pipeline('feature-extraction', asPath ? dir : opts.model, { dtype: 'fp32', device: 'cpu' });
        }
        catch (err) {
            const how = remote ? 'nor downloaded' : 'and downloading is off';
            throw new Error(`embedding model "${opts.model}" could not be loaded from ${dir} ${how}: ${describe(err)}`, { cause: err });
        }
        const [probe] = await runBatch(extractor, ['dimension probe']);
        return new TransformersEmbedder(opts.model, probe.length, extractor, batchSize);
    }
    async embed(texts) {
        const vectors = [];
        for (let start = 0; start < texts.length; start += this.batchSize) {
            vectors.push(...(await runBatch(this.extractor, texts.slice(start, start + this.batchSize))));
        }
        return vectors;
    }
    /** Releases the ONNX session (native memory, open file handles). */
    async dispose() {
        await this.extractor.dispose();
    }
}
exports.TransformersEmbedder = TransformersEmbedder;
async function runBatch(extractor, texts) {
    const output = await extractor(texts, { pooling: 'mean', normalize: true });
    const [rows, width] = output.dims;
    const data = output.data;
    return Array.from({ length: rows }, (_, row) => data.slice(row * width, (row + 1) * width));
}
/** One line: fetch's own message ("fetch failed") is useless without its causes (ENOTFOUND host, ...). */
function describe(err) {
    const parts = [];
    for (let e = err; e !== undefined && parts.length < 3; e = e instanceof Error ? e.cause : undefined) {
        parts.push((e instanceof Error ? e.message : String(e)).split('\n')[0]);
    }
    return parts.join(': ');
}
//# sourceMappingURL=transformers-embedder.js.map