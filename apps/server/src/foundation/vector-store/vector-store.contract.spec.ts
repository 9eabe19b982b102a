import { Logger } from '@nestjs/common';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { QdrantClient } from '@qdrant/js-client-rest';
import { DataSource } from 'typeorm';
import { FakeQdrantServer } from '../../../../../test/doubles/fake-qdrant.server';
import { EmbeddedVectorStore, EmbeddedVectorStoreOptions } from './embedded-vector-store';
import { QdrantVectorStore } from './qdrant-vector-store';
import { VectorEntity } from './vector.entity';
import { VectorPoint, VectorStore } from './vector-store.port';

interface Harness {
  store: VectorStore;
  close(): Promise<void>;
}

// Load and build progress lines are for operators, not for test output.
beforeAll(() => Logger.overrideLogger(false));

const v = (...xs: number[]) => new Float32Array(xs);
const ids = (hits: { id: string }[]) => hits.map((h) => h.id);
let collections = 0;
/** Unique per test: a live Qdrant keeps collections between runs. */
const freshName = () => `contract_${process.pid}_${Date.now()}_${collections++}`;

/** The behaviour every VectorStore owes its callers, whatever holds the vectors. */
function vectorStoreContract(open: () => Promise<Harness>): void {
  let h: Harness;
  let name: string;
  const point = (id: string, owner: string, vector: Float32Array, payload = {}): VectorPoint => ({ id, owner, vector, payload });

  beforeEach(async () => {
    h = await open();
    name = freshName();
    await h.store.ensureCollection(name, 4);
  });
  afterEach(() => h.close());

  it('ranks the nearest first, with cosine similarity as the score and the payload attached', async () => {
    await h.store.upsert(name, [
      point('far', 'o1', v(-1, 0, 0, 0)),
      point('side', 'o1', v(0, 3, 0, 0)),
      point('diag', 'o2', v(1, 1, 0, 0), { field: 'skills' }),
      point('same', 'o2', v(5, 0, 0, 0), { field: 'name', rank: 2, on: true }),
    ]);
    const hits = await h.store.search(name, v(2, 0, 0, 0), 10);
    expect(ids(hits)).toEqual(['same', 'diag', 'side', 'far']);
    expect(hits.map((x) => x.score)).toEqual([expect.closeTo(1, 5), expect.closeTo(Math.SQRT1_2, 5), expect.closeTo(0, 5), expect.closeTo(-1, 5)]);
    expect(hits[0]).toMatchObject({ owner: 'o2', payload: { field: 'name', rank: 2, on: true } });
  });

  it('replaces a vector, its owner and its payload on re-upsert', async () => {
    await h.store.upsert(name, [point('a', 'o1', v(1, 0, 0, 0), { field: 'old' }), point('b', 'o1', v(1, 1, 0, 0))]);
    await h.store.upsert(name, [point('a', 'o2', v(0, 0, 1, 0), { field: 'new' })]);
    const [top] = await h.store.search(name, v(0, 0, 1, 0), 1);
    expect(top).toMatchObject({ id: 'a', owner: 'o2', payload: { field: 'new' }, score: expect.closeTo(1, 5) });
    expect(ids(await h.store.search(name, v(1, 0, 0, 0), 2))).toEqual(['b', 'a']);
    expect(await h.store.count(name)).toBe(2);
  });

  it('deletes by id, ignoring ids it does not hold', async () => {
    await h.store.upsert(name, [point('a', 'o1', v(1, 0, 0, 0)), point('b', 'o1', v(0, 1, 0, 0))]);
    await h.store.delete(name, ['a', 'never-stored']);
    expect(ids(await h.store.search(name, v(1, 0, 0, 0), 10))).toEqual(['b']);
    expect(await h.store.count(name)).toBe(1);
  });

  it('deletes every vector of an owner and nothing else', async () => {
    await h.store.upsert(name, [
      point('a1', 'a', v(1, 0, 0, 0)),
      point('a2', 'a', v(0, 1, 0, 0)),
      point('a3', 'a', v(0, 0, 1, 0)),
      point('b1', 'b', v(1, 1, 0, 0)),
    ]);
    await h.store.deleteOwner(name, 'a');
    expect(ids(await h.store.search(name, v(1, 0, 0, 0), 10))).toEqual(['b1']);
    expect(await h.store.count(name)).toBe(1);
  });

  it('keeps only the listed owners, and drops the excluded ones', async () => {
    await h.store.upsert(name, [
      point('a1', 'a', v(1, 0, 0, 0)),
      point('b1', 'b', v(1, 0.1, 0, 0)),
      point('c1', 'c', v(1, 0.2, 0, 0)),
      point('c2', 'c', v(0, 1, 0, 0)),
    ]);
    const q = v(1, 0, 0, 0);
    expect(ids(await h.store.search(name, q, 10, { owners: ['c', 'nobody'] }))).toEqual(['c1', 'c2']);
    expect(ids(await h.store.search(name, q, 10, { excludeOwners: ['a', 'c'] }))).toEqual(['b1']);
    expect(ids(await h.store.search(name, q, 10, { owners: ['a', 'b'], excludeOwners: ['a'] }))).toEqual(['b1']);
    expect(await h.store.search(name, q, 10, { owners: [] })).toEqual([]);
  });

  it('finds the best of a few allowed owners even when they are far from the query', async () => {
    // 300 vectors crowd around the query; the 12 allowed ones sit at the opposite pole, so an approximate search
    // that filters afterwards finds none of them among its candidates and must fall back to an exact scan.
    const crowd = Array.from({ length: 300 }, (_, i) => point(`crowd${i}`, `crowd${i % 30}`, v(1, (i % 17) / 40, (i % 13) / 40, (i % 7) / 40)));
    const rare = Array.from({ length: 12 }, (_, i) => point(`rare${i}`, `rare${i % 3}`, v(-1, i / 20, 0, 0)));
    await h.store.upsert(name, [...crowd, ...rare]);
    const hits = await h.store.search(name, v(1, 0, 0, 0), 5, { owners: ['rare0', 'rare1', 'rare2'] });
    // Nearest to +x among the rare ones: the largest y component, i.e. the highest index.
    expect(ids(hits)).toEqual(['rare11', 'rare10', 'rare9', 'rare8', 'rare7']);
    const notCrowd = await h.store.search(name, v(1, 0, 0, 0), 3, { excludeOwners: Array.from({ length: 30 }, (_, i) => `crowd${i}`) });
    expect(ids(notCrowd)).toEqual(['rare11', 'rare10', 'rare9']);
  });

  it('returns at most k hits, and none for k = 0', async () => {
    await h.store.upsert(name, Array.from({ length: 6 }, (_, i) => point(`p${i}`, 'o', v(1, i, 0, 0))));
    expect(await h.store.search(name, v(1, 0, 0, 0), 2)).toHaveLength(2);
    expect(await h.store.search(name, v(1, 0, 0, 0), 50)).toHaveLength(6);
    expect(await h.store.search(name, v(1, 0, 0, 0), 0)).toEqual([]);
  });

  it('counts the vectors of a collection', async () => {
    expect(await h.store.count(name)).toBe(0);
    await h.store.upsert(name, [point('a', 'o', v(1, 0, 0, 0)), point('b', 'o', v(0, 1, 0, 0)), point('a', 'o', v(0, 0, 1, 0))]);
    expect(await h.store.count(name)).toBe(2);
  });

  it('rejects a dimension that does not match the collection', async () => {
    await expect(h.store.ensureCollection(name, 5)).rejects.toThrow(/dimension/);
    await expect(h.store.upsert(name, [point('a', 'o', v(1, 0, 0))])).rejects.toThrow(/dimension/);
    await expect(h.store.search(name, v(1, 0), 3)).rejects.toThrow(/dimension/);
    await h.store.ensureCollection(name, 4);
  });

  it('returns nothing from an empty collection, and rejects one that was never ensured', async () => {
    expect(await h.store.search(name, v(1, 0, 0, 0), 10)).toEqual([]);
    await expect(h.store.search(freshName(), v(1, 0, 0, 0), 10)).rejects.toThrow(/ensureCollection/);
  });
}

/** Waits out background graph builds after each write, so that searches take the HNSW path when it is meant to. */
class SettledEmbeddedStore extends EmbeddedVectorStore {
  async upsert(name: string, points: VectorPoint[]): Promise<void> {
    await super.upsert(name, points);
    await this.indexed(name);
  }
}

async function openSqlite(file: string): Promise<DataSource> {
  return new DataSource({ type: 'better-sqlite3', database: file, entities: [VectorEntity], synchronize: true }).initialize();
}

function embedded(options: EmbeddedVectorStoreOptions): () => Promise<Harness> {
  return async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ioa-vectors-'));
    const db = await openSqlite(join(dir, 'ioa.sqlite'));
    const store = new SettledEmbeddedStore(db.getRepository(VectorEntity), options);
    return { store, close: async () => (await db.destroy(), rmSync(dir, { recursive: true, force: true })) };
  };
}

describe('EmbeddedVectorStore on SQLite, exact scan', () => vectorStoreContract(embedded({})));

describe('EmbeddedVectorStore on SQLite, HNSW path (tiny annThreshold)', () => {
  vectorStoreContract(embedded({ annThreshold: 2, hnsw: { expansionSearch: 10 } }));

  it('searches through the graph once the collection is past the threshold', async () => {
    const { store, close } = await embedded({ annThreshold: 8 })();
    const s = store as EmbeddedVectorStore;
    await s.ensureCollection('c', 4);
    await s.upsert('c', Array.from({ length: 8 }, (_, i) => ({ id: `p${i}`, owner: 'o', vector: v(1, i, 0, 0) })));
    expect(await s.indexStatus('c')).toBe('exact');
    await s.upsert('c', [{ id: 'p8', owner: 'o', vector: v(0, 0, 1, 0) }]);
    expect(await s.indexStatus('c')).toBe('ready');
    expect(ids(await s.search('c', v(0, 0, 1, 0), 1))).toEqual(['p8']);
    await close();
  });
});

describe('EmbeddedVectorStore restart', () => {
  it('finds the stored vectors again after ensureCollection on a new instance over the same database file', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ioa-vectors-'));
    const file = join(dir, 'ioa.sqlite');
    const first = await openSqlite(file);
    const before = new EmbeddedVectorStore(first.getRepository(VectorEntity), { annThreshold: 8 });
    await before.ensureCollection('c', 4);
    await before.upsert('c', Array.from({ length: 20 }, (_, i) => ({ id: `p${i}`, owner: `o${i % 4}`, vector: v(1, i, i % 3, 0), payload: { i } })));
    await before.deleteOwner('c', 'o3');
    await before.indexed('c');
    await first.destroy();

    const second = await openSqlite(file);
    const after = new EmbeddedVectorStore(second.getRepository(VectorEntity), { annThreshold: 8 });
    await expect(after.search('c', v(1, 0, 0, 0), 3)).rejects.toThrow(/ensureCollection/);
    await after.ensureCollection('c', 4);
    await after.indexed('c');
    expect(await after.count('c')).toBe(15);
    const [top] = await after.search('c', v(1, 5, 2, 0), 1, { excludeOwners: ['o0'] });
    expect(top).toMatchObject({ id: 'p5', owner: 'o1', payload: { i: 5 }, score: expect.closeTo(1, 5) });
    await expect(after.ensureCollection('c', 3)).rejects.toThrow(/dimension/);
    const third = new EmbeddedVectorStore(second.getRepository(VectorEntity));
    await expect(third.ensureCollection('c', 3)).rejects.toThrow(/holds vectors of dimension 4/);
    await second.destroy();
    rmSync(dir, { recursive: true, force: true });
  });
});

describe(process.env.IOA_QDRANT_URL ? 'QdrantVectorStore against Qdrant at IOA_QDRANT_URL' : 'QdrantVectorStore against the Qdrant test double', () => {
  const live = process.env.IOA_QDRANT_URL;
  let fake: FakeQdrantServer | null = null;

  vectorStoreContract(async () => {
    const url = live ?? (await (fake = new FakeQdrantServer()).start());
    const store = new QdrantVectorStore(url);
    return {
      store,
      close: async () => {
        if (fake) return fake.stop();
        const client = new QdrantClient({ url, checkCompatibility: false });
        const { collections: all } = await client.getCollections();
        for (const c of all.filter((c) => c.name.startsWith(`contract_${process.pid}_`))) await client.deleteCollection(c.name);
      },
    };
  });
});
