/**
 * @jest-environment ./apps/server/src/foundation/embeddings/onnx-jest-environment.js
 */
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { writeTestModel } from './test-model';
import { modelDirectory, modelIsPresent, TransformersEmbedder } from './transformers-embedder';

const MODEL_ID = 'test/tiny-bert';

function dot(a: Float32Array, b: Float32Array): number {
  let sum = 0;
  for (let i = 0; i < a.length; i++) sum += a[i] * b[i];
  return sum;
}

describe('TransformersEmbedder (generated offline test model)', () => {
  let root: string;
  let modelsDir: string;
  let embedder: TransformersEmbedder;

  beforeAll(async () => {
    root = await mkdtemp(join(tmpdir(), 'ioa-embeddings-'));
    modelsDir = join(root, 'models');
    await writeTestModel(join(modelsDir, MODEL_ID), { extraWords: ['automobile', 'qdrant'] });
    embedder = await TransformersEmbedder.load({ model: MODEL_ID, modelsDir, allowRemote: false, batchSize: 4 });
  });

  afterAll(async () => {
    await embedder?.dispose();
    await rm(root, { recursive: true, force: true });
  });

  it('loads by id from the models dir without the network and reads the width from the output', () => {
    expect(embedder.modelId).toBe(MODEL_ID);
    expect(embedder.dimension).toBe(64);
  });

  it('returns one unit-length vector of the model width per text', async () => {
    const vectors = await embedder.embed(['find an agent that translates legal documents', 'weather', '']);
    expect(vectors).toHaveLength(3);
    for (const v of vectors) {
      expect(v).toBeInstanceOf(Float32Array);
      expect(v).toHaveLength(64);
      expect(Math.sqrt(dot(v, v))).toBeCloseTo(1, 5);
    }
  });

  it('gives the same text the same vector', async () => {
    const [a, b] = await embedder.embed(['Summarise research papers', 'Summarise research papers']);
    const [c] = await embedder.embed(['Summarise research papers']);
    expect(Array.from(a)).toEqual(Array.from(b));
    expect(Array.from(a)).toEqual(Array.from(c));
  });

  it('gives the same vectors in batches as one by one', async () => {
    const texts = Array.from({ length: 10 }, (_, i) => `agent number ${i} writes ${'short '.repeat(i)}reports`);
    const batched = await embedder.embed(texts);
    const single = await Promise.all(texts.map(async (t) => (await embedder.embed([t]))[0]));
    expect(batched.map((v) => Array.from(v))).toEqual(single.map((v) => Array.from(v)));
    expect(await embedder.embed([])).toEqual([]);
  });

  it('puts a text sharing words closer than an unrelated one', async () => {
    const [query, related, unrelated] = await embedder.embed([
      'translate legal documents into french',
      'an agent that can translate documents',
      'weather forecast with heavy rain tomorrow',
    ]);
    expect(dot(query, related)).toBeGreaterThan(dot(query, unrelated) + 0.2);
  });

  it('makes WordNet synonyms closer than unrelated words', async () => {
    const [car, automobile, banana] = await embedder.embed(['car', 'automobile', 'banana']);
    expect(dot(car, automobile)).toBeGreaterThan(dot(car, banana) + 0.2);
  });

  it('loads a model folder given by path, and never downloads one', async () => {
    const dir = await writeTestModel(join(root, 'by-path'), { dimension: 32, seed: 7 });
    const byPath = await TransformersEmbedder.load({ model: dir, modelsDir: join(root, 'elsewhere'), allowRemote: true });
    try {
      expect(byPath.dimension).toBe(32);
      expect(byPath.modelId).toBe(dir);
    } finally {
      await byPath.dispose();
    }
  });

  it('generates the same model for the same seed and a different one for another', async () => {
    const bytes = async (seed: number, name: string) => readFile(join(await writeTestModel(join(root, name), { seed }), 'onnx', 'model.onnx'));
    const [a, b, c] = await Promise.all([bytes(1, 'seed-a'), bytes(1, 'seed-b'), bytes(2, 'seed-c')]);
    expect(a.equals(b)).toBe(true);
    expect(a.equals(c)).toBe(false);
  });

  it('fails with an error naming the model and the folder it searched', async () => {
    const load = TransformersEmbedder.load({ model: 'nobody/missing-model', modelsDir, allowRemote: false });
    await expect(load).rejects.toThrow('embedding model "nobody/missing-model" could not be loaded from');
    await expect(load).rejects.toThrow(join(modelsDir, 'nobody/missing-model'));
  });

  it('tells whether a model is on disk, by id or by path', async () => {
    expect(await modelIsPresent(MODEL_ID, modelsDir)).toBe(true);
    expect(await modelIsPresent(modelDirectory(MODEL_ID, modelsDir), '/nonexistent')).toBe(true);
    expect(await modelIsPresent('nobody/missing-model', modelsDir)).toBe(false);
    expect(await modelIsPresent(MODEL_ID, join(root, 'empty'))).toBe(false);
  });
});
