/**
 * TEST DOUBLE — stands in for a Qdrant server, which cannot run where these tests run (no Docker, no network).
 *
 * An in-process `node:http` server on 127.0.0.1 (random port) that answers exactly the REST calls
 * `@qdrant/js-client-rest` 1.18 makes for `QdrantVectorStore` — version probe, collection exists / get / create,
 * payload index, upsert, delete (by ids and by filter), query, count — with Qdrant's response envelope and in-memory
 * semantics: Cosine distance (vectors normalised on write), point ids that must be UUIDs or unsigned integers,
 * filters with `must` / `must_not` of `match.value` / `match.any` on payload keys. Anything else is answered with a
 * 400 naming the unsupported request, so a test never passes on behaviour the double only pretends to have.
 * When `IOA_QDRANT_URL` is set, the same suites run against a real Qdrant instead.
 */
import { createServer, IncomingMessage, Server, ServerResponse } from 'node:http';
import { AddressInfo } from 'node:net';

type Payload = Record<string, unknown>;
interface Condition {
  key: string;
  match: { value?: unknown; any?: unknown[] };
}
interface Filter {
  must?: Condition[];
  must_not?: Condition[];
}
interface Point {
  id: string | number;
  unit: number[];
  payload: Payload;
  version: number;
}
interface Collection {
  size: number;
  distance: string;
  points: Map<string, Point>;
  payloadSchema: Record<string, { data_type: string; points: number }>;
}

class HttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

const UUID = /^[0-9a-f]{8}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{12}$/i;

export class FakeQdrantServer {
  /** The Qdrant version the double claims, within the client's accepted range (same major, minor ± 1). */
  static readonly version = '1.18.0';
  private readonly collections = new Map<string, Collection>();
  private server: Server | null = null;
  private operation = 0;
  /** Every request as `METHOD /path`, for tests that check what went over the wire. */
  readonly requests: string[] = [];

  get url(): string {
    if (!this.server) throw new Error('FakeQdrantServer is not started');
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  async start(): Promise<string> {
    this.server = createServer((req, res) => void this.handle(req, res));
    await new Promise<void>((resolve) => this.server?.listen(0, '127.0.0.1', resolve));
    return this.url;
  }

  async stop(): Promise<void> {
    const server = this.server;
    this.server = null;
    server?.closeAllConnections();
    if (server) await new Promise<void>((resolve, reject) => server.close((err) => (err ? reject(err) : resolve())));
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const started = process.hrtime.bigint();
    const url = new URL(req.url ?? '/', 'http://localhost');
    this.requests.push(`${req.method} ${url.pathname}`);
    const send = (status: number, body: object) => {
      const time = Number(process.hrtime.bigint() - started) / 1e9;
      res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify({ ...body, time }));
    };
    try {
      const body = await readJson(req);
      // The client's compatibility probe: the only answer without the { result, status } envelope.
      if (req.method === 'GET' && url.pathname === '/') {
        return send(200, { title: 'qdrant - vector search engine (test double)', version: FakeQdrantServer.version, commit: null });
      }
      send(200, { result: this.route(req.method ?? 'GET', url.pathname, body), status: 'ok' });
    } catch (err) {
      const status = err instanceof HttpError ? err.status : 500;
      send(status, { status: { error: (err as Error).message } });
    }
  }

  private route(method: string, path: string, body: Record<string, unknown>): unknown {
    const m = /^\/collections\/([^/]+)(\/.*)?$/.exec(path);
    if (!m) throw new HttpError(404, `test double: no route for ${method} ${path}`);
    const name = decodeURIComponent(m[1]);
    const rest = m[2] ?? '';
    const route = `${method} ${rest}`;
    if (route === 'GET /exists') return { exists: this.collections.has(name) };
    if (route === 'PUT ') return this.create(name, body);
    const c = this.collections.get(name);
    if (!c) throw new HttpError(404, `Not found: Collection \`${name}\` doesn't exist!`);
    switch (route) {
      case 'GET ':
        return this.info(c);
      case 'PUT /index':
        return this.createIndex(c, body);
      case 'PUT /points':
        return this.upsert(c, body);
      case 'POST /points/delete':
        return this.delete(c, body);
      case 'POST /points/query':
        return { points: this.query(c, body) };
      case 'POST /points/count':
        return { count: [...c.points.values()].filter((p) => matches(p, body.filter as Filter | undefined)).length };
      default:
        throw new HttpError(400, `test double: ${method} ${path} is not implemented`);
    }
  }

  private create(name: string, body: Record<string, unknown>): boolean {
    if (this.collections.has(name)) throw new HttpError(409, `Wrong input: Collection \`${name}\` already exists!`);
    const vectors = body.vectors as { size?: unknown; distance?: unknown } | undefined;
    if (typeof vectors?.size !== 'number' || typeof vectors.distance !== 'string') {
      throw new HttpError(400, 'test double: only a single unnamed vector config { size, distance } is supported');
    }
    if (vectors.distance !== 'Cosine') throw new HttpError(400, `test double: only Cosine distance is supported`);
    this.collections.set(name, { size: vectors.size, distance: vectors.distance, points: new Map(), payloadSchema: {} });
    return true;
  }

  private info(c: Collection): object {
    for (const [key, entry] of Object.entries(c.payloadSchema)) entry.points = [...c.points.values()].filter((p) => key in p.payload).length;
    return {
      status: 'green',
      optimizer_status: 'ok',
      indexed_vectors_count: 0,
      points_count: c.points.size,
      segments_count: 1,
      config: {
        params: { vectors: { size: c.size, distance: c.distance }, shard_number: 1, replication_factor: 1, write_consistency_factor: 1, on_disk_payload: true },
        hnsw_config: { m: 16, ef_construct: 100, full_scan_threshold: 10000, max_indexing_threads: 0, on_disk: false },
        optimizer_config: { deleted_threshold: 0.2, vacuum_min_vector_number: 1000, default_segment_number: 0, flush_interval_sec: 5 },
        wal_config: { wal_capacity_mb: 32, wal_segments_ahead: 0 },
      },
      payload_schema: c.payloadSchema,
    };
  }

  private createIndex(c: Collection, body: Record<string, unknown>): object {
    if (typeof body.field_name !== 'string' || body.field_schema !== 'keyword') {
      throw new HttpError(400, 'test double: only keyword payload indexes are supported');
    }
    c.payloadSchema[body.field_name] = { data_type: 'keyword', points: 0 };
    return this.completed();
  }

  private upsert(c: Collection, body: Record<string, unknown>): object {
    if (!Array.isArray(body.points)) throw new HttpError(400, 'test double: only the `points` list form of upsert is supported');
    const points = (body.points as { id: unknown; vector: unknown; payload?: Payload }[]).map((p) => {
      const id = pointKey(p.id);
      if (!Array.isArray(p.vector) || p.vector.length !== c.size) {
        const got = Array.isArray(p.vector) ? p.vector.length : 'none';
        throw new HttpError(400, `Wrong input: Vector dimension error: expected dim: ${c.size}, got ${got}`);
      }
      return { key: id, point: { id: p.id as string | number, unit: unitLength(p.vector as number[]), payload: p.payload ?? {}, version: 0 } };
    });
    const operation = this.operation++;
    for (const { key, point } of points) c.points.set(key, { ...point, version: operation });
    return this.completed(operation);
  }

  private delete(c: Collection, body: Record<string, unknown>): object {
    if (Array.isArray(body.points)) for (const id of body.points) c.points.delete(pointKey(id));
    else if (body.filter) for (const [key, p] of c.points) matches(p, body.filter as Filter) && c.points.delete(key);
    else throw new HttpError(400, 'test double: delete needs `points` or `filter`');
    return this.completed();
  }

  private query(c: Collection, body: Record<string, unknown>): object[] {
    const query = body.query;
    if (!Array.isArray(query) || query.length !== c.size) {
      throw new HttpError(400, `Wrong input: Vector dimension error: expected dim: ${c.size}, got ${Array.isArray(query) ? query.length : 'none'}`);
    }
    const q = unitLength(query as number[]);
    const limit = typeof body.limit === 'number' ? body.limit : 10;
    return [...c.points.values()]
      .filter((p) => matches(p, body.filter as Filter | undefined))
      .map((p) => ({ p, score: p.unit.reduce((s, x, i) => s + x * q[i], 0) }))
      .sort((a, b) => b.score - a.score)
      .slice(0, limit)
      .map(({ p, score }) => ({ id: p.id, version: p.version, score, ...(body.with_payload ? { payload: p.payload } : {}) }));
  }

  private completed(operation = this.operation++): object {
    return { operation_id: operation, status: 'completed' };
  }
}

function pointKey(id: unknown): string {
  if (typeof id === 'number' && Number.isSafeInteger(id) && id >= 0) return `n:${id}`;
  if (typeof id === 'string' && UUID.test(id)) return `u:${id.replace(/-/g, '').toLowerCase()}`;
  throw new HttpError(400, `Format error in JSON body: value ${JSON.stringify(id)} is not a valid point ID, valid values are either an unsigned integer or a UUID`);
}

function unitLength(v: number[]): number[] {
  const norm = Math.sqrt(v.reduce((s, x) => s + x * x, 0));
  return norm === 0 ? v.map(() => 0) : v.map((x) => x / norm);
}

function matches(p: Point, filter: Filter | undefined): boolean {
  if (!filter) return true;
  const unsupported = Object.keys(filter).filter((k) => k !== 'must' && k !== 'must_not');
  if (unsupported.length > 0) throw new HttpError(400, `test double: filter clauses ${unsupported.join(', ')} are not supported`);
  return (filter.must ?? []).every((c) => holds(p, c)) && !(filter.must_not ?? []).some((c) => holds(p, c));
}

function holds(p: Point, c: Condition): boolean {
  const value = p.payload[c.key];
  if ('value' in c.match) return value === c.match.value;
  if (Array.isArray(c.match.any)) return c.match.any.includes(value);
  throw new HttpError(400, `test double: only match.value and match.any conditions are supported`);
}

async function readJson(req: IncomingMessage): Promise<Record<string, unknown>> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  if (chunks.length === 0) return {};
  try {
    return JSON.parse(Buffer.concat(chunks).toString('utf8')) as Record<string, unknown>;
  } catch {
    throw new HttpError(400, 'Format error in JSON body');
  }
}
