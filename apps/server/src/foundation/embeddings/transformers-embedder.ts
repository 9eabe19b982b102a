import { access } from 'node:fs/promises';
import { isAbsolute, join, resolve } from 'node:path';
import type { FeatureExtractionPipeline } from '@huggingface/transformers';
import type { Embedder, EmbedderLoadOptions } from './embedder.port';

/** What a feature-extraction load reads at the settings used here (fp32 on the CPU; quantised variants are not). */
export const MODEL_FILES = ['config.json', 'tokenizer.json', 'tokenizer_config.json', 'onnx/model.onnx'] as const;

const DEFAULT_BATCH_SIZE = 32;
// Models read at most 512 tokens (USE Lite 128), a few characters each, but the tokenizer reads the whole text first
// (~3.6 µs a character, on the event loop); a 40k-character card would block it for 140 ms.
const MAX_TEXT_CHARS = 4096;
// A Hugging Face id is "name" or "owner/name"; anything else (or anything starting like a path) is a folder.
const MODEL_ID = /^[\w.-]+(\/[\w.-]+)?$/;

/** `./x/y`, `../x`, `/abs/x` and `a/b/c` are folders; `owner/name` is an id looked up under the models dir. */
export function isModelPath(model: string): boolean {
  return isAbsolute(model) || model === '.' || model.startsWith('./') || model.startsWith('../') || !MODEL_ID.test(model);
}

/** The folder a model's files live in (or will be downloaded to): transformers.js's `localModelPath/<id>` layout. */
export function modelDirectory(model: string, modelsDir: string): string {
  return isModelPath(model) ? resolve(model) : join(resolve(modelsDir), model);
}

/** Cheap check that a model is on disk, so start-up can choose it without waiting on a download. */
export async function modelIsPresent(model: string, modelsDir: string): Promise<boolean> {
  const dir = modelDirectory(model, modelsDir);
  const found = await Promise.all(MODEL_FILES.map((file) => access(join(dir, file)).then(() => true, () => false)));
  return found.every(Boolean);
}

// transformers.js keeps its settings in one process-wide `env`, read while files load; loads take turns so two
// embedders with different models dirs cannot see each other's settings.
let loadQueue: Promise<unknown> = Promise.resolve();

/** Sentence embeddings from a local ONNX model through transformers.js (onnxruntime-node on the CPU). */
export class TransformersEmbedder implements Embedder {
  readonly fusion = 'rank' as const;
  private constructor(
    readonly modelId: string,
    readonly dimension: number,
    private readonly extractor: FeatureExtractionPipeline,
    private readonly batchSize: number,
  ) {}

  /** Loads the model (downloading into `modelsDir` first when `allowRemote` and it is missing) and probes its width. */
  static load(opts: EmbedderLoadOptions): Promise<TransformersEmbedder> {
    const next = loadQueue.then(() => TransformersEmbedder.loadNow(opts));
    loadQueue = next.catch(() => undefined);
    return next;
  }

  private static async loadNow(opts: EmbedderLoadOptions): Promise<TransformersEmbedder> {
    const batchSize = opts.batchSize ?? DEFAULT_BATCH_SIZE;
    if (!Number.isInteger(batchSize) || batchSize < 1) throw new Error(`embedding batch size must be a positive integer (got ${batchSize})`);
    const modelsDir = resolve(opts.modelsDir);
    const asPath = isModelPath(opts.model);
    const dir = modelDirectory(opts.model, modelsDir);
    const remote = opts.allowRemote && !asPath; // a folder given by path is never downloaded

    // Imported lazily: the runtime is heavy and a server running without a model never needs it.
    const { env, LogLevel, pipeline } = await import('@huggingface/transformers');
    env.allowLocalModels = true;
    env.localModelPath = modelsDir;
    env.cacheDir = modelsDir; // downloads land as <modelsDir>/<id>/..., where the next start finds them locally
    env.allowRemoteModels = remote;
    env.logLevel = LogLevel.ERROR; // its per-file "not found locally" warnings would repeat what our error says

    let extractor: FeatureExtractionPipeline;
    try {
      extractor = await pipeline('feature-extraction', asPath ? dir : opts.model, { dtype: 'fp32', device: 'cpu' });
    } catch (err) {
      const how = remote ? 'nor downloaded' : 'and downloading is off';
      throw new Error(`embedding model "${opts.model}" could not be loaded from ${dir} ${how}: ${describe(err)}`, { cause: err });
    }
    const [probe] = await runBatch(extractor, ['dimension probe']);
    return new TransformersEmbedder(opts.model, probe.length, extractor, batchSize);
  }

  /** Batches texts of similar length together: a batch is padded to its longest text, and padding costs as much. */
  async embed(texts: string[]): Promise<Float32Array[]> {
    const order = texts.map((_, i) => i).sort((a, b) => texts[a].length - texts[b].length);
    const vectors = new Array<Float32Array>(texts.length);
    for (let start = 0; start < order.length; start += this.batchSize) {
      const batch = order.slice(start, start + this.batchSize);
      (await runBatch(this.extractor, batch.map((i) => texts[i].slice(0, MAX_TEXT_CHARS)))).forEach((v, j) => (vectors[batch[j]] = v));
    }
    return vectors;
  }

  /** Releases the ONNX session (native memory, open file handles). */
  async dispose(): Promise<void> {
    await this.extractor.dispose();
  }
}

async function runBatch(extractor: FeatureExtractionPipeline, texts: string[]): Promise<Float32Array[]> {
  const output = await extractor(texts, { pooling: 'mean', normalize: true });
  const [rows, width] = output.dims;
  const data = output.data as Float32Array;
  return Array.from({ length: rows }, (_, row) => {
    const vector = data.slice(row * width, (row + 1) * width);
    // A text with no tokens at all (possible only for models without [CLS]/[SEP], such as USE Lite on "") pools 0/0.
    return Number.isNaN(vector[0]) ? vector.fill(0) : vector;
  });
}

/** One line: fetch's own message ("fetch failed") is useless without its causes (ENOTFOUND host, ...). */
function describe(err: unknown): string {
  const parts: string[] = [];
  for (let e: unknown = err; e !== undefined && parts.length < 3; e = e instanceof Error ? e.cause : undefined) {
    parts.push((e instanceof Error ? e.message : String(e)).split('\n')[0]);
  }
  return parts.join(': ');
}
