import { Logger } from '@nestjs/common';
import { In, MoreThan, Repository } from 'typeorm';
import { calibrateSearchList, MIN_GRAPH_RECALL } from './hnsw-calibration';
import { DEFAULT_HNSW_PARAMS, HnswIndex, HnswParams } from './hnsw-index';
import { HnswSnapshots, SavedIndex } from './hnsw-snapshot';
import { ScoredRow } from './top-k';
import { decodeVector, encodeVector, normalized } from './vector-codec';
import { VectorCollection } from './vector-collection';
import { VectorEntity } from './vector.entity';
import { VectorFilter, VectorHit, VectorPoint, VectorStore } from './vector-store.port';

export interface EmbeddedVectorStoreOptions {
  /** Vectors in a collection above which searches go through an HNSW graph instead of an exact scan. */
  annThreshold?: number;
  /** Where to keep each collection's HNSW graph between runs; without it the graph is rebuilt at every start. */
  indexDir?: string;
  hnsw?: Partial<HnswParams>;
}

/** An exact scan of this many rows costs a few milliseconds in JS, about what a graph search costs. */
const DEFAULT_ANN_THRESHOLD = 5000;
/** Rows per INSERT / DELETE statement: 5 parameters a row stays far below SQLite's and PostgreSQL's limits. */
const WRITE_CHUNK = 500;
const LOAD_PAGE = 2000;
/** Past this many graph candidates, a filter is so selective that an exact scan is the cheaper path. */
const MAX_CANDIDATES = 8192;

interface OpenCollection {
  data: VectorCollection;
  /** Set as soon as a build starts, so that writes keep it in step; searched only once `graph` is 'ready'. */
  index: HnswIndex | null;
  /** 'rejected': the graph missed too much of the exact top 10 at calibration, so searches stay exact. */
  graph: 'none' | 'building' | 'ready' | 'rejected';
  /** Candidates a graph search asks for (before filtering), as calibrated. */
  searchList: number;
  building: Promise<void>;
  /** Writes to a collection run one after another, so the database and memory apply them in the same order. */
  writes: Promise<unknown>;
}

/**
 * The default vector store: vectors persist in the relational database (table `vectors`) and are searched in
 * memory. Small collections are scanned exactly; above `annThreshold` an HNSW graph (usearch) proposes candidates
 * that are re-ranked exactly, so every returned score is the true cosine similarity.
 */
export class EmbeddedVectorStore implements VectorStore {
  readonly kind = 'embedded' as const;
  private readonly logger = new Logger('vector-store');
  private readonly open = new Map<string, Promise<OpenCollection>>();
  private readonly annThreshold: number;
  private readonly params: HnswParams;
  private readonly snapshots: HnswSnapshots | null;

  constructor(
    private readonly repo: Repository<VectorEntity>,
    options: EmbeddedVectorStoreOptions = {},
  ) {
    this.annThreshold = options.annThreshold ?? DEFAULT_ANN_THRESHOLD;
    this.params = { ...DEFAULT_HNSW_PARAMS, ...options.hnsw };
    this.snapshots = options.indexDir ? new HnswSnapshots(options.indexDir) : null;
  }

  /** Loads the collection's stored vectors into memory (the start-up rebuild); the HNSW graph follows in the background. */
  async ensureCollection(name: string, dimension: number): Promise<void> {
    if (!Number.isInteger(dimension) || dimension <= 0) throw new Error(`vector dimension must be a positive integer, got ${dimension}`);
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

  async upsert(name: string, points: VectorPoint[]): Promise<void> {
    const c = await this.collection(name);
    for (const p of points) {
      if (!p.id) throw new Error(`vector ids must be non-empty (collection "${name}")`);
      this.checkDimension(name, c, p.vector);
    }
    // The last write of an id in one batch wins, as it would in separate calls.
    const unique = [...new Map(points.map((p) => [p.id, p])).values()];
    await this.write(c, async () => {
      const rows = unique.map((p) => ({ collection: name, id: p.id, owner: p.owner, payload: p.payload ?? {}, vector: encodeVector(p.vector) }));
      await this.repo.manager.transaction(async (m) => {
        for (let i = 0; i < rows.length; i += WRITE_CHUNK) await m.upsert(VectorEntity, rows.slice(i, i + WRITE_CHUNK), ['collection', 'id']);
      });
      const touched = unique.map((p) => c.data.put(p.id, p.owner, normalized(p.vector), { ...(p.payload ?? {}) }));
      await c.index?.sync(touched, c.data);
      this.startIndexIfNeeded(name, c);
    });
  }

  async delete(name: string, ids: string[]): Promise<void> {
    const c = await this.collection(name);
    await this.write(c, async () => {
      await this.repo.manager.transaction(async (m) => {
        for (let i = 0; i < ids.length; i += WRITE_CHUNK) await m.delete(VectorEntity, { collection: name, id: In(ids.slice(i, i + WRITE_CHUNK)) });
      });
      this.forget(c, ids);
    });
  }

  async deleteOwner(name: string, owner: string): Promise<void> {
    const c = await this.collection(name);
    await this.write(c, async () => {
      await this.repo.delete({ collection: name, owner });
      this.forget(c, c.data.rowsOf(owner).map((row) => c.data.idAt(row) as string));
    });
  }

  async reloadOwner(name: string, owner: string): Promise<void> {
    const c = await this.collection(name);
    await this.write(c, async () => {
      const rows = await this.repo.find({ where: { collection: name, owner } });
      this.forget(c, c.data.rowsOf(owner).map((row) => c.data.idAt(row) as string));
      const touched = rows.map((e) => c.data.put(e.id, e.owner, normalized(decodeVector(e.vector)), e.payload ?? {}));
      await c.index?.sync(touched, c.data);
      this.startIndexIfNeeded(name, c);
    });
  }

  async search(name: string, vector: Float32Array, k: number, filter: VectorFilter = {}): Promise<VectorHit[]> {
    const c = await this.collection(name);
    this.checkDimension(name, c, vector);
    const limit = Math.floor(k);
    if (limit <= 0 || c.data.size === 0) return [];
    const query = normalized(vector);
    const owners = filter.owners ? new Set(filter.owners) : null;
    const excluded = new Set(filter.excludeOwners ?? []);
    for (const owner of excluded) owners?.delete(owner);
    const accept = owners || excluded.size > 0 ? (row: number) => (owners ? owners.has(c.data.ownerAt(row)) : !excluded.has(c.data.ownerAt(row))) : null;
    const eligible = owners
      ? [...owners].reduce((n, o) => n + c.data.ownerRowCount(o), 0)
      : c.data.size - [...excluded].reduce((n, o) => n + c.data.ownerRowCount(o), 0);
    if (eligible <= 0) return [];
    return this.rank(c, query, limit, eligible, owners, accept).map((r) => c.data.hit(r.row, r.score));
  }

  async count(name: string): Promise<number> {
    return (await this.collection(name)).data.size;
  }

  /** Whether searches of a collection go through the graph yet; for health reporting and tests. */
  async indexStatus(name: string): Promise<'exact' | 'building' | 'ready'> {
    const c = await this.collection(name);
    return c.graph === 'ready' || c.graph === 'building' ? c.graph : 'exact';
  }

  /** Resolves once a running graph build of the collection has finished. */
  async indexed(name: string): Promise<void> {
    await (await this.collection(name)).building;
  }

  private rank(c: OpenCollection, query: Float32Array, k: number, eligible: number, owners: Set<string> | null, accept: ((row: number) => boolean) | null): ScoredRow[] {
    // With an allow-list only its owners' rows are visited; otherwise every row, through the filter.
    const exact = () => c.data.scan(query, k, owners ? [...owners].flatMap((o) => c.data.rowsOf(o)) : null, accept);
    // A few owners' rows are cheaper to scan than the graph is to search, and the scan is exact.
    if (!c.index || c.graph !== 'ready' || c.data.size <= this.annThreshold || eligible <= this.annThreshold) return exact();
    // The graph knows no filter: ask for enough candidates that about `searchList` of them pass it.
    const wanted = Math.ceil((Math.max(k, c.searchList) * c.data.size) / eligible);
    // A search that would ask the graph for most of the collection scans instead, as cheaply and exactly: a graph
    // can leave an outlier unreachable (seen with a small multi-threaded build), and a filter can hide the best rows.
    // So does a filtered search asking for more rows than its allow-list has.
    const most = wanted >= c.data.size / 2;
    const selective = accept !== null && owners !== null && eligible <= wanted;
    if (wanted > MAX_CANDIDATES || most || selective) return exact();
    const scored: ScoredRow[] = [];
    for (const row of c.index.search(query, wanted)) {
      if (c.data.idAt(row) === undefined || (accept && !accept(row))) continue;
      scored.push({ row, score: c.data.dot(row, query) });
    }
    // Too few candidates passed the filter: only a scan can guarantee the k best of what the filter allows.
    if (scored.length < Math.min(k, eligible)) return exact();
    return scored.sort((a, b) => b.score - a.score).slice(0, k);
  }

  private async load(name: string, dimension: number): Promise<OpenCollection> {
    const started = Date.now();
    const data = new VectorCollection(dimension);
    data.preallocate(await this.repo.count({ where: { collection: name } }));
    const saved = this.readSnapshot(name, dimension);
    if (saved) data.reserve(saved.rows);
    const fresh: number[] = [];
    for (let after = ''; ; ) {
      const page = await this.repo.find({ where: { collection: name, id: MoreThan(after) }, order: { id: 'ASC' }, take: LOAD_PAGE });
      for (const e of page) {
        const unit = normalized(decodeVector(e.vector));
        if (unit.length !== dimension) {
          throw new Error(`vector collection "${name}" holds vectors of dimension ${unit.length}, not ${dimension}`);
        }
        const kept = saved?.rowOf.get(e.id);
        const at = kept !== undefined && saved?.matches(kept, unit) ? kept : undefined;
        const row = data.put(e.id, e.owner, unit, e.payload ?? {}, at);
        if (at === undefined) fresh.push(row);
      }
      if (page.length < LOAD_PAGE) break;
      after = page[page.length - 1].id;
    }
    const stale = data.reclaimEmpty();
    const c: OpenCollection = { data, index: null, graph: 'none', searchList: this.params.expansionSearch, building: Promise.resolve(), writes: Promise.resolve() };
    // Past half new, patching a saved graph costs more than building anew, and leaves it full of tombstones.
    if (saved && data.size > this.annThreshold && fresh.length <= data.size / 2) this.restoreIndex(name, c, saved, stale, fresh);
    else this.startIndexIfNeeded(name, c);
    this.logger.log(`collection ${name}: ${data.size} vectors loaded in ${Date.now() - started} ms`);
    return c;
  }

  /** Loads the saved graph, drops the keys whose vectors are gone or changed, and adds the new ones in the background. */
  private restoreIndex(name: string, c: OpenCollection, saved: SavedIndex, stale: number[], fresh: number[]): void {
    const index = new HnswIndex(c.data.dimension, this.params);
    try {
      index.load(saved.indexPath);
    } catch (err) {
      this.logger.warn(`collection ${name}: saved HNSW index unusable (${(err as Error).message}), rebuilding`);
      return this.startIndexIfNeeded(name, c);
    }
    index.remove(stale);
    this.runBuild(name, c, index, fresh, stale.length + fresh.length > 0);
  }

  private startIndexIfNeeded(name: string, c: OpenCollection): void {
    if (c.index || c.data.size <= this.annThreshold) return;
    const rows: number[] = [];
    for (let row = 0; row < c.data.rowCount; row++) if (c.data.idAt(row) !== undefined) rows.push(row);
    this.runBuild(name, c, new HnswIndex(c.data.dimension, this.params), rows, true);
  }

  private runBuild(name: string, c: OpenCollection, index: HnswIndex, rows: number[], save: boolean): void {
    const started = Date.now();
    c.index = index;
    c.graph = 'building';
    c.building = index
      .build(rows, c.data, () => c.index !== index)
      .then(async () => {
        if (c.index !== index) return;
        // Queued behind the writes in flight, so the file never holds a graph that a write is half-way through.
        if (save) await this.write(c, async () => this.saveSnapshot(name, index, c.data));
        const ef = this.params.expansionSearch;
        const list = await calibrateSearchList(index, c.data, [ef, 2 * ef, 4 * ef]);
        if (c.index !== index) return;
        const took = `${index.size} vectors in ${Date.now() - started} ms`;
        if (list === null) {
          c.graph = 'rejected';
          this.logger.warn(`collection ${name}: HNSW index of ${took} finds < ${MIN_GRAPH_RECALL} of the exact top 10; searches stay exact`);
        } else {
          c.graph = 'ready';
          c.searchList = list;
          this.logger.log(`collection ${name}: HNSW index of ${took} ready, search list ${list}`);
        }
      })
      .catch((err: Error) => {
        // Searches stay exact (correct, slower) rather than failing.
        this.logger.error(`collection ${name}: HNSW build failed: ${err.message}`);
        if (c.index === index) {
          c.index = null;
          c.graph = 'none';
        }
      });
  }

  private readSnapshot(name: string, dimension: number): SavedIndex | null {
    try {
      return this.snapshots?.read(name, dimension, this.params) ?? null;
    } catch (err) {
      this.logger.warn(`collection ${name}: saved HNSW index unreadable (${(err as Error).message}), rebuilding`);
      return null;
    }
  }

  /** A failed save costs the next start a rebuild, nothing more: the graph in memory stays in use. */
  private saveSnapshot(name: string, index: HnswIndex, data: VectorCollection): void {
    if (!this.snapshots) return;
    try {
      this.snapshots.save(name, index, data);
    } catch (err) {
      this.logger.warn(`collection ${name}: could not save the HNSW index (${(err as Error).message})`);
    }
  }

  private forget(c: OpenCollection, ids: string[]): void {
    const rows = ids.map((id) => c.data.remove(id)).filter((row): row is number => row !== undefined);
    c.index?.remove(rows);
  }

  private write(c: OpenCollection, task: () => Promise<void>): Promise<void> {
    const run = c.writes.then(task);
    c.writes = run.catch(() => undefined);
    return run;
  }

  private async collection(name: string): Promise<OpenCollection> {
    const opening = this.open.get(name);
    if (!opening) throw new Error(`vector collection "${name}" is not open: call ensureCollection first`);
    return opening;
  }

  private checkDimension(name: string, c: OpenCollection, vector: Float32Array): void {
    if (vector.length !== c.data.dimension) {
      throw new Error(`vector collection "${name}" has dimension ${c.data.dimension}, got a vector of ${vector.length}`);
    }
  }
}
