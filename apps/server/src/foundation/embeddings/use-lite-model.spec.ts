/**
 * @jest-environment ./apps/server/src/foundation/embeddings/onnx-jest-environment.js
 */
import { mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { TransformersEmbedder } from './transformers-embedder';
import { USE_LITE_MODEL, useLiteDirectory, writeUseLiteModel } from './use-lite-model';

/**
 * Reference values computed once with TensorFlow.js itself (tfjs-core, -converter and -backend-cpu 4.x, with the
 * tokenizer of @tensorflow-models/universal-sentence-encoder) from the same package's model.json and vocab.json:
 * token ids, each vector's first six components, and cosines. Checked once beyond this test: the same token ids as
 * USE's tokenizer on the 1,464 texts of the fixtures, and cosines of at least 0.9999997 with TF.js's vectors on 125.
 */
const REFERENCE = [
  {
    text: 'How much will the IRS want from my freelance income?',
    ids: [728, 165, 49, 9, 16, 4344, 142, 50, 69, 483, 139, 441, 2208, 54],
    head: [-0.01284, -0.048, 0.01365, -0.05366, -0.02072, -0.01432],
  },
  { text: 'Computes income tax owed for a year.', ids: [3329, 2021, 7, 2208, 1189, 6652, 29, 22, 11, 182, 6], head: [-0.06064, 0.03222, -0.02309, 0.00968, -0.03045, -0.00269] },
  {
    text: 'Should I pack an umbrella for Edinburgh on Saturday?',
    ids: [5719, 16, 2284, 58, 384, 730, 53, 2658, 22, 2803, 97, 2470, 162, 25, 1784, 54],
    head: [0.01788, 0.04878, -0.06056, -0.06489, -0.00548, 0.01207],
  },
  // Double space, accents, a character outside the vocabulary (id 0) and digits.
  { text: 'Naïve  café: ☃ 1.e4 c5', ids: [692, 0, 105, 30, 976, 209, 1133, 57, 30, 0, 1109, 59, 477, 598, 411], head: [0.02838, 0.019, -0.05219, 0.01984, -0.05846, -0.00064] },
];

const dot = (a: Float32Array, b: Float32Array): number => a.reduce((s, x, i) => s + x * b[i], 0);

describe('USE Lite converted from its npm package into a transformers.js model', () => {
  let root: string;
  let modelsDir: string;
  let embedder: TransformersEmbedder;

  beforeAll(async () => {
    root = await mkdtemp(join(tmpdir(), 'ioa-use-lite-'));
    modelsDir = join(root, 'models');
    await writeUseLiteModel(useLiteDirectory(modelsDir));
    embedder = await TransformersEmbedder.load({ model: USE_LITE_MODEL, modelsDir, allowRemote: false, batchSize: 2 });
  });

  afterAll(async () => {
    await embedder?.dispose();
    await rm(root, { recursive: true, force: true });
  });

  it('tokenizes as USE does', async () => {
    const { AutoTokenizer } = await import('@huggingface/transformers');
    const tokenizer = await AutoTokenizer.from_pretrained(useLiteDirectory(modelsDir), { local_files_only: true });
    for (const r of REFERENCE) expect(tokenizer.encode(r.text)).toEqual(r.ids);
    // A leading space is a "▁" piece of its own (30); the reserved pieces <s> and </s> (ids 1, 2) never come out.
    expect(tokenizer.encode(' leading space')).toEqual([30, 2428, 1016]);
    expect(tokenizer.encode('HTML <s>strike</s> tags').some((id: number) => id >= 1 && id <= 5)).toBe(false);
  });

  it('gives every text a unit vector, blank or past the 128 tokens USE reads, and the empty text zeros', async () => {
    const long = Array.from({ length: 200 }, (_, i) => `word${i}`).join(' ');
    const [empty, spaces, whole, longer] = await embedder.embed(['', '   ', long, `${long} and a different ending`]);
    expect([...empty].every((x) => x === 0)).toBe(true);
    expect(dot(spaces, spaces)).toBeCloseTo(1, 5);
    expect(dot(whole, whole)).toBeCloseTo(1, 5);
    expect(dot(whole, longer)).toBeCloseTo(1, 5); // words past the 128th token change nothing
  });

  it("computes TF.js's vectors, also in padded batches", async () => {
    const vectors = await embedder.embed(REFERENCE.map((r) => r.text));
    expect(embedder.dimension).toBe(512);
    vectors.forEach((v, i) => {
      expect(v).toHaveLength(512);
      expect(dot(v, v)).toBeCloseTo(1, 5);
      REFERENCE[i].head.forEach((x, j) => expect(v[j]).toBeCloseTo(x, 4));
    });
    expect(dot(vectors[0], vectors[1])).toBeCloseTo(0.54648, 4);
    expect(dot(vectors[0], vectors[2])).toBeCloseTo(0.10911, 4);
    // Alone (no padding) as in a batch.
    const [alone] = await embedder.embed([REFERENCE[1].text]);
    expect(dot(alone, vectors[1])).toBeCloseTo(1, 5);
  });

  it('keeps a finished conversion and redoes one of another format', async () => {
    const dir = useLiteDirectory(modelsDir);
    const onnx = join(dir, 'onnx', 'model.onnx');
    const before = (await stat(onnx)).mtimeMs;
    await writeUseLiteModel(dir);
    expect((await stat(onnx)).mtimeMs).toBe(before);
    await writeFile(join(dir, 'ioa-format'), 'older');
    await writeUseLiteModel(dir);
    expect(await readFile(join(dir, 'ioa-format'), 'utf8')).not.toBe('older');
    expect((await stat(onnx)).size).toBeGreaterThan(20e6);
  });

  it('survives two conversions at once into the same folder (two servers on one data dir)', async () => {
    const dir = join(root, 'concurrent', USE_LITE_MODEL);
    await Promise.all([writeUseLiteModel(dir), writeUseLiteModel(dir)]);
    expect((await readdir(join(root, 'concurrent'))).sort()).toEqual([USE_LITE_MODEL]); // no temp folder left
    const again = await TransformersEmbedder.load({ model: dir, modelsDir, allowRemote: false });
    const [v] = await again.embed([REFERENCE[0].text]);
    REFERENCE[0].head.forEach((x, j) => expect(v[j]).toBeCloseTo(x, 4));
    await again.dispose();
  });
});
