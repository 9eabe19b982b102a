"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.HnswSnapshots = void 0;
const node_crypto_1 = require("node:crypto");
const node_fs_1 = require("node:fs");
const node_path_1 = require("node:path");
const vector_codec_1 = require("./vector-codec");
/**
 * Saved HNSW graphs, one per collection, so that a restart does not rebuild (minutes at 500k vectors on two cores)
 * but loads the file and patches in only what changed in the database since: the manifest records, per key, the id
 * and a fingerprint of the vector the graph was built with.
 */
class HnswSnapshots {
    dir;
    constructor(dir) {
        this.dir = dir;
    }
    /** The saved index of a collection, or null when there is none usable (absent, other dimension or parameters). */
    read(collection, dimension, params) {
        const manifestPath = this.manifestPath(collection);
        if (!(0, node_fs_1.existsSync)(manifestPath))
            return null;
        const manifest = JSON.parse((0, node_fs_1.readFileSync)(manifestPath, 'utf8'));
        const indexPath = (0, node_path_1.join)(this.dir, manifest.indexFile);
        if (manifest.format !== 1 || manifest.dimension !== dimension || !sameParams(manifest.params, params))
            return null;
        if (!(0, node_fs_1.existsSync)(indexPath))
            return null;
        const bytes = Buffer.from(manifest.fingerprints, 'base64');
        const saved = new Uint32Array(bytes.byteLength / 4);
        new Uint8Array(saved.buffer).set(bytes);
        const rowOf = new Map();
        manifest.ids.forEach((id, row) => id !== null && rowOf.set(id, row));
        const probe = new Uint32Array(2);
        return {
            rows: manifest.ids.length,
            rowOf,
            indexPath,
            matches: (row, unit) => {
                (0, vector_codec_1.fingerprint)(unit, probe, 0);
                return probe[0] === saved[row * 2] && probe[1] === saved[row * 2 + 1];
            },
        };
    }
    /** Synchronous on purpose: the graph and the manifest are taken in the same tick, so they describe the same state. */
    save(collection, index, source) {
        const rows = source.rowCount;
        const ids = new Array(rows);
        const prints = new Uint32Array(rows * 2);
        for (let row = 0; row < rows; row++) {
            const id = source.idAt(row);
            ids[row] = id ?? null;
            if (id !== undefined)
                (0, vector_codec_1.fingerprint)(source.vectorAt(row), prints, row);
        }
        (0, node_fs_1.mkdirSync)(this.dir, { recursive: true });
        const indexFile = `${this.baseName(collection)}.${(0, node_crypto_1.randomUUID)()}.usearch`;
        index.save((0, node_path_1.join)(this.dir, indexFile));
        const manifest = {
            format: 1,
            dimension: index.dimension,
            params: index.params,
            indexFile,
            ids,
            fingerprints: Buffer.from(prints.buffer).toString('base64'),
        };
        const manifestPath = this.manifestPath(collection);
        (0, node_fs_1.writeFileSync)(`${manifestPath}.tmp`, JSON.stringify(manifest));
        (0, node_fs_1.renameSync)(`${manifestPath}.tmp`, manifestPath);
        const base = this.baseName(collection);
        for (const file of (0, node_fs_1.readdirSync)(this.dir)) {
            if (file !== indexFile && file.startsWith(`${base}.`) && file.endsWith('.usearch'))
                (0, node_fs_1.rmSync)((0, node_path_1.join)(this.dir, file), { force: true });
        }
    }
    manifestPath(collection) {
        return (0, node_path_1.join)(this.dir, `${this.baseName(collection)}.manifest.json`);
    }
    /** Readable, yet collision-free for names that differ only in characters a file name cannot hold. */
    baseName(collection) {
        const hash = (0, node_crypto_1.createHash)('sha1').update(collection).digest('hex').slice(0, 8);
        return `${collection.replace(/[^A-Za-z0-9_-]/g, '_')}-${hash}`;
    }
}
exports.HnswSnapshots = HnswSnapshots;
/** The search list is chosen per query, so only the parameters that shaped the graph have to match. */
function sameParams(a, b) {
    return a.connectivity === b.connectivity && a.expansionAdd === b.expansionAdd;
}
//# sourceMappingURL=hnsw-snapshot.js.map