import { api } from './support/http';
import { ADMIN_TOKEN, TestServer } from './support/server';

const translator = {
  name: 'spanish-translator',
  description: 'Translates documents between English and Spanish.',
  skills: ['translation'],
  capabilities: [{ name: 'translate_text', description: 'Translate a passage of text from English into Spanish.' }],
  interface: { kind: 'socket', modalities: ['text'] },
  metadata: { region: 'eu' },
};
const forecaster = {
  name: 'weather-forecaster',
  description: 'Predicts rain, wind and temperature for any city.',
  capabilities: [{ name: 'daily_forecast', description: 'Forecast tomorrow weather for a city.' }],
};

describe('agent registry (real server on loopback, real SQLite file)', () => {
  const server = new TestServer();
  let call: ReturnType<typeof api>;
  const count = async () => (await call('GET', '/v1/agents', ADMIN_TOKEN)).body.total;

  beforeAll(async () => {
    await server.start();
    call = api(server.url);
  });
  afterAll(() => server.dispose());

  it('registers a card and serves it back with server-kept fields', async () => {
    const r = await call('POST', '/v1/agents', ADMIN_TOKEN, translator);
    expect(r.status).toBe(201);
    expect(r.body.agent).toMatchObject({ ...translator, status: 'offline', version: null, accepting_invites: true });
    expect(r.body.agent.id).toMatch(/^[0-9a-f-]{36}$/);
    const got = await call('GET', `/v1/agents/${r.body.agent.id}`, ADMIN_TOKEN);
    expect(got.body).toEqual(r.body.agent);
    await call('POST', '/v1/agents', ADMIN_TOKEN, forecaster);
  });

  it.each([
    ['a bad name', { ...forecaster, name: 'Bad Name' }, 'name'],
    ['a one-letter name', { ...forecaster, name: 'x' }, 'name'],
    ['a missing description', { name: 'no-desc', capabilities: [] }, 'description'],
    ['missing capabilities', { name: 'no-caps', description: 'x' }, 'capabilities'],
    ['an unknown field', { ...forecaster, name: 'extra-field', rating: 5 }, 'rating'],
    ['a server-kept field', { ...forecaster, name: 'sets-status', status: 'online' }, 'status'],
    ['a bad capability', { ...forecaster, name: 'bad-cap', capabilities: [{ name: '' }] }, 'capabilities.0.name'],
    ['a bad interface kind', { ...forecaster, name: 'bad-if', interface: { kind: 'carrier-pigeon' } }, 'interface.kind'],
    ['oversized metadata', { ...forecaster, name: 'big-meta', metadata: { blob: 'x'.repeat(9000) } }, 'metadata'],
    ['too many skills', { ...forecaster, name: 'many-skills', skills: Array.from({ length: 40 }, (_, i) => `s${i}`) }, 'skills'],
  ])('refuses %s with 400 naming the field, changing nothing', async (_, body, field) => {
    const before = await count();
    const r = await call('POST', '/v1/agents', ADMIN_TOKEN, body);
    expect(r.status).toBe(400);
    expect(r.body.error.code).toBe('VALIDATION');
    expect(r.body.error.fields.map((f: { field: string }) => f.field)).toContain(field);
    expect(await count()).toBe(before);
  });

  it('refuses malformed JSON, oversized bodies and duplicate names', async () => {
    expect((await call('POST', '/v1/agents', ADMIN_TOKEN, '{"name": ')).body.error.code).toBe('VALIDATION');
    const big = await call('POST', '/v1/agents', ADMIN_TOKEN, { ...forecaster, name: 'huge', description: 'x'.repeat(300_000) });
    expect(big.status).toBe(413);
    expect(big.body.error.code).toBe('TOO_LARGE');
    const dup = await call('POST', '/v1/agents', ADMIN_TOKEN, forecaster);
    expect(dup.status).toBe(409);
    expect(dup.body.error.code).toBe('CONFLICT');
    expect((await call('GET', '/v1/agents/00000000-0000-0000-0000-000000000000', ADMIN_TOKEN)).status).toBe(404);
  });

  it('pages and filters the list', async () => {
    const page = await call('GET', '/v1/agents?limit=1&offset=1', ADMIN_TOKEN);
    expect(page.body).toMatchObject({ total: 2, limit: 1, offset: 1 });
    expect(page.body.items.map((a: { name: string }) => a.name)).toEqual(['weather-forecaster']);
    expect((await call('GET', '/v1/agents?skill=translation', ADMIN_TOKEN)).body.total).toBe(1);
    expect((await call('GET', '/v1/agents?status=online', ADMIN_TOKEN)).body.total).toBe(0);
    expect((await call('GET', '/v1/agents?limit=100000', ADMIN_TOKEN)).status).toBe(400);
    expect((await call('GET', '/v1/agents?name_prefix=%25', ADMIN_TOKEN)).body.total).toBe(0);
  });

  it('finds agents by meaning, naming the matched capability', async () => {
    const r = await call('POST', '/v1/agents/search', ADMIN_TOKEN, { query: 'will it rain tomorrow in Lisbon?' });
    expect(r.status).toBe(200);
    expect(r.body.results[0].agent.name).toBe('weather-forecaster');
    expect(r.body.results[0].score).toBeGreaterThan(0);
    const t = await call('POST', '/v1/agents/search', ADMIN_TOKEN, { query: 'translate my letter into Spanish', top_k: 1 });
    expect(t.body.results).toHaveLength(1);
    expect(t.body.results[0].agent.name).toBe('spanish-translator');
    const f = await call('POST', '/v1/agents/search', ADMIN_TOKEN, { query: 'forecast for tomorrow in my city', top_k: 1 });
    expect(f.body.results[0]).toMatchObject({ agent: { name: 'weather-forecaster' }, matched: 'daily_forecast' });
    const excluded = await call('POST', '/v1/agents/search', ADMIN_TOKEN, { query: 'translate into Spanish', exclude: [t.body.results[0].agent.id] });
    expect(excluded.body.results.map((x: { agent: { name: string } }) => x.agent.name)).not.toContain('spanish-translator');
    expect((await call('POST', '/v1/agents/search', ADMIN_TOKEN, { query: 'translate', online_only: true })).body.results).toEqual([]);
  });

  it('bounds search input', async () => {
    for (const body of [{ query: '' }, { query: 'x', top_k: 101 }, { query: 'x', top_k: 0 }, { query: 'x'.repeat(1001) }, { query: 'x', foo: 1 }]) {
      const r = await call('POST', '/v1/agents/search', ADMIN_TOKEN, body);
      expect(r.status).toBe(400);
    }
  });

  it('re-indexes on update and forgets on delete', async () => {
    const { body } = await call('POST', '/v1/agents', ADMIN_TOKEN, {
      name: 'pastry-chef', description: 'Bakes cakes.', capabilities: [],
    });
    const query = { query: 'compose a sonnet about autumn', top_k: 3 };
    const before = await call('POST', '/v1/agents/search', ADMIN_TOKEN, query);
    expect(before.body.results.map((x: { matched: string }) => x.matched)).not.toContain('write_poems');
    await call('PATCH', `/v1/agents/${body.agent.id}`, body.token, {
      capabilities: [{ name: 'write_poems', description: 'Writes sonnets and poems about any season.' }],
    });
    const after = await call('POST', '/v1/agents/search', ADMIN_TOKEN, query);
    expect(after.body.results[0]).toMatchObject({ agent: { name: 'pastry-chef' }, matched: 'write_poems' });
    expect((await call('DELETE', `/v1/agents/${body.agent.id}`, body.token)).status).toBe(200);
    const gone = await call('POST', '/v1/agents/search', ADMIN_TOKEN, query);
    expect(gone.body.results.map((x: { agent: { name: string } }) => x.agent.name)).not.toContain('pastry-chef');
    expect((await call('GET', '/v1/agents', body.token)).status).toBe(401);
  });

  it('keeps agents and their search index across a restart', async () => {
    await server.restart();
    expect(await count()).toBe(2);
    const r = await call('POST', '/v1/agents/search', ADMIN_TOKEN, { query: 'umbrella needed tomorrow?' });
    expect(r.body.results[0].agent.name).toBe('weather-forecaster');
  });
});
