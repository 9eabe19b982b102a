import { writeFile } from 'node:fs/promises';
import { onnx } from 'onnx-proto';

// What the model folders this project writes (the test model, USE Lite) share: their ONNX file and JSON files.

/** A constant tensor of the graph (float32 or int64). */
export function initializer(name: string, dims: number[], data: Float32Array | BigInt64Array): onnx.ITensorProto {
  const dataType = data instanceof Float32Array ? onnx.TensorProto.DataType.FLOAT : onnx.TensorProto.DataType.INT64;
  // raw_data is little-endian by the ONNX spec, as typed arrays are on every platform Node runs on here.
  return { name, dims, dataType, rawData: new Uint8Array(data.buffer, data.byteOffset, data.byteLength) };
}

export interface FeatureModel {
  producer: string;
  irVersion: number;
  opset: number;
  name: string;
  /** BERT input names the graph declares (int64 [batch_size, sequence_length]). */
  inputs: string[];
  /** Width of `last_hidden_state` [batch_size, sequence_length, width], what the feature-extraction pipeline pools. */
  width: number;
  nodes: onnx.INodeProto[];
  initializers: onnx.ITensorProto[];
}

/** The ONNX bytes of a model shaped as transformers.js's feature-extraction pipeline expects a BERT encoder. */
export function encodeFeatureModel(m: FeatureModel): Uint8Array {
  const { DataType } = onnx.TensorProto;
  const model = onnx.ModelProto.create({
    irVersion: m.irVersion,
    producerName: m.producer,
    opsetImport: [{ domain: '', version: m.opset }],
    graph: {
      name: m.name,
      node: m.nodes,
      initializer: m.initializers,
      input: m.inputs.map((name) => valueInfo(name, DataType.INT64, ['batch_size', 'sequence_length'])),
      output: [valueInfo('last_hidden_state', DataType.FLOAT, ['batch_size', 'sequence_length', m.width])],
    },
  });
  return onnx.ModelProto.encode(model).finish();
}

export async function writeJson(path: string, value: object, indent?: number): Promise<void> {
  await writeFile(path, `${JSON.stringify(value, null, indent)}\n`);
}

function valueInfo(name: string, elemType: number, dims: (string | number)[]): onnx.IValueInfoProto {
  return { name, type: { tensorType: { elemType, shape: { dim: dims.map((d) => (typeof d === 'string' ? { dimParam: d } : { dimValue: d })) } } } };
}
