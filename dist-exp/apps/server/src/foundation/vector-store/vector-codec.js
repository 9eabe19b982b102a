"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.encodeVector = encodeVector;
exports.decodeVector = decodeVector;
exports.normalized = normalized;
exports.toInt8 = toInt8;
exports.fingerprint = fingerprint;
/** Vectors travel through the database as base64 of their float32 bytes (see `VectorEntity.vector`). */
function encodeVector(vector) {
    return Buffer.from(vector.buffer, vector.byteOffset, vector.byteLength).toString('base64');
}
function decodeVector(text) {
    const bytes = Buffer.from(text, 'base64');
    if (bytes.byteLength % 4 !== 0)
        throw new Error(`stored vector has ${bytes.byteLength} bytes, not a multiple of 4`);
    // Copy: a Buffer may sit at an offset of Node's shared pool that is not 4-byte aligned.
    const out = new Float32Array(bytes.byteLength / 4);
    new Uint8Array(out.buffer).set(bytes);
    return out;
}
/** Unit length (a zero vector stays zero), so that cosine similarity is a plain dot product. */
function normalized(vector) {
    let sum = 0;
    for (let i = 0; i < vector.length; i++)
        sum += vector[i] * vector[i];
    const out = new Float32Array(vector.length);
    if (sum === 0 || !Number.isFinite(sum))
        return out;
    const scale = 1 / Math.sqrt(sum);
    for (let i = 0; i < vector.length; i++)
        out[i] = vector[i] * scale;
    return out;
}
/**
 * int8 codes for the HNSW graph. Each vector is scaled so that its largest component maps to ±127: the graph uses
 * cosine distance, which ignores the per-vector scale, so every vector gets the full int8 resolution (a plain ×127
 * cast would leave a normalised 384-d vector only a dozen levels).
 */
function toInt8(vector, out, offset = 0) {
    let max = 0;
    for (let i = 0; i < vector.length; i++)
        max = Math.max(max, Math.abs(vector[i]));
    const scale = max === 0 ? 0 : 127 / max;
    for (let i = 0; i < vector.length; i++)
        out[offset + i] = Math.round(vector[i] * scale);
}
/** A 64-bit fingerprint (two 32-bit FNV-1a lanes over the float words) to tell whether a stored vector changed. */
function fingerprint(vector, out, slot) {
    const words = new Uint32Array(vector.buffer, vector.byteOffset, vector.length);
    let a = 0x811c9dc5;
    let b = 0x01000193 ^ words.length;
    for (let i = 0; i < words.length; i++) {
        a = Math.imul(a ^ words[i], 0x01000193);
        b = Math.imul(b ^ words[i], 0x5bd1e995) ^ (b >>> 15);
    }
    out[slot * 2] = a >>> 0;
    out[slot * 2 + 1] = b >>> 0;
}
//# sourceMappingURL=vector-codec.js.map