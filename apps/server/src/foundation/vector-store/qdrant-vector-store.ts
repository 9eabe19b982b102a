import { createHash } from 'node:crypto';
import { QdrantClient } from '@qdrant/js-client-rest';
import { VectorFilter, VectorHit, VectorPoint, VectorStore } from './vector-store.port';

type Payload = Record<string, string | number | boolean>;
type QdrantFilter = { must?: object[]; must_not?: object[] };

/** What a point carries in Qdrant: the caller's id and payload nested, so no payload key can shadow `owner`. */
interface StoredPayload {
  id: string;
  owner: string;
  payload: Payload;
}

/** Points per upsert request: keeps a request body around a megabyte at 384 dimensions. */
const UPSERT_CHUNK = 256;

export interface QdrantVectorStoreOptions {
  apiKey?: string;
  /** The client asks the server's version at construction; off where that request would only add noise. */
  checkCompatibility?: boolean;
}

/**
 * Vectors in a Qdrant server: the store for deployments that outgrow one process' memory or share an index
 * between server nodes. Same contract (and same tests) as the embedded store.
 */
export class QdrantVectorStore implements VectorStore {
  readonly kind = 'qdrant' as const;
  private readonly client: QdrantClient;
  private readonly dimensions = new Map<string, number>();

  constructor(url: string, options: QdrantVectorStoreOptions = {}) {
    this.client = new QdrantClient({ url, apiKey: options.apiKey, checkCompatibility: options.checkCompatibility ?? true });
  }

  async ensureCollection(name: string, dimension: number): Promise<void> {
    if (!Number.isInteger(dimension) || dimension <= 0) throw new Error(`vector dimension must be a positive integer, got ${dimension}`);
    if (!(await this.client.collectionExists(name)).exists) {
      try {
        await this.client.createCollection(name, { vectors: { size: dimension, distance: 'Cosine' } });
      } catch (err) {
        // Another server node may have created it meanwhile; the checks below then apply to theirs.
        if (!(await this.client.collectionExists(name)).exists) throw err;
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

  async upsert(name: string, points: VectorPoint[]): Promise<void> {
    const dimension = await this.dimensionOf(name);
    for (const p of points) {
      if (!p.id) throw new Error(`vector ids must be non-empty (collection "${name}")`);
      checkDimension(name, dimension, p.vector);
    }
    const unique = [...new Map(points.map((p) => [p.id, p])).values()];
    for (let i = 0; i < unique.length; i += UPSERT_CHUNK) {
      await this.client.upsert(name, {
        wait: true,
        points: unique.slice(i, i + UPSERT_CHUNK).map((p) => ({
          id: pointId(name, p.id),
          vector: Array.from(p.vector),
          payload: { id: p.id, owner: p.owner, payload: p.payload ?? {} } satisfies StoredPayload,
        })),
      });
    }
  }

  async delete(name: string, ids: string[]): Promise<void> {
    await this.dimensionOf(name);
    if (ids.length === 0) return;
    await this.client.delete(name, { wait: true, points: ids.map((id) => pointId(name, id)) });
  }

  async deleteOwner(name: string, owner: string): Promise<void> {
    await this.dimensionOf(name);
    await this.client.delete(name, { wait: true, filter: { must: [{ key: 'owner', match: { value: owner } }] } });
  }

  async search(name: string, vector: Float32Array, k: number, filter: VectorFilter = {}): Promise<VectorHit[]> {
    checkDimension(name, await this.dimensionOf(name), vector);
    const limit = Math.floor(k);
    // An empty allow-list allows nothing; Qdrant would read `any: []` as no condition at all.
    if (limit <= 0 || filter.owners?.length === 0) return [];
    const result = await this.client.query(name, {
      query: Array.from(vector),
      limit,
      filter: toQdrantFilter(filter),
      with_payload: true,
    });
    return result.points.map((p) => {
      const stored = p.payload as unknown as StoredPayload;
      return { id: stored.id, owner: stored.owner, score: p.score, payload: stored.payload ?? {} };
    });
  }

  /** Every node reads the same Qdrant: nothing is held here to bring in step. */
  async reloadOwner(): Promise<void> {}

  async count(name: string): Promise<number> {
    await this.dimensionOf(name);
    return (await this.client.count(name, { exact: true })).count;
  }

  /** Known after `ensureCollection`; otherwise asked of the server, so that a missing collection fails clearly. */
  private async dimensionOf(name: string): Promise<number> {
    const known = this.dimensions.get(name);
    if (known !== undefined) return known;
    if (!(await this.client.collectionExists(name)).exists) {
      throw new Error(`vector collection "${name}" does not exist: call ensureCollection first`);
    }
    const params = vectorParams((await this.client.getCollection(name)).config.params.vectors);
    if (!params) throw new Error(`Qdrant collection "${name}" uses named vectors, which this store does not`);
    this.dimensions.set(name, params.size);
    return params.size;
  }
}

/**
 * Qdrant accepts only unsigned integers and UUIDs as point ids: derive a UUID from a SHA-1 of collection and id
 * (laid out as a version-5 UUID), so the same string id always addresses the same point.
 */
export function pointId(collection: string, id: string): string {
  const h = createHash('sha1').update(collection).update('\0').update(id).digest();
  h[6] = (h[6] & 0x0f) | 0x50;
  h[8] = (h[8] & 0x3f) | 0x80;
  const hex = h.subarray(0, 16).toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

function toQdrantFilter(filter: VectorFilter): QdrantFilter | undefined {
  const out: QdrantFilter = {};
  if (filter.owners) out.must = [{ key: 'owner', match: { any: filter.owners } }];
  if (filter.excludeOwners?.length) out.must_not = [{ key: 'owner', match: { any: filter.excludeOwners } }];
  return out.must || out.must_not ? out : undefined;
}

function vectorParams(vectors: unknown): { size: number; distance: string } | null {
  const v = vectors as { size?: unknown; distance?: unknown } | undefined;
  return v && typeof v.size === 'number' && typeof v.distance === 'string' ? { size: v.size, distance: v.distance } : null;
}

function checkDimension(name: string, dimension: number, vector: Float32Array): void {
  if (vector.length !== dimension) {
    throw new Error(`vector collection "${name}" has dimension ${dimension}, got a vector of ${vector.length}`);
  }
}
