import { onnx } from 'onnx-proto';
import { encodeFeatureModel, initializer } from './model-files';

/** TF.js weights by name: float tensors only (its int32 tensors are shape plumbing this graph does not need). */
export type Weights = Map<string, { shape: number[]; data: Float32Array }>;

export const MAX_TOKENS = 128; // USE drops tokens past the 128th
const WIDTH = 512;
const HEADS = 4;
const LAYER_NORM_EPSILON = 1e-6;
const ENCODE = 'module_apply_default/Encoder_en/KonaTransformer/Encode/';
const { DataType } = onnx.TensorProto;
const { AttributeType } = onnx.AttributeProto;

const int = (name: string, i: number): onnx.IAttributeProto => ({ name, type: AttributeType.INT, i });
const ints = (name: string, values: number[]): onnx.IAttributeProto => ({ name, type: AttributeType.INTS, ints: values });
const float = (name: string, f: number): onnx.IAttributeProto => ({ name, type: AttributeType.FLOAT, f });

/** Nodes and constants, each node's one output named after its position. */
class Graph {
  readonly nodes: onnx.INodeProto[] = [];
  readonly initializers: onnx.ITensorProto[] = [];

  constructor(private readonly weights: Weights) {}

  op(opType: string, input: string[], attribute: onnx.IAttributeProto[] = []): string {
    const output = `${opType.toLowerCase()}_${this.nodes.length}`;
    this.nodes.push({ opType, input, output: [output], attribute });
    return output;
  }

  constant(data: Float32Array | BigInt64Array, dims = [data.length]): string {
    const name = `const_${this.initializers.length}`;
    this.initializers.push(initializer(name, dims, data));
    return name;
  }

  float(value: number): string {
    return this.constant(Float32Array.of(value), []);
  }

  ints(...values: number[]): string {
    return this.constant(BigInt64Array.from(values, BigInt));
  }

  /** A weight by its exact name, or the one whose name ends with `suffix`; 1x1 convolution kernels as matrices. */
  weight(suffix: string): string {
    const name = this.weights.has(suffix) ? suffix : [...this.weights.keys()].find((k) => k.endsWith(suffix));
    const w = name === undefined ? undefined : this.weights.get(name);
    if (!name || !w) throw new Error(`USE Lite weight ${suffix} not found (an unexpected package version?)`);
    this.initializers.push(initializer(name, w.shape.length === 4 ? w.shape.slice(2) : w.shape, w.data));
    return name;
  }

  dense(x: string, kernel: string, bias: string): string {
    return this.op('Add', [this.op('MatMul', [x, this.weight(kernel)]), this.weight(bias)]);
  }

  layerNorm(x: string, prefix: string): string {
    const norm = `${prefix}layer_prepostprocess/layer_norm/layer_norm_`;
    const params = [this.weight(`${norm}scale/ConcatPartitions/concat`), this.weight(`${norm}bias/ConcatPartitions/concat`)];
    return this.op('LayerNormalization', [x, ...params], [int('axis', -1), float('epsilon', LAYER_NORM_EPSILON)]);
  }
}

/** What every block needs: the padding mask as [B, T] and [B, T, 1], and the attention bias as [B, 1, 1, T]. */
interface Masks {
  tokens: string;
  perToken: string;
  attentionBias: string;
}

/**
 * The computation of USE Lite's TF.js graph (read off its model.json, checked against TF.js's output by
 * use-lite-model.spec.ts), on the dense padded batch transformers.js feeds rather than USE's sparse input: token
 * embeddings plus a sine/cosine timing signal, two pre-norm transformer layers (256 then 512 wide, 4 heads; the
 * first projects its residual to 512), the mean over the tokens, a tanh layer and L2 normalisation. The sentence
 * vector is written at every position of `last_hidden_state`, so the pipeline's mean pooling returns it unchanged.
 */
export function useLiteOnnx(weights: Weights): Uint8Array {
  const g = new Graph(weights);
  const { ids, masks } = inputs(g);
  const x0 = embed(g, ids, masks);
  // TF.js runs the residual projection and the feed-forward blocks on real tokens only (gathered, then scattered).
  const projection = 'Layer_0/TransformerLayer/dense/';
  const widened = g.dense(x0, `${projection}kernel/ConcatPartitions/concat`, `${projection}bias/ConcatPartitions/concat`);
  const residual0 = g.op('Mul', [widened, masks.perToken]);
  const h0 = feedForward(g, g.op('Add', [attention(g, x0, 0, 256, masks), residual0]), 0, masks);
  const h1 = feedForward(g, g.op('Add', [attention(g, h0, 1, WIDTH, masks), h0]), 1, masks);
  const sentence = pool(g, h1, masks);
  // Every position of the (unclipped) batch carries the sentence vector.
  const shape = g.op('Concat', [g.op('Shape', ['input_ids']), g.ints(WIDTH)], [int('axis', 0)]);
  g.nodes.push({ opType: 'Expand', input: [g.op('Unsqueeze', [sentence, g.ints(1)]), shape], output: ['last_hidden_state'] });

  return encodeFeatureModel({
    producer: 'ioa-use-lite',
    irVersion: 8,
    opset: 17,
    name: 'use_lite_en',
    inputs: ['input_ids', 'attention_mask'],
    width: WIDTH,
    nodes: g.nodes,
    initializers: g.initializers,
  });
}

/** Ids and mask clipped to 128 tokens; the mask is 1.0 at real tokens and 0.0 at padding. */
function inputs(g: Graph): { ids: string; masks: Masks } {
  const clip = (x: string) => g.op('Slice', [x, g.ints(0), g.ints(MAX_TOKENS), g.ints(1)]);
  const tokens = g.op('Cast', [clip('attention_mask')], [int('to', DataType.FLOAT)]);
  const ignore = g.op('Mul', [g.op('Sub', [g.float(1), tokens]), g.float(-1e9)]);
  const attentionBias = g.op('Unsqueeze', [ignore, g.ints(1, 2)]);
  return { ids: clip('input_ids'), masks: { tokens, perToken: g.op('Unsqueeze', [tokens, g.ints(2)]), attentionBias } };
}

/** TF.js adds the looked-up rows twice (once scattered, once inside the timing-signal sum), then the signal. */
function embed(g: Graph, ids: string, masks: Masks): string {
  const rows = g.op('Gather', [g.weight('module/Embeddings_en'), ids], [int('axis', 0)]);
  const length = g.op('Cast', [g.op('Gather', [g.op('Shape', [ids]), g.ints(1)], [int('axis', 0)])], [int('to', DataType.FLOAT)]);
  const positions = g.op('Range', [g.float(0), g.op('Squeeze', [length]), g.float(1)]);
  const timescales = g.weight(`${ENCODE}TransformerStack/Layer_0/AddTimingSignal/TimingSignal/ExpandDims_1`);
  const angles = g.op('Mul', [g.op('Unsqueeze', [positions, g.ints(1)]), timescales]);
  const timing = g.op('Concat', [g.op('Sin', [angles]), g.op('Cos', [angles])], [int('axis', 1)]);
  return g.op('Mul', [g.op('Add', [g.op('Add', [rows, rows]), timing]), masks.perToken]);
}

function attention(g: Graph, x: string, layer: number, width: number, masks: Masks): string {
  const at = `Layer_${layer}/TransformerLayer/MultiheadAttention/`;
  const headWidth = width / HEADS;
  const normed = g.layerNorm(x, `Layer_${layer}/TransformerLayer/`);
  const qkv = g.dense(normed, `${at}qkv_transform_single/kernel/part_0`, `${at}qkv_transform_single/bias/ConcatPartitions/concat`);
  const heads = g.ints(0, 0, HEADS, headWidth);
  const [q, k, v] = [0, 1, 2].map((i) => {
    const part = g.op('Slice', [qkv, g.ints(i * width), g.ints((i + 1) * width), g.ints(2)]);
    return g.op('Transpose', [g.op('Reshape', [part, heads])], [ints('perm', [0, 2, 1, 3])]);
  });
  const scaled = g.op('Mul', [q, g.float(1 / Math.sqrt(headWidth))]);
  const logits = g.op('Add', [g.op('MatMul', [scaled, g.op('Transpose', [k], [ints('perm', [0, 1, 3, 2])])]), masks.attentionBias]);
  const context = g.op('MatMul', [g.op('Softmax', [logits], [int('axis', -1)]), v]);
  const merged = g.op('Reshape', [g.op('Transpose', [context], [ints('perm', [0, 2, 1, 3])]), g.ints(0, 0, width)]);
  return g.dense(merged, `${at}output_transform_single/kernel/part_0`, `${at}output_transform_single/bias/ConcatPartitions/concat`);
}

function feedForward(g: Graph, x: string, layer: number, masks: Masks): string {
  const at = `Layer_${layer}/TransformerLayer/FFN/`;
  const hidden = g.op('Relu', [g.dense(g.layerNorm(x, at), `${at}conv1/Tensordot/Reshape_1`, `${at}conv1/bias/ConcatPartitions/concat`)]);
  const out = g.dense(hidden, `${at}conv2/Tensordot/Reshape_1`, `${at}conv2/bias/ConcatPartitions/concat`);
  return g.op('Add', [x, g.op('Mul', [out, masks.perToken])]);
}

/** Mean over the real tokens, tanh layer, L2 normalisation. */
function pool(g: Graph, h: string, masks: Masks): string {
  const summed = g.op('ReduceSum', [g.op('Mul', [h, masks.perToken]), g.ints(1)], [int('keepdims', 0)]);
  const count = g.op('Max', [g.op('ReduceSum', [masks.tokens, g.ints(1)], [int('keepdims', 1)]), g.float(1)]);
  const hidden = g.dense(g.op('Div', [summed, count]), 'module/Encoder_en/hidden_layers/tanh_layer_0/weights', 'module/Encoder_en/hidden_layers/tanh_layer_0/bias');
  const tanh = g.op('Tanh', [hidden]);
  const squares = g.op('ReduceSum', [g.op('Mul', [tanh, tanh]), g.ints(1)], [int('keepdims', 1)]);
  return g.op('Div', [tanh, g.op('Sqrt', [g.op('Max', [squares, g.float(1e-12)])])]);
}
