import { createHash, randomUUID } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { HnswIndex, HnswParams } from './hnsw-index';
import { fingerprint } from './vector-codec';
import { VectorCollection } from './vector-collection';

interface Manifest {
  format: 1;
  dimension: number;
  params: HnswParams;
  /** The index file this manifest describes; a new file per save, so the manifest rename is the commit point. */
  indexFile: string;
  /** The id stored under each key (= row) of the index, null for an empty row. */
  ids: (string | null)[];
  /** base64 of a Uint32Array: two fingerprint words per row. */
  fingerprints: string;
}

/** What a saved index knew, to decide per vector whether its graph entry can be kept. */
export interface SavedIndex {
  rows: number;
  rowOf: Map<string, number>;
  indexPath: string;
  /** True when the vector now in the database is the one the graph was built with. */
  matches(row: number, unit: Float32Array): boolean;
}

/**
 * Saved HNSW graphs, one per collection, so that a restart does not rebuild (minutes at 500k vectors on two cores)
 * but loads the file and patches in only what changed in the database since: the manifest records, per key, the id
 * and a fingerprint of the vector the graph was built with.
 */
export class HnswSnapshots {
  constructor(private readonly dir: string) {}

  /** The saved index of a collection, or null when there is none usable (absent, other dimension or parameters). */
  read(collection: string, dimension: number, params: HnswParams): SavedIndex | null {
    const manifestPath = this.manifestPath(collection);
    if (!existsSync(manifestPath)) return null;
    const manifest = JSON.parse(readFileSync(manifestPath, 'utf8')) as Manifest;
    const indexPath = join(this.dir, manifest.indexFile);
    if (manifest.format !== 1 || manifest.dimension !== dimension || !sameParams(manifest.params, params)) return null;
    if (!existsSync(indexPath)) return null;
    const bytes = Buffer.from(manifest.fingerprints, 'base64');
    const saved = new Uint32Array(bytes.byteLength / 4);
    new Uint8Array(saved.buffer).set(bytes);
    const rowOf = new Map<string, number>();
    manifest.ids.forEach((id, row) => id !== null && rowOf.set(id, row));
    const probe = new Uint32Array(2);
    return {
      rows: manifest.ids.length,
      rowOf,
      indexPath,
      matches: (row, unit) => {
        fingerprint(unit, probe, 0);
        return probe[0] === saved[row * 2] && probe[1] === saved[row * 2 + 1];
      },
    };
  }

  /** Synchronous on purpose: the graph and the manifest are taken in the same tick, so they describe the same state. */
  save(collection: string, index: HnswIndex, source: VectorCollection): void {
    const rows = source.rowCount;
    const ids: (string | null)[] = new Array(rows);
    const prints = new Uint32Array(rows * 2);
    for (let row = 0; row < rows; row++) {
      const id = source.idAt(row);
      ids[row] = id ?? null;
      if (id !== undefined) fingerprint(source.vectorAt(row), prints, row);
    }
    mkdirSync(this.dir, { recursive: true });
    const indexFile = `${this.baseName(collection)}.${randomUUID()}.usearch`;
    index.save(join(this.dir, indexFile));
    const manifest: Manifest = {
      format: 1,
      dimension: index.dimension,
      params: index.params,
      indexFile,
      ids,
      fingerprints: Buffer.from(prints.buffer).toString('base64'),
    };
    const manifestPath = this.manifestPath(collection);
    writeFileSync(`${manifestPath}.tmp`, JSON.stringify(manifest));
    renameSync(`${manifestPath}.tmp`, manifestPath);
    const base = this.baseName(collection);
    for (const file of readdirSync(this.dir)) {
      if (file !== indexFile && file.startsWith(`${base}.`) && file.endsWith('.usearch')) rmSync(join(this.dir, file), { force: true });
    }
  }

  private manifestPath(collection: string): string {
    return join(this.dir, `${this.baseName(collection)}.manifest.json`);
  }

  /** Readable, yet collision-free for names that differ only in characters a file name cannot hold. */
  private baseName(collection: string): string {
    const hash = createHash('sha1').update(collection).digest('hex').slice(0, 8);
    return `${collection.replace(/[^A-Za-z0-9_-]/g, '_')}-${hash}`;
  }
}

/** The search list is chosen per query, so only the parameters that shaped the graph have to match. */
function sameParams(a: HnswParams, b: HnswParams): boolean {
  return a.connectivity === b.connectivity && a.expansionAdd === b.expansionAdd;
}
