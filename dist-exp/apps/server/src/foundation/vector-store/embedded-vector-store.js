"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.EmbeddedVectorStore = void 0;
const common_1 = require("@nestjs/common");
const typeorm_1 = require("typeorm");
const hnsw_calibration_1 = require("./hnsw-calibration");
const hnsw_index_1 = require("./hnsw-index");
const hnsw_snapshot_1 = require("./hnsw-snapshot");
const vector_codec_1 = require("./vector-codec");
const vector_collection_1 = require("./vector-collection");
const vector_entity_1 = require("./vector.entity");
/** An exact scan of this many rows costs a few milliseconds in JS, about what a graph search costs. */
const DEFAULT_ANN_THRESHOLD = 5000;
/** Rows per INSERT / DELETE statement: 5 parameters a row stays far below SQLite's and PostgreSQL's limits. */
const WRITE_CHUNK = 500;
const LOAD_PAGE = 2000;
/** Past this many graph candidates, a filter is so selective that an exact scan is the cheaper path. */
const MAX_CANDIDATES = 8192;
/**
 * The default vector store: vectors persist in the relational database (table `vectors`) and are searched in
 * memory. Small collections are scanned exactly; above `annThreshold` an HNSW graph (usearch) proposes candidates
 * that are re-ranked exactly, so every returned score is the true cosine similarity.
 */
class EmbeddedVectorStore {
    repo;
    kind = 'embedded';
    logger = new common_1.Logger('vector-store');
    open = new Map();
    annThreshold;
    params;
    snapshots;
    constructor(repo, options = {}) {
        this.repo = repo;
        this.annThreshold = options.annThreshold ?? DEFAULT_ANN_THRESHOLD;
        this.params = { ...hnsw_index_1.DEFAULT_HNSW_PARAMS, ...options.hnsw };
        this.snapshots = options.indexDir ? new hnsw_snapshot_1.HnswSnapshots(options.indexDir) : null;
    }
    /** Loads the collection's stored vectors into memory (the start-up rebuild); the HNSW graph follows in the background. */
    async ensureCollection(name, dimension) {
        if (!Number.isInteger(dimension) || dimension <= 0)
            throw new Error(`vector dimension must be a positive integer, got ${dimension}`);
        let opening = this.open.get(name);
        if (!opening) {
            opening = this.load(name, dimension);
            this.open.set(name, opening);
            opening.catch(() => this.open.delete(name));
        }
        const { data } = await opening;
        if (data.dimension !== dimension) {
            throw new Error(`vector collection "${name}" has dimension ${data.dimension}, not ${dimension}`);
        }
    }
    async upsert(name, points) {
        const c = await this.collection(name);
        for (const p of points) {
            if (!p.id)
                throw new Error(`vector ids must be non-empty (collection "${name}")`);
            this.checkDimension(name, c, p.vector);
        }
        // The last write of an id in one batch wins, as it would in separate calls.
        const unique = [...new Map(points.map((p) => [p.id, p])).values()];
        await this.write(c, async () => {
            const rows = unique.map((p) => ({ collection: name, id: p.id, owner: p.owner, payload: p.payload ?? {}, vector: (0, vector_codec_1.encodeVector)(p.vector) }));
            await this.repo.manager.transaction(async (m) => {
                for (let i = 0; i < rows.length; i += WRITE_CHUNK)
                    await m.upsert(vector_entity_1.VectorEntity, rows.slice(i, i + WRITE_CHUNK), ['collection', 'id']);
            });
            const touched = unique.map((p) => c.data.put(p.id, p.owner, (0, vector_codec_1.normalized)(p.vector), { ...(p.payload ?? {}) }));
            await c.index?.sync(touched, c.data);
            this.startIndexIfNeeded(name, c);
        });
    }
    async delete(name, ids) {
        const c = await this.collection(name);
        await this.write(c, async () => {
            await this.repo.manager.transaction(async (m) => {
                for (let i = 0; i < ids.length; i += WRITE_CHUNK)
                    await m.delete(vector_entity_1.VectorEntity, { collection: name, id: (0, typeorm_1.In)(ids.slice(i, i + WRITE_CHUNK)) });
            });
            this.forget(c, ids);
        });
    }
    async deleteOwner(name, owner) {
        const c = await this.collection(name);
        await this.write(c, async () => {
            await this.repo.delete({ collection: name, owner });
            this.forget(c, c.data.rowsOf(owner).map((row) => c.data.idAt(row)));
        });
    }
    async search(name, vector, k, filter = {}) {
        const c = await this.collection(name);
        this.checkDimension(name, c, vector);
        const limit = Math.floor(k);
        if (limit <= 0 || c.data.size === 0)
            return [];
        const query = (0, vector_codec_1.normalized)(vector);
        const owners = filter.owners ? new Set(filter.owners) : null;
        const excluded = new Set(filter.excludeOwners ?? []);
        for (const owner of excluded)
            owners?.delete(owner);
        const accept = owners || excluded.size > 0 ? (row) => (owners ? owners.has(c.data.ownerAt(row)) : !excluded.has(c.data.ownerAt(row))) : null;
        const eligible = owners
            ? [...owners].reduce((n, o) => n + c.data.ownerRowCount(o), 0)
            : c.data.size - [...excluded].reduce((n, o) => n + c.data.ownerRowCount(o), 0);
        if (eligible <= 0)
            return [];
        return this.rank(c, query, limit, eligible, owners, accept).map((r) => c.data.hit(r.row, r.score));
    }
    async count(name) {
        return (await this.collection(name)).data.size;
    }
    /** Whether searches of a collection go through the graph yet; for health reporting and tests. */
    async indexStatus(name) {
        const c = await this.collection(name);
        return c.graph === 'ready' || c.graph === 'building' ? c.graph : 'exact';
    }
    /** Resolves once a running graph build of the collection has finished. */
    async indexed(name) {
        await (await this.collection(name)).building;
    }
    rank(c, query, k, eligible, owners, accept) {
        // With an allow-list only its owners' rows are visited; otherwise every row, through the filter.
        const exact = () => c.data.scan(query, k, owners ? [...owners].flatMap((o) => c.data.rowsOf(o)) : null, accept);
        // A few owners' rows are cheaper to scan than the graph is to search, and the scan is exact.
        if (!c.index || c.graph !== 'ready' || c.data.size <= this.annThreshold || eligible <= this.annThreshold)
            return exact();
        // The graph knows no filter: ask for enough candidates that about `searchList` of them pass it.
        const wanted = Math.ceil((Math.max(k, c.searchList) * c.data.size) / eligible);
        if (wanted > MAX_CANDIDATES)
            return exact();
        const scored = [];
        for (const row of c.index.search(query, wanted)) {
            if (c.data.idAt(row) === undefined || (accept && !accept(row)))
                continue;
            scored.push({ row, score: c.data.dot(row, query) });
        }
        // Too few candidates passed the filter: only a scan can guarantee the k best of what the filter allows.
        if (scored.length < Math.min(k, eligible))
            return exact();
        return scored.sort((a, b) => b.score - a.score).slice(0, k);
    }
    async load(name, dimension) {
        const started = Date.now();
        const data = new vector_collection_1.VectorCollection(dimension);
        data.preallocate(await this.repo.count({ where: { collection: name } }));
        const saved = this.readSnapshot(name, dimension);
        if (saved)
            data.reserve(saved.rows);
        const fresh = [];
        for (let after = '';;) {
            const page = await this.repo.find({ where: { collection: name, id: (0, typeorm_1.MoreThan)(after) }, order: { id: 'ASC' }, take: LOAD_PAGE });
            for (const e of page) {
                const unit = (0, vector_codec_1.normalized)((0, vector_codec_1.decodeVector)(e.vector));
                if (unit.length !== dimension) {
                    throw new Error(`vector collection "${name}" holds vectors of dimension ${unit.length}, not ${dimension}`);
                }
                const kept = saved?.rowOf.get(e.id);
                const at = kept !== undefined && saved?.matches(kept, unit) ? kept : undefined;
                const row = data.put(e.id, e.owner, unit, e.payload ?? {}, at);
                if (at === undefined)
                    fresh.push(row);
            }
            if (page.length < LOAD_PAGE)
                break;
            after = page[page.length - 1].id;
        }
        const stale = data.reclaimEmpty();
        const c = { data, index: null, graph: 'none', searchList: this.params.expansionSearch, building: Promise.resolve(), writes: Promise.resolve() };
        // Past half new, patching a saved graph costs more than building anew, and leaves it full of tombstones.
        if (saved && data.size > this.annThreshold && fresh.length <= data.size / 2)
            this.restoreIndex(name, c, saved, stale, fresh);
        else
            this.startIndexIfNeeded(name, c);
        this.logger.log(`collection ${name}: ${data.size} vectors loaded in ${Date.now() - started} ms`);
        return c;
    }
    /** Loads the saved graph, drops the keys whose vectors are gone or changed, and adds the new ones in the background. */
    restoreIndex(name, c, saved, stale, fresh) {
        const index = new hnsw_index_1.HnswIndex(c.data.dimension, this.params);
        try {
            index.load(saved.indexPath);
        }
        catch (err) {
            this.logger.warn(`collection ${name}: saved HNSW index unusable (${err.message}), rebuilding`);
            return this.startIndexIfNeeded(name, c);
        }
        index.remove(stale);
        this.runBuild(name, c, index, fresh, stale.length + fresh.length > 0);
    }
    startIndexIfNeeded(name, c) {
        if (c.index || c.data.size <= this.annThreshold)
            return;
        const rows = [];
        for (let row = 0; row < c.data.rowCount; row++)
            if (c.data.idAt(row) !== undefined)
                rows.push(row);
        this.runBuild(name, c, new hnsw_index_1.HnswIndex(c.data.dimension, this.params), rows, true);
    }
    runBuild(name, c, index, rows, save) {
        const started = Date.now();
        c.index = index;
        c.graph = 'building';
        c.building = index
            .build(rows, c.data, () => c.index !== index)
            .then(async () => {
            if (c.index !== index)
                return;
            // Queued behind the writes in flight, so the file never holds a graph that a write is half-way through.
            if (save)
                await this.write(c, async () => this.saveSnapshot(name, index, c.data));
            const ef = this.params.expansionSearch;
            const list = await (0, hnsw_calibration_1.calibrateSearchList)(index, c.data, [ef, 2 * ef, 4 * ef]);
            if (c.index !== index)
                return;
            const took = `${index.size} vectors in ${Date.now() - started} ms`;
            if (list === null) {
                c.graph = 'rejected';
                this.logger.warn(`collection ${name}: HNSW index of ${took} finds < ${hnsw_calibration_1.MIN_GRAPH_RECALL} of the exact top 10; searches stay exact`);
            }
            else {
                c.graph = 'ready';
                c.searchList = list;
                this.logger.log(`collection ${name}: HNSW index of ${took} ready, search list ${list}`);
            }
        })
            .catch((err) => {
            // Searches stay exact (correct, slower) rather than failing.
            this.logger.error(`collection ${name}: HNSW build failed: ${err.message}`);
            if (c.index === index) {
                c.index = null;
                c.graph = 'none';
            }
        });
    }
    readSnapshot(name, dimension) {
        try {
            return this.snapshots?.read(name, dimension, this.params) ?? null;
        }
        catch (err) {
            this.logger.warn(`collection ${name}: saved HNSW index unreadable (${err.message}), rebuilding`);
            return null;
        }
    }
    /** A failed save costs the next start a rebuild, nothing more: the graph in memory stays in use. */
    saveSnapshot(name, index, data) {
        if (!this.snapshots)
            return;
        try {
            this.snapshots.save(name, index, data);
        }
        catch (err) {
            this.logger.warn(`collection ${name}: could not save the HNSW index (${err.message})`);
        }
    }
    forget(c, ids) {
        const rows = ids.map((id) => c.data.remove(id)).filter((row) => row !== undefined);
        c.index?.remove(rows);
    }
    write(c, task) {
        const run = c.writes.then(task);
        c.writes = run.catch(() => undefined);
        return run;
    }
    async collection(name) {
        const opening = this.open.get(name);
        if (!opening)
            throw new Error(`vector collection "${name}" is not open: call ensureCollection first`);
        return opening;
    }
    checkDimension(name, c, vector) {
        if (vector.length !== c.data.dimension) {
            throw new Error(`vector collection "${name}" has dimension ${c.data.dimension}, got a vector of ${vector.length}`);
        }
    }
}
exports.EmbeddedVectorStore = EmbeddedVectorStore;
//# sourceMappingURL=embedded-vector-store.js.map