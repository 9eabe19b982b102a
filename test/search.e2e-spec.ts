import { join } from 'node:path';
import { writeTestModel } from '../apps/server/src/foundation/embeddings/test-model';
import agents from './fixtures/agents.json';
import queries from './fixtures/queries.json';
import { api } from './support/http';
import { ADMIN_TOKEN, ServerOptions, TestServer } from './support/server';

type Call = ReturnType<typeof api>;

async function registerFixtures(call: Call): Promise<void> {
  for (const card of agents) {
    const r = await call('POST', '/v1/agents', ADMIN_TOKEN, card);
    if (r.status !== 201) throw new Error(`${card.name}: ${JSON.stringify(r.body)}`);
  }
}

/**
 * A server with the fixture agents registered before the suite's tests and disposed after them; its `call` and the
 * server itself are usable once the tests run.
 */
function fixtureServer(options: () => ServerOptions | Promise<ServerOptions> = () => ({})): { call: Call; server: () => TestServer } {
  let server: TestServer | undefined;
  let call: Call;
  beforeAll(async () => {
    server = new TestServer(await options());
    await server.start();
    call = api(server.url);
    await registerFixtures(call);
  });
  afterAll(() => server?.dispose());
  return { call: ((...args: Parameters<Call>) => call(...args)) as Call, server: () => server! };
}

async function topOne(call: Call, split: { query: string; expected: string }[]): Promise<number> {
  let hits = 0;
  for (const q of split) {
    const r = await call('POST', '/v1/agents/search', ADMIN_TOKEN, { query: q.query, top_k: 5 });
    if (r.body.results[0]?.agent.name === q.expected) hits++;
  }
  return hits / split.length;
}

describe('search through the server, lexical only (no model)', () => {
  const { call } = fixtureServer();

  // The lexical retriever alone, as IOA_EMBEDDING_MODEL=none gets it (0.434, docs/benchmarks.md; the 0.6 target is
  // met by the default without a downloaded model, below); this floor is what it reaches today, so that a regression
  // fails here.
  it('puts the right agent first for paraphrased queries of the frozen test split as often as measured', async () => {
    expect(await topOne(call, queries.test)).toBeGreaterThanOrEqual(0.42);
  });
});

describe('search through the server with the shipped models (the default without a downloaded model)', () => {
  const { call } = fixtureServer(() => ({ env: { IOA_EMBEDDING_MODEL: '' } }));

  it('reports USE Lite in health and beats lexical alone on the frozen test split', async () => {
    const health = await call('GET', '/health', ADMIN_TOKEN);
    expect(health.body.components.embedder).toMatchObject({ mode: 'dense+lexical', status: 'ok' });
    expect(health.body.components.model).toEqual({ id: 'use-lite-en', dimension: 512 });
    // Measured 0.727 (docs/benchmarks.md); word vectors alone 0.576, lexical alone 0.434.
    expect(await topOne(call, queries.test)).toBeGreaterThanOrEqual(0.7);
  });
});

describe('search through the server with a generated test model (transformers.js on onnxruntime)', () => {
  const { call, server } = fixtureServer(async () => {
    const { dataDir } = new TestServer();
    return { dataDir, env: { IOA_EMBEDDING_MODEL: await writeTestModel(join(dataDir, 'test-model')) } };
  });

  const documents = agents.reduce((n, a) => n + 1 + a.capabilities.length, 0);

  it('fuses dense and lexical results', async () => {
    const health = await call('GET', '/health', ADMIN_TOKEN);
    expect(health.body.components.embedder.mode).toBe('dense+lexical');
    expect(health.body.components.vector_store).toEqual({ status: 'ok', kind: 'embedded', vectors: documents });
    const r = await call('POST', '/v1/agents/search', ADMIN_TOKEN, { query: queries.test[0].query });
    expect(r.body.results).toHaveLength(10);
    expect(r.body.results.some((x: { signals: { dense?: number } }) => typeof x.signals.dense === 'number')).toBe(true);
    expect(r.body.results.some((x: { signals: { lexical?: number } }) => typeof x.signals.lexical === 'number')).toBe(true);
  });

  it('keeps vectors in the database across a restart and removes them with the agent', async () => {
    await server().restart();
    const before = await call('GET', '/health', ADMIN_TOKEN);
    expect(before.body.components.vector_store.vectors).toBe(documents);
    const page = await call('GET', `/v1/agents?name_prefix=${agents[0].name}`, ADMIN_TOKEN);
    const first = page.body.items.find((a: { name: string }) => a.name === agents[0].name);
    await call('DELETE', `/v1/agents/${first.id}`, ADMIN_TOKEN);
    const after = await call('GET', '/health', ADMIN_TOKEN);
    expect(after.body.components.vector_store.vectors).toBe(documents - 1 - agents[0].capabilities.length);
  });

  it('re-embeds the registry for another model after start-up, searching lexically meanwhile', async () => {
    await server().stop();
    const next = new TestServer({ dataDir: server().dataDir, env: { IOA_EMBEDDING_MODEL: 'use-lite-en', IOA_LOG_LEVEL: 'log' } });
    try {
      await next.start();
      const call2 = api(next.url);
      const during = await call2('POST', '/v1/agents/search', ADMIN_TOKEN, { query: queries.test[0].query });
      expect(during.status).toBe(200);
      expect(during.body.results.length).toBeGreaterThan(0);
      let health = await call2('GET', '/health', ADMIN_TOKEN);
      for (let i = 0; i < 300 && health.body.components.embedder.status !== 'ok'; i++) {
        expect(health.body.components.embedder.reason).toMatch(/re-embedding/);
        await new Promise((r) => setTimeout(r, 100));
        health = await call2('GET', '/health', ADMIN_TOKEN);
      }
      expect(health.body.components.embedder).toEqual({ status: 'ok', mode: 'dense+lexical' });
      expect(health.body.components.model).toEqual({ id: 'use-lite-en', dimension: 512 });
      expect(health.body.components.vector_store.vectors).toBe(documents - 1 - agents[0].capabilities.length);
      const after = await call2('POST', '/v1/agents/search', ADMIN_TOKEN, { query: queries.test[0].query });
      expect(after.body.results.some((x: { signals: { dense?: number } }) => typeof x.signals.dense === 'number')).toBe(true);
      // The server listened first and re-embedded after.
      expect(next.output.indexOf('listening on')).toBeGreaterThan(-1);
      expect(next.output.indexOf('re-embedded')).toBeGreaterThan(next.output.indexOf('listening on'));
    } finally {
      await next.dispose();
    }
  });
});
