import { api } from './support/http';
import { ADMIN_TOKEN, freePort, TestServer } from './support/server';
import { TestClient } from './support/socket';

/** What an operator scrapes and probes: Prometheus metrics on their own port, liveness and readiness (real server). */
describe('operations: /metrics, /health/live, /health/ready (real server on loopback)', () => {
  let metricsPort: number;
  let server: TestServer;
  const sockets: TestClient[] = [];
  const scrape = () => fetch(`http://127.0.0.1:${metricsPort}/metrics`).then(async (r) => ({ status: r.status, type: r.headers.get('content-type'), text: await r.text() }));
  /** One sample's value, by its name and labels as Prometheus prints them; undefined when absent. */
  const sample = (text: string, series: string) => {
    const line = text.split('\n').find((l) => l.startsWith(`${series} `));
    return line === undefined ? undefined : Number(line.slice(series.length + 1));
  };

  beforeAll(async () => {
    metricsPort = await freePort();
    server = await new TestServer({ env: { IOA_METRICS_PORT: String(metricsPort) } }).start();
  });
  afterAll(async () => {
    sockets.forEach((s) => s.close());
    await server.dispose();
  });

  it('counts sockets by role, acks by result and searches, in Prometheus text on the metrics port only', async () => {
    const admin = new TestClient(server.url, ADMIN_TOKEN);
    sockets.push(admin);
    await admin.connected();
    const refused = await admin.emit('subscribe', { group_id: 'no-such-group' });
    expect(refused.ok).toBe(false);
    await api(server.url)('POST', '/v1/agents/search', ADMIN_TOKEN, { query: 'translate a letter' });

    const { status, type, text } = await scrape();
    expect([status, type]).toEqual([200, 'text/plain; version=0.0.4; charset=utf-8']);
    expect(sample(text, 'ioa_sockets{role="admin"}')).toBe(1);
    expect(sample(text, `ioa_socket_acks_total{event="subscribe",result="${refused.error.code}"}`)).toBe(1);
    expect(sample(text, 'ioa_search_duration_seconds_count{mode="lexical"}')).toBe(1);
    expect(sample(text, 'ioa_search_dense')).toBe(0);
    expect(sample(text, 'nodejs_eventloop_lag_p99_seconds')).toBeGreaterThanOrEqual(0);
    expect(sample(text, 'ioa_open_groups{state="discussion"}')).toBeUndefined();
    // Not on the API's port (no token would guard it there), and nothing else on the metrics port.
    expect((await fetch(`${server.url}/metrics`)).status).toBe(404);
    expect((await fetch(`http://127.0.0.1:${metricsPort}/`)).status).toBe(404);
  });

  it('answers liveness always and readiness once the node can serve, each check by name', async () => {
    const call = api(server.url);
    expect(await call('GET', '/health/live', null)).toMatchObject({ status: 200, body: { status: 'ok' } });
    expect(await call('GET', '/health/ready', null)).toMatchObject({ status: 200, body: { status: 'ready' } });
    // Which node and which checks: for admins only, as /health's components.
    const ready = await call('GET', '/health/ready', ADMIN_TOKEN);
    expect(ready.body).toEqual({ status: 'ready', node: expect.any(String), checks: { database: true, groups_loaded: true } });
  });
});
