/** A vector of one record (an agent); `owner` lets all of a record's vectors be filtered or removed together. */
export interface VectorPoint {
  id: string;
  owner: string;
  vector: Float32Array;
  payload?: Record<string, string | number | boolean>;
}

export interface VectorFilter {
  /** Only vectors of these owners. */
  owners?: string[];
  /** Never vectors of these owners. */
  excludeOwners?: string[];
}

export interface VectorHit {
  id: string;
  owner: string;
  /** Cosine similarity. */
  score: number;
  payload: Record<string, string | number | boolean>;
}

/** Where embeddings live: in-process (embedded, default) or a Qdrant server. Same contract, same tests. */
export interface VectorStore {
  readonly kind: 'embedded' | 'qdrant';
  ensureCollection(name: string, dimension: number): Promise<void>;
  upsert(collection: string, points: VectorPoint[]): Promise<void>;
  delete(collection: string, ids: string[]): Promise<void>;
  deleteOwner(collection: string, owner: string): Promise<void>;
  /** Best first, at most `k`. */
  search(collection: string, vector: Float32Array, k: number, filter?: VectorFilter): Promise<VectorHit[]>;
  count(collection: string): Promise<number>;
  /**
   * Another node changed this owner's vectors in the shared store: bring what this node holds in memory in step
   * (a store that keeps nothing in memory, as Qdrant, has nothing to do).
   */
  reloadOwner(collection: string, owner: string): Promise<void>;
}

export const VECTOR_STORE = Symbol('VECTOR_STORE');

/** Collections are named per model and dimension, so a model change never mixes incompatible vectors. */
export function collectionName(modelId: string, dimension: number): string {
  return `agents_${modelId.toLowerCase().replace(/[^a-z0-9]+/g, '_').replace(/^_|_$/g, '')}_${dimension}`;
}
