"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.QdrantVectorStore = void 0;
exports.pointId = pointId;
const node_crypto_1 = require("node:crypto");
const js_client_rest_1 = require("@qdrant/js-client-rest");
/** Points per upsert request: keeps a request body around a megabyte at 384 dimensions. */
const UPSERT_CHUNK = 256;
/**
 * Vectors in a Qdrant server: the store for deployments that outgrow one process' memory or share an index
 * between server nodes. Same contract (and same tests) as the embedded store.
 */
class QdrantVectorStore {
    kind = 'qdrant';
    client;
    dimensions = new Map();
    constructor(url, options = {}) {
        this.client = new js_client_rest_1.QdrantClient({ url, apiKey: options.apiKey, checkCompatibility: options.checkCompatibility ?? true });
    }
    async ensureCollection(name, dimension) {
        if (!Number.isInteger(dimension) || dimension <= 0)
            throw new Error(`vector dimension must be a positive integer, got ${dimension}`);
        if (!(await this.client.collectionExists(name)).exists) {
            try {
                await this.client.createCollection(name, { vectors: { size: dimension, distance: 'Cosine' } });
            }
            catch (err) {
                // Another server node may have created it meanwhile; the checks below then apply to theirs.
                if (!(await this.client.collectionExists(name)).exists)
                    throw err;
            }
        }
        const info = await this.client.getCollection(name);
        const actual = vectorParams(info.config.params.vectors);
        if (!actual || actual.size !== dimension || actual.distance !== 'Cosine') {
            const found = actual ? `dimension ${actual.size} and ${actual.distance} distance` : 'named vectors';
            throw new Error(`Qdrant collection "${name}" has ${found}, not dimension ${dimension} with Cosine distance`);
        }
        if (!info.payload_schema?.owner) {
            await this.client.createPayloadIndex(name, { field_name: 'owner', field_schema: 'keyword', wait: true });
        }
        this.dimensions.set(name, dimension);
    }
    async upsert(name, points) {
        const dimension = await this.dimensionOf(name);
        for (const p of points) {
            if (!p.id)
                throw new Error(`vector ids must be non-empty (collection "${name}")`);
            checkDimension(name, dimension, p.vector);
        }
        const unique = [...new Map(points.map((p) => [p.id, p])).values()];
        for (let i = 0; i < unique.length; i += UPSERT_CHUNK) {
            await this.client.upsert(name, {
                wait: true,
                points: unique.slice(i, i + UPSERT_CHUNK).map((p) => ({
                    id: pointId(name, p.id),
                    vector: Array.from(p.vector),
                    payload: { id: p.id, owner: p.owner, payload: p.payload ?? {} },
                })),
            });
        }
    }
    async delete(name, ids) {
        await this.dimensionOf(name);
        if (ids.length === 0)
            return;
        await this.client.delete(name, { wait: true, points: ids.map((id) => pointId(name, id)) });
    }
    async deleteOwner(name, owner) {
        await this.dimensionOf(name);
        await this.client.delete(name, { wait: true, filter: { must: [{ key: 'owner', match: { value: owner } }] } });
    }
    async search(name, vector, k, filter = {}) {
        checkDimension(name, await this.dimensionOf(name), vector);
        const limit = Math.floor(k);
        // An empty allow-list allows nothing; Qdrant would read `any: []` as no condition at all.
        if (limit <= 0 || filter.owners?.length === 0)
            return [];
        const result = await this.client.query(name, {
            query: Array.from(vector),
            limit,
            filter: toQdrantFilter(filter),
            with_payload: true,
        });
        return result.points.map((p) => {
            const stored = p.payload;
            return { id: stored.id, owner: stored.owner, score: p.score, payload: stored.payload ?? {} };
        });
    }
    async count(name) {
        await this.dimensionOf(name);
        return (await this.client.count(name, { exact: true })).count;
    }
    /** Known after `ensureCollection`; otherwise asked of the server, so that a missing collection fails clearly. */
    async dimensionOf(name) {
        const known = this.dimensions.get(name);
        if (known !== undefined)
            return known;
        if (!(await this.client.collectionExists(name)).exists) {
            throw new Error(`vector collection "${name}" does not exist: call ensureCollection first`);
        }
        const params = vectorParams((await this.client.getCollection(name)).config.params.vectors);
        if (!params)
            throw new Error(`Qdrant collection "${name}" uses named vectors, which this store does not`);
        this.dimensions.set(name, params.size);
        return params.size;
    }
}
exports.QdrantVectorStore = QdrantVectorStore;
/**
 * Qdrant accepts only unsigned integers and UUIDs as point ids: derive a UUID from a SHA-1 of collection and id
 * (laid out as a version-5 UUID), so the same string id always addresses the same point.
 */
function pointId(collection, id) {
    const h = (0, node_crypto_1.createHash)('sha1').update(collection).update('\0').update(id).digest();
    h[6] = (h[6] & 0x0f) | 0x50;
    h[8] = (h[8] & 0x3f) | 0x80;
    const hex = h.subarray(0, 16).toString('hex');
    return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}
function toQdrantFilter(filter) {
    const out = {};
    if (filter.owners)
        out.must = [{ key: 'owner', match: { any: filter.owners } }];
    if (filter.excludeOwners?.length)
        out.must_not = [{ key: 'owner', match: { any: filter.excludeOwners } }];
    return out.must || out.must_not ? out : undefined;
}
function vectorParams(vectors) {
    const v = vectors;
    return v && typeof v.size === 'number' && typeof v.distance === 'string' ? { size: v.size, distance: v.distance } : null;
}
function checkDimension(name, dimension, vector) {
    if (vector.length !== dimension) {
        throw new Error(`vector collection "${name}" has dimension ${dimension}, got a vector of ${vector.length}`);
    }
}
//# sourceMappingURL=qdrant-vector-store.js.map