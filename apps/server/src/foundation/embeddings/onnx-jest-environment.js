// Jest's node environment, but with the typed-array constructors of Node's main realm. onnxruntime-node builds its
// output tensors from typed arrays made natively in the main realm, while onnxruntime-common, loaded inside Jest's
// sandbox, checks them with `instanceof` against the sandbox's own constructors and throws ("A float32 tensor's data
// must be type of function Float32Array()"). Any spec that runs an ONNX model needs this environment.
const { TestEnvironment } = require('jest-environment-node');

const TYPED_ARRAYS = [
  'Float32Array', 'Float64Array', 'Int8Array', 'Int16Array', 'Int32Array', 'BigInt64Array',
  'Uint8Array', 'Uint8ClampedArray', 'Uint16Array', 'Uint32Array', 'BigUint64Array',
];

class OnnxEnvironment extends TestEnvironment {
  constructor(config, context) {
    super(config, context);
    for (const name of TYPED_ARRAYS) this.global[name] = globalThis[name];
  }
}

module.exports = OnnxEnvironment;
