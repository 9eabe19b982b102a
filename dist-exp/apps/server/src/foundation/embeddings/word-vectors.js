"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.DEFAULT_WORD_VECTOR_OPTIONS = void 0;
exports.convertWordVectors = convertWordVectors;
exports.sourceStamp = sourceStamp;
exports.writeWordVectors = writeWordVectors;
exports.readWordVectors = readWordVectors;
const node_fs_1 = require("node:fs");
const promises_1 = require("node:fs/promises");
const node_path_1 = require("node:path");
exports.DEFAULT_WORD_VECTOR_OPTIONS = { maxWords: 100_000, centreWords: 50_000, components: 2 };
const FORMAT = 1;
const POWER_ITERATIONS = 200;
const PCA_STRIDE = 5; // every fifth frequent word is plenty to find the top components
const MAX_PENDING = 16 << 20; // one entry is ~1 kB; this much text without one means the file is not what we think
/**
 * Reads a wink-embeddings JSON file (`{"dimensions":100,"wordIndex":101,"words":[...],"vectors":{"the":[v...,
 * norm, rank],...}}`) as a stream: `JSON.parse` of the 300 MB file takes ~7 s and ~1 GB of memory, this keeps only
 * the rows it needs. Then post-processes and quantises them.
 */
async function convertWordVectors(sourcePath, options) {
    const { dimension, words, rows } = await readWinkFile(sourcePath, options.maxWords);
    removeCommonDirections(rows, dimension, Math.min(options.centreWords, words.length), options.components);
    const scales = new Float32Array(words.length);
    const values = new Int8Array(rows.length);
    for (let r = 0; r < words.length; r++) {
        let max = 0;
        for (let j = r * dimension; j < (r + 1) * dimension; j++)
            max = Math.max(max, Math.abs(rows[j]));
        scales[r] = max / 127;
        if (max > 0)
            for (let j = r * dimension; j < (r + 1) * dimension; j++)
                values[j] = Math.round(rows[j] / scales[r]);
    }
    return { source: await sourceStamp(sourcePath), options, dimension, words, scales, values };
}
/** Identifies a source file cheaply, so a cache built from another version of it is rebuilt. */
async function sourceStamp(sourcePath) {
    const { size } = await (0, promises_1.stat)(sourcePath);
    return `${sourcePath.split(/[\\/]/).pop()} (${size} bytes)`;
}
async function readWinkFile(path, maxWords) {
    const marker = '"vectors":{';
    let dimension = 0;
    let rankAt = 0;
    let words = [];
    let rows = new Float32Array(0);
    let count = 0;
    let buf = '';
    let inVectors = false;
    for await (const chunk of (0, node_fs_1.createReadStream)(path, { encoding: 'utf8', highWaterMark: 1 << 20 })) {
        buf += chunk;
        if (buf.length > MAX_PENDING)
            throw new Error(`${path} is not a wink-embeddings vector file`);
        if (!inVectors) {
            if (!dimension) {
                const dims = /"dimensions":(\d+)/.exec(buf);
                const rank = /"wordIndex":(\d+)/.exec(buf);
                if (!dims || !rank)
                    continue; // the header fields come first; keep reading until both are in
                dimension = Number(dims[1]);
                rankAt = Number(rank[1]);
                rows = new Float32Array(maxWords * dimension);
                words = new Array(maxWords).fill('');
            }
            const at = buf.indexOf(marker);
            if (at < 0) {
                buf = buf.slice(-marker.length);
                continue;
            }
            inVectors = true;
            buf = buf.slice(at + marker.length);
        }
        let pos = 0;
        for (let e = nextEntry(buf, 0); e; e = nextEntry(buf, pos)) {
            pos = e.end;
            const rank = Number(e.numbers.slice(e.numbers.lastIndexOf(',') + 1));
            if (rank >= maxWords)
                continue;
            const numbers = e.numbers.split(',');
            if (numbers.length !== rankAt + 1 || !(rank >= 0))
                throw new Error(`${path}: unexpected vector for ${e.key}`);
            words[rank] = JSON.parse(e.key);
            for (let j = 0; j < dimension; j++)
                rows[rank * dimension + j] = Number(numbers[j]);
            count = Math.max(count, rank + 1);
        }
        buf = buf.slice(pos);
        if (buf.startsWith('}'))
            break;
    }
    if (!inVectors || count === 0)
        throw new Error(`${path} is not a wink-embeddings vector file`);
    return { dimension, words: words.slice(0, count), rows: rows.slice(0, count * dimension) };
}
/**
 * The `,"key":[n,n,...]` entry at `pos` (key still JSON-quoted), or null if `buf` does not hold all of it yet.
 * Hand-rolled with indexOf: a regular expression over the 300 MB took ten times as long.
 */
function nextEntry(buf, pos) {
    const open = buf[pos] === ',' ? pos + 1 : pos;
    if (buf[open] !== '"')
        return null;
    let close = buf.indexOf('"', open + 1);
    while (close > 0 && isEscaped(buf, close))
        close = buf.indexOf('"', close + 1);
    if (close < 0 || buf.length < close + 3)
        return null;
    if (buf[close + 1] !== ':' || buf[close + 2] !== '[')
        throw new Error(`unexpected text at ${buf.slice(open, close + 3)}`);
    const end = buf.indexOf(']', close + 3);
    if (end < 0)
        return null;
    return { key: buf.slice(open, close + 1), numbers: buf.slice(close + 3, end), end: end + 1 };
}
/** Whether the character at `i` is preceded by an odd number of backslashes. */
function isEscaped(s, i) {
    let n = 0;
    while (s[i - 1 - n] === '\\')
        n++;
    return n % 2 === 1;
}
/** Subtracts the mean of the first `n` rows from every row, then projects out their top `k` principal components. */
function removeCommonDirections(rows, dim, n, k) {
    if (n === 0)
        return;
    const mean = new Float64Array(dim);
    for (let r = 0; r < n; r++)
        for (let j = 0; j < dim; j++)
            mean[j] += rows[r * dim + j] / n;
    const count = rows.length / dim;
    for (let r = 0; r < count; r++)
        for (let j = 0; j < dim; j++)
            rows[r * dim + j] -= mean[j];
    // Second moments of the (centred) sample, then power iteration on that dim x dim matrix.
    const cov = new Float64Array(dim * dim);
    for (let r = 0; r < n; r += PCA_STRIDE) {
        for (let i = 0; i < dim; i++) {
            const x = rows[r * dim + i];
            for (let j = 0; j < dim; j++)
                cov[i * dim + j] += x * rows[r * dim + j];
        }
    }
    const pcs = [];
    for (let c = 0; c < k; c++) {
        let u = new Float64Array(dim).fill(1 / Math.sqrt(dim));
        for (let it = 0; it < POWER_ITERATIONS; it++) {
            const next = new Float64Array(dim);
            for (let i = 0; i < dim; i++)
                for (let j = 0; j < dim; j++)
                    next[i] += cov[i * dim + j] * u[j];
            for (const q of pcs)
                project(next, q);
            const norm = Math.hypot(...next);
            if (norm === 0)
                break;
            u = next.map((x) => x / norm);
        }
        pcs.push(u);
    }
    for (let r = 0; r < count; r++)
        for (const q of pcs)
            project(rows.subarray(r * dim, (r + 1) * dim), q);
}
/** Removes from `v` its component along unit vector `u`. */
function project(v, u) {
    let p = 0;
    for (let j = 0; j < v.length; j++)
        p += v[j] * u[j];
    for (let j = 0; j < v.length; j++)
        v[j] -= p * u[j];
}
/** Layout: u32 header length, JSON header (with the words), padding to 4, f32 scales, i8 values. Written atomically. */
function writeWordVectors(file, t) {
    const header = { format: FORMAT, source: t.source, options: t.options, dimension: t.dimension, words: t.words.join('\n') };
    const json = Buffer.from(JSON.stringify(header), 'utf8');
    const head = Buffer.alloc(align(4 + json.length));
    head.writeUInt32LE(json.length, 0);
    json.copy(head, 4);
    (0, node_fs_1.mkdirSync)((0, node_path_1.dirname)(file), { recursive: true });
    const tmp = `${file}.${process.pid}.tmp`;
    (0, node_fs_1.writeFileSync)(tmp, Buffer.concat([head, Buffer.from(t.scales.buffer, t.scales.byteOffset, t.scales.byteLength), Buffer.from(t.values.buffer, t.values.byteOffset, t.values.byteLength)]));
    (0, node_fs_1.renameSync)(tmp, file);
}
/** The table in `file`, or undefined if it is absent, unreadable or was built with other options. */
function readWordVectors(file, options) {
    let buf;
    try {
        buf = (0, node_fs_1.readFileSync)(file);
    }
    catch {
        return undefined;
    }
    try {
        const length = buf.readUInt32LE(0);
        const h = JSON.parse(buf.toString('utf8', 4, 4 + length));
        const same = h.format === FORMAT && Object.keys(options).every((k) => h.options[k] === options[k]);
        if (!same)
            return undefined;
        const words = h.words.split('\n');
        const at = align(4 + length);
        if (buf.length !== at + words.length * 4 + words.length * h.dimension)
            return undefined;
        // Copies, so each array owns aligned memory and the file buffer can be freed.
        const scales = new Float32Array(buf.buffer.slice(buf.byteOffset + at, buf.byteOffset + at + words.length * 4));
        const values = new Int8Array(buf.buffer.slice(buf.byteOffset + at + words.length * 4, buf.byteOffset + buf.length));
        return { source: h.source, options: h.options, dimension: h.dimension, words, scales, values };
    }
    catch {
        return undefined; // truncated or not ours: convert afresh
    }
}
function align(n) {
    return (n + 3) & ~3;
}
//# sourceMappingURL=word-vectors.js.map