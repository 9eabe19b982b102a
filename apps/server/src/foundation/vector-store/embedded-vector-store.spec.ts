import { Logger } from '@nestjs/common';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DataSource } from 'typeorm';
import { EmbeddedVectorStore, EmbeddedVectorStoreOptions } from './embedded-vector-store';
import { HnswIndex } from './hnsw-index';
import { VectorEntity } from './vector.entity';
import { VectorFilter, VectorPoint } from './vector-store.port';

// What the shared contract (vector-store.contract.spec.ts) cannot see: the saved graph, ordering of concurrent
// writes, and the approximate path's guarantees on data large enough for the graph to matter.

// Load and build progress lines are for operators, not for test output.
beforeAll(() => Logger.overrideLogger(false));

const DIM = 8;

/** Deterministic pseudo-random numbers, so a failure reproduces. */
function random(seed: number): () => number {
  let s = seed >>> 0;
  return () => ((s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 2 ** 32);
}

function randomPoints(n: number, owners: number, seed: number): VectorPoint[] {
  const next = random(seed);
  return Array.from({ length: n }, (_, i) => ({
    id: `p${i}`,
    owner: `o${i % owners}`,
    vector: Float32Array.from({ length: DIM }, () => next() * 2 - 1),
  }));
}

function cosine(a: Float32Array, b: Float32Array): number {
  let dot = 0;
  let na = 0;
  let nb = 0;
  for (let i = 0; i < a.length; i++) {
    dot += a[i] * b[i];
    na += a[i] * a[i];
    nb += b[i] * b[i];
  }
  return dot / Math.sqrt(na * nb);
}

describe('EmbeddedVectorStore internals', () => {
  let dir: string;
  let sources: DataSource[];

  const open = async (options: EmbeddedVectorStoreOptions = {}) => {
    const db = await new DataSource({ type: 'better-sqlite3', database: join(dir, 'ioa.sqlite'), entities: [VectorEntity], synchronize: true }).initialize();
    sources.push(db);
    return new EmbeddedVectorStore(db.getRepository(VectorEntity), options);
  };

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'ioa-vectors-'));
    sources = [];
  });
  afterEach(async () => {
    jest.restoreAllMocks();
    for (const db of sources) if (db.isInitialized) await db.destroy();
    rmSync(dir, { recursive: true, force: true });
  });

  it('brings one owner in step with what another store (another node) wrote to the shared table', async () => {
    const [mine, theirs] = [await open(), await open()];
    for (const store of [mine, theirs]) await store.ensureCollection('c', DIM);
    const [kept, changed] = randomPoints(2, 2, 5);
    await mine.upsert('c', [kept]);
    await theirs.upsert('c', [changed]);
    expect(await mine.count('c')).toBe(1);

    await mine.reloadOwner('c', changed.owner);
    expect((await mine.search('c', changed.vector, 1))[0]).toMatchObject({ id: changed.id, owner: changed.owner });
    // A new vector replaces the owner's old ones; an owner deleted elsewhere leaves nothing behind.
    await theirs.deleteOwner('c', changed.owner);
    await theirs.upsert('c', [{ ...changed, id: 'renamed' }]);
    await mine.reloadOwner('c', changed.owner);
    expect((await mine.search('c', changed.vector, 2, { owners: [changed.owner] })).map((h) => h.id)).toEqual(['renamed']);
    await theirs.deleteOwner('c', changed.owner);
    await mine.reloadOwner('c', changed.owner);
    expect(await mine.count('c')).toBe(1);
    expect((await mine.search('c', kept.vector, 1))[0].id).toBe(kept.id);
  });

  it('returns only allowed owners with exact scores, and nearly the exact top-k, through the graph', async () => {
    const store = await open({ annThreshold: 50, hnsw: { expansionSearch: 24 } });
    await store.ensureCollection('c', DIM);
    const points = randomPoints(3000, 60, 7);
    await store.upsert('c', points);
    await store.indexed('c');
    expect(await store.indexStatus('c')).toBe('ready');

    const next = random(11);
    let found = 0;
    let expected = 0;
    for (let q = 0; q < 40; q++) {
      const query = Float32Array.from({ length: DIM }, () => next() * 2 - 1);
      const owners = Array.from({ length: 60 }, (_, i) => `o${i}`).filter(() => next() < 0.5);
      const filter: VectorFilter = q % 3 === 0 ? {} : q % 3 === 1 ? { owners } : { excludeOwners: owners };
      const allowed = (owner: string) => (filter.owners ? filter.owners.includes(owner) : !filter.excludeOwners?.includes(owner));
      const truth = points
        .filter((p) => allowed(p.owner))
        .map((p) => ({ id: p.id, score: cosine(p.vector, query) }))
        .sort((a, b) => b.score - a.score)
        .slice(0, 10);
      const hits = await store.search('c', query, 10, filter);
      expect(hits).toHaveLength(10);
      for (const [i, hit] of hits.entries()) {
        expect(allowed(hit.owner)).toBe(true);
        expect(hit.score).toBeCloseTo(cosine(points[Number(hit.id.slice(1))].vector, query), 5);
        if (i > 0) expect(hit.score).toBeLessThanOrEqual(hits[i - 1].score);
      }
      const truthIds = new Set(truth.map((t) => t.id));
      found += hits.filter((h) => truthIds.has(h.id)).length;
      expected += truth.length;
    }
    expect(found / expected).toBeGreaterThanOrEqual(0.95);
  });

  it('keeps searches exact when calibration shows the graph missing true neighbours (structureless vectors)', async () => {
    const store = await open({ annThreshold: 100, hnsw: { connectivity: 2, expansionAdd: 4, expansionSearch: 4 } });
    await store.ensureCollection('c', 256);
    const next = random(5);
    const gauss = () => Math.sqrt(-2 * Math.log(next() + 1e-12)) * Math.cos(2 * Math.PI * next());
    const points = Array.from({ length: 2000 }, (_, i) => ({ id: `p${i}`, owner: 'o', vector: Float32Array.from({ length: 256 }, gauss) }));
    await store.upsert('c', points);
    await store.indexed('c');
    expect(await store.indexStatus('c')).toBe('exact');
    const query = points[0].vector.map((x, i) => x + points[1].vector[i]);
    const truth = points.map((p) => ({ id: p.id, score: cosine(p.vector, query) })).sort((a, b) => b.score - a.score);
    expect((await store.search('c', query, 10)).map((h) => h.id)).toEqual(truth.slice(0, 10).map((t) => t.id));
  });

  it('applies concurrent writes to one collection in call order, in memory and in the database alike', async () => {
    const store = await open();
    await store.ensureCollection('c', 2);
    const p = (id: string, x: number): VectorPoint => ({ id, owner: 'o', vector: Float32Array.of(x, 1) });
    await Promise.all([
      store.upsert('c', [p('a', 1), p('b', 2)]),
      store.deleteOwner('c', 'o'),
      store.upsert('c', [p('c', 3)]),
      store.delete('c', ['c']),
      store.upsert('c', [p('d', 4), p('d', 5)]),
    ]);
    const hits = await store.search('c', Float32Array.of(5, 1), 10);
    expect(hits.map((h) => [h.id, h.score])).toEqual([['d', expect.closeTo(1, 5)]]);
    const reopened = await open();
    await reopened.ensureCollection('c', 2);
    expect((await reopened.search('c', Float32Array.of(5, 1), 10)).map((h) => h.id)).toEqual(['d']);
  });

  it('restores a saved graph at start-up and patches in what changed in the database since', async () => {
    const indexDir = join(dir, 'index');
    // A search list of 40 keeps searches of 200 rows on the graph (a list of half the rows or more scans instead).
    const hnsw = { expansionSearch: 40 };
    const first = await open({ annThreshold: 20, indexDir, hnsw });
    await first.ensureCollection('c', DIM);
    const points = randomPoints(200, 10, 3);
    await first.upsert('c', points);
    await first.indexed('c');
    expect(readdirSync(indexDir).filter((f) => f.endsWith('.usearch'))).toHaveLength(1);
    // Not saved by the first store: changes after its build, which the next start must reconcile.
    const moved = Float32Array.from({ length: DIM }, (_, i) => (i === 0 ? 1 : 0));
    await first.upsert('c', [{ id: 'p0', owner: 'o0', vector: moved }, { id: 'new', owner: 'o1', vector: points[5].vector }]);
    await first.delete('c', ['p1']);

    const load = jest.spyOn(HnswIndex.prototype, 'load');
    const second = await open({ annThreshold: 20, indexDir, hnsw });
    await second.ensureCollection('c', DIM);
    await second.indexed('c');
    expect(load).toHaveBeenCalledTimes(1);
    expect(await second.indexStatus('c')).toBe('ready');
    expect(await second.count('c')).toBe(200);
    expect((await second.search('c', moved, 1))[0]).toMatchObject({ id: 'p0', score: expect.closeTo(1, 5) });
    expect((await second.search('c', points[1].vector, 200)).map((h) => h.id)).not.toContain('p1');
    expect((await second.search('c', points[5].vector, 2)).map((h) => h.id).sort()).toEqual(['new', 'p5']);
    expect(readdirSync(indexDir).filter((f) => f.endsWith('.usearch'))).toHaveLength(1);

    // A graph built with other parameters is not reused, and the store still answers correctly (its default list of
    // 160 is most of 200 rows: it scans, which once mattered when a fresh M=8 graph left p0 unreachable).
    load.mockClear();
    const third = await open({ annThreshold: 20, indexDir, hnsw: { connectivity: 8 } });
    await third.ensureCollection('c', DIM);
    await third.indexed('c');
    expect(load).not.toHaveBeenCalled();
    expect(await third.indexStatus('c')).toBe('ready');
    expect((await third.search('c', moved, 1))[0].id).toBe('p0');
  });
});
