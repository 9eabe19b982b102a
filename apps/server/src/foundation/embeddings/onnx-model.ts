import { onnx } from 'onnx-proto';

/** An input or output of an ONNX graph; string dimensions are named (dynamic), numbers fixed. */
export function valueInfo(name: string, elemType: number, dims: (string | number)[]): onnx.IValueInfoProto {
  return { name, type: { tensorType: { elemType, shape: { dim: dims.map((d) => (typeof d === 'string' ? { dimParam: d } : { dimValue: d })) } } } };
}

/** A constant tensor of the graph (float32 or int64). */
export function initializer(name: string, dims: number[], data: Float32Array | BigInt64Array): onnx.ITensorProto {
  const dataType = data instanceof Float32Array ? onnx.TensorProto.DataType.FLOAT : onnx.TensorProto.DataType.INT64;
  // raw_data is little-endian by the ONNX spec, as typed arrays are on every platform Node runs on here.
  return { name, dims, dataType, rawData: new Uint8Array(data.buffer, data.byteOffset, data.byteLength) };
}
