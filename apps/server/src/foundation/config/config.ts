import { cleanEnv, makeValidator, num, port, str, url } from 'envalid';
import { isIP } from 'node:net';
import { hostname } from 'node:os';
import { resolve } from 'node:path';

export const DEFAULT_EMBEDDING_MODEL = 'Xenova/all-MiniLM-L6-v2';

/** Thrown with one line naming the variable, so a wrong value stops start-up legibly. */
export class ConfigError extends Error {}

export interface AppConfig {
  port: number;
  host: string;
  /** This process in logs and in the records of what it holds (default: host name and pid). */
  nodeId: string;
  dataDir: string;
  modelsDir: string;
  /** Absent: SQLite file in the data dir. */
  databaseUrl: string | null;
  /**
   * Several nodes: set, the server shares sockets, search and rate limits with the other nodes through this Redis (and
   * must then run on PostgreSQL with explicit secrets). `nodeLapseS`: a node whose heartbeat is older is dead.
   */
  cluster: { redisUrl: string; nodeLapseS: number; forwardTimeoutMs: number } | null;
  /** Where Prometheus scrapes `/metrics` (loopback by default: it asks no token); null turns it off. */
  metrics: { port: number; host: string } | null;
  vectorStore: 'embedded' | 'qdrant';
  qdrantUrl: string | null;
  /**
   * `explicit` false: the default model is used only if already on disk (start-up never waits on a download).
   * `explicit` true: the named model must load (downloading when online) or start-up fails. `none`: lexical only.
   */
  embedding: { model: string; explicit: boolean };
  adminToken: string | null;
  jwtSecret: string | null;
  /** Secrets of earlier signing keys: tokens they signed still verify (until they expire); none signs new tokens. */
  jwtPreviousSecrets: string[];
  /** The data key that signs checkpoints (`data-key.ts`); null: generated into the data dir. Earlier keys only verify. */
  dataKey: string | null;
  dataPreviousKeys: string[];
  /**
   * `take`: `nodes`, a checkpoint each time a graph node settles; `none`, only when asked. `retentionS`: how long a
   * closed group's checkpoints are kept. `rollbackAckS`: how long a member whose card declares `rollback_ack` has to
   * acknowledge a rollback before it counts as disconnected.
   */
  checkpoints: { take: 'nodes' | 'none'; retentionS: number; rollbackAckS: number };
  /** Serve HTTPS (and secure websockets) with this certificate; `minVersion` TLSv1.2 unless IOA_TLS_MIN_VERSION says 1.3. */
  tls: { cert: string; key: string; minVersion: 'TLSv1.2' | 'TLSv1.3' } | null;
  accessTokenTtlS: number;
  refreshTokenTtlS: number;
  bodyLimitBytes: number;
  /**
   * A2A agents the server hosts (`POST /v1/agents/import`): the hosts they may be reached at (none by default, so
   * nothing is imported until an admin lists some), how long one call to one may take, and how often its card is
   * fetched to tell whether it is online.
   */
  /** `pushHosts`: where A2A clients' push notification URLs may point (any client may name them; none by default). */
  a2a: { allowedHosts: string[]; pushHosts: string[]; timeoutS: number; checkS: number };
  /** Where clients reach this server (`https://ioa.example.com`), named in the A2A agent card; null: the request's own origin. */
  publicUrl: string | null;
  /** Browser origins allowed to call the API and open sockets besides the server's own; none by default. */
  corsOrigins: string[];
  /** Per-principal REST request rate (admins exempt; unauthenticated requests count per address): sustained, burst. */
  rest: { ratePerS: number; rateBurst: number };
  logLevel: 'error' | 'warn' | 'log' | 'debug' | 'verbose';
  /** `json`: one JSON object per line (for a log collector); `text`: for a person; `auto`: text on a terminal, else JSON. */
  logFormat: 'auto' | 'json' | 'text';
  sessions: {
    /** How long a disconnected assignee's task stays suspended before it fails. */
    suspendGraceS: number;
    /** How often the server records that it is alive, to discount downtime from deadlines after a restart. */
    heartbeatMs: number;
    /** Per-agent socket message rate: sustained per second, and burst. */
    ratePerS: number;
    rateBurst: number;
    messageMaxBytes: number;
    /** A socket whose token expired stays open this long for an `auth` with a new token, then it is closed. */
    socketAuthGraceS: number;
    /** A socket whose unsent output passes this many bytes (a peer that stopped reading) is closed. */
    socketBufferMaxBytes: number;
  };
  teams: {
    inviteTimeoutS: number;
    formingTimeoutS: number;
    /** How long a goal waits for its coordinator to form the root team before it passes to the next coordinator. */
    goalAcceptTimeoutS: number;
    maxTeamSize: number;
    /** A candidate for a need must match at least this well: any lexical match, or this cosine similarity. */
    minCosine: number;
    invitesPerMinute: number;
    /** Invites one requester may send one agent per minute (default a tenth of `invitesPerMinute`, at least one). */
    invitesPerPairPerMinute: number;
  };
}

const databaseUrl = makeValidator<string>((v) => {
  if (/^postgres(ql)?:\/\/.+/.test(v)) return v;
  throw new Error('must be a postgres:// URL (leave it unset for SQLite)');
});
const redisUrl = makeValidator<string>((v) => {
  if (/^rediss?:\/\/.+/.test(v)) return v;
  throw new Error('must be a redis:// or rediss:// URL');
});
const nonEmpty = makeValidator<string>((v) => {
  if (v.trim().length >= 16) return v;
  throw new Error('must be at least 16 characters');
});

/** `IOA_JWT_PREVIOUS_SECRETS`, `IOA_DATA_PREVIOUS_KEYS`: comma-separated, each as long as a current secret must be. */
function previousSecrets(list: string, name: string): string[] {
  const secrets = list.split(',').map((s) => s.trim()).filter(Boolean);
  if (secrets.some((s) => s.length < 16)) throw new ConfigError(`${name}: each secret must be at least 16 characters`);
  return secrets;
}

/** Reads and checks `IOA_*` variables once; the only place the server reads the environment. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): AppConfig {
  const e = cleanEnv(
    env,
    {
      IOA_PORT: port({ default: 7788 }),
      IOA_HOST: str({ default: '0.0.0.0' }),
      IOA_NODE_ID: str({ default: undefined }),
      IOA_DATA_DIR: str({ default: './data' }),
      IOA_DATABASE_URL: databaseUrl({ default: undefined }),
      IOA_REDIS_URL: redisUrl({ default: undefined }),
      IOA_NODE_LAPSE_S: num({ default: 10 }),
      IOA_FORWARD_TIMEOUT_MS: num({ default: 5000 }),
      IOA_METRICS_PORT: num({ default: 9464 }),
      IOA_METRICS_HOST: str({ default: '127.0.0.1' }),
      IOA_VECTOR_STORE: str({ choices: ['embedded', 'qdrant'], default: 'embedded' }),
      IOA_QDRANT_URL: url({ default: undefined }),
      IOA_EMBEDDING_MODEL: str({ default: undefined }),
      IOA_ADMIN_TOKEN: nonEmpty({ default: undefined }),
      IOA_JWT_SECRET: nonEmpty({ default: undefined }),
      IOA_JWT_PREVIOUS_SECRETS: str({ default: '' }),
      IOA_DATA_KEY: nonEmpty({ default: undefined }),
      IOA_DATA_PREVIOUS_KEYS: str({ default: '' }),
      IOA_CHECKPOINTS: str({ choices: ['nodes', 'none'], default: 'nodes' }),
      IOA_CHECKPOINT_RETENTION_S: num({ default: 7 * 24 * 3600 }),
      IOA_ROLLBACK_ACK_S: num({ default: 30 }),
      IOA_TLS_CERT: str({ default: undefined }),
      IOA_TLS_KEY: str({ default: undefined }),
      IOA_TLS_MIN_VERSION: str({ choices: ['TLSv1.2', 'TLSv1.3'], default: 'TLSv1.2' }),
      IOA_ACCESS_TOKEN_TTL_S: num({ default: 3600 }),
      IOA_REFRESH_TOKEN_TTL_S: num({ default: 30 * 24 * 3600 }),
      IOA_BODY_LIMIT_BYTES: num({ default: 256 * 1024 }),
      IOA_CORS_ORIGINS: str({ default: '' }),
      IOA_PUBLIC_URL: str({ default: '' }),
      IOA_A2A_ALLOWED_HOSTS: str({ default: '' }),
      IOA_A2A_PUSH_ALLOWED_HOSTS: str({ default: '' }),
      IOA_A2A_TIMEOUT_S: num({ default: 120 }),
      IOA_A2A_CHECK_S: num({ default: 30 }),
      IOA_REST_RATE_PER_S: num({ default: 20 }),
      IOA_REST_RATE_BURST: num({ default: 100 }),
      IOA_SUSPEND_GRACE_S: num({ default: 300 }),
      IOA_SOCKET_AUTH_GRACE_S: num({ default: 60 }),
      IOA_SOCKET_BUFFER_MAX_BYTES: num({ default: 8 * 1024 * 1024 }),
      IOA_HEARTBEAT_MS: num({ default: 2000 }),
      IOA_RATE_PER_S: num({ default: 20 }),
      IOA_RATE_BURST: num({ default: 60 }),
      IOA_MESSAGE_MAX_BYTES: num({ default: 64 * 1024 }),
      IOA_INVITE_TIMEOUT_S: num({ default: 60 }),
      IOA_FORMING_TIMEOUT_S: num({ default: 120 }),
      IOA_GOAL_ACCEPT_TIMEOUT_S: num({ default: 120 }),
      IOA_MAX_TEAM_SIZE: num({ default: 16 }),
      IOA_TEAM_MIN_COSINE: num({ default: 0.3 }),
      IOA_INVITES_PER_MINUTE: num({ default: 30 }),
      IOA_INVITES_PER_PAIR_PER_MINUTE: num({ default: undefined }),
      IOA_LOG_LEVEL: str({ choices: ['error', 'warn', 'log', 'debug', 'verbose'], default: 'log' }),
      IOA_LOG_FORMAT: str({ choices: ['auto', 'json', 'text'], default: 'auto' }),
    },
    { reporter: reportFirstError },
  );
  if (e.IOA_REDIS_URL) {
    // Every node must read the same database and accept the same tokens: a per-node SQLite file or generated secret
    // would split the cluster.
    const missing = [!e.IOA_DATABASE_URL && 'IOA_DATABASE_URL (PostgreSQL)', !e.IOA_JWT_SECRET && 'IOA_JWT_SECRET', !e.IOA_DATA_KEY && 'IOA_DATA_KEY', !e.IOA_ADMIN_TOKEN && 'IOA_ADMIN_TOKEN'].filter(Boolean);
    if (missing.length) throw new ConfigError(`IOA_REDIS_URL: several nodes need ${missing.join(', ')} set explicitly`);
  }
  if (!Number.isInteger(e.IOA_METRICS_PORT) || e.IOA_METRICS_PORT < 0 || e.IOA_METRICS_PORT > 65535) {
    throw new ConfigError(`IOA_METRICS_PORT: must be a port (0-65535, 0 turns metrics off), got ${e.IOA_METRICS_PORT}`);
  }
  if (e.IOA_REDIS_URL && e.IOA_NODE_LAPSE_S * 1000 < 3 * e.IOA_HEARTBEAT_MS) {
    // A live node that misses one heartbeat must not look dead.
    throw new ConfigError(`IOA_NODE_LAPSE_S: must be at least three heartbeats (IOA_HEARTBEAT_MS=${e.IOA_HEARTBEAT_MS}), got ${e.IOA_NODE_LAPSE_S}`);
  }
  if (!(e.IOA_ROLLBACK_ACK_S >= 1)) throw new ConfigError(`IOA_ROLLBACK_ACK_S: must be at least 1 (seconds), got ${e.IOA_ROLLBACK_ACK_S}`);
  if (!(e.IOA_CHECKPOINT_RETENTION_S >= 1)) throw new ConfigError(`IOA_CHECKPOINT_RETENTION_S: must be at least 1 (seconds), got ${e.IOA_CHECKPOINT_RETENTION_S}`);
  if (e.IOA_VECTOR_STORE === 'qdrant' && !e.IOA_QDRANT_URL) {
    throw new ConfigError('IOA_QDRANT_URL: required when IOA_VECTOR_STORE=qdrant');
  }
  if (Boolean(e.IOA_TLS_CERT) !== Boolean(e.IOA_TLS_KEY)) {
    throw new ConfigError(`${e.IOA_TLS_CERT ? 'IOA_TLS_KEY' : 'IOA_TLS_CERT'}: TLS needs both IOA_TLS_CERT and IOA_TLS_KEY`);
  }
  for (const [name, value] of [['IOA_ACCESS_TOKEN_TTL_S', e.IOA_ACCESS_TOKEN_TTL_S], ['IOA_REFRESH_TOKEN_TTL_S', e.IOA_REFRESH_TOKEN_TTL_S], ['IOA_BODY_LIMIT_BYTES', e.IOA_BODY_LIMIT_BYTES],
    ['IOA_SUSPEND_GRACE_S', e.IOA_SUSPEND_GRACE_S], ['IOA_SOCKET_AUTH_GRACE_S', e.IOA_SOCKET_AUTH_GRACE_S], ['IOA_SOCKET_BUFFER_MAX_BYTES', e.IOA_SOCKET_BUFFER_MAX_BYTES], ['IOA_HEARTBEAT_MS', e.IOA_HEARTBEAT_MS], ['IOA_RATE_PER_S', e.IOA_RATE_PER_S],
    ['IOA_RATE_BURST', e.IOA_RATE_BURST], ['IOA_MESSAGE_MAX_BYTES', e.IOA_MESSAGE_MAX_BYTES],
    ['IOA_REST_RATE_PER_S', e.IOA_REST_RATE_PER_S], ['IOA_REST_RATE_BURST', e.IOA_REST_RATE_BURST],
    ['IOA_INVITE_TIMEOUT_S', e.IOA_INVITE_TIMEOUT_S], ['IOA_FORMING_TIMEOUT_S', e.IOA_FORMING_TIMEOUT_S], ['IOA_MAX_TEAM_SIZE', e.IOA_MAX_TEAM_SIZE],
    ['IOA_GOAL_ACCEPT_TIMEOUT_S', e.IOA_GOAL_ACCEPT_TIMEOUT_S], ['IOA_INVITES_PER_MINUTE', e.IOA_INVITES_PER_MINUTE],
    ['IOA_INVITES_PER_PAIR_PER_MINUTE', e.IOA_INVITES_PER_PAIR_PER_MINUTE ?? 1], ['IOA_NODE_LAPSE_S', e.IOA_NODE_LAPSE_S], ['IOA_FORWARD_TIMEOUT_MS', e.IOA_FORWARD_TIMEOUT_MS],
    ['IOA_A2A_TIMEOUT_S', e.IOA_A2A_TIMEOUT_S], ['IOA_A2A_CHECK_S', e.IOA_A2A_CHECK_S]] as const) {
    if (!Number.isInteger(value) || value <= 0) throw new ConfigError(`${name}: must be a positive integer (got ${value})`);
  }
  // A socket must be able to hold a replay page (about 1 MiB) and a few of the largest messages without being closed.
  if (e.IOA_SOCKET_BUFFER_MAX_BYTES < 2 * 1024 * 1024 + 4 * e.IOA_MESSAGE_MAX_BYTES) {
    throw new ConfigError(`IOA_SOCKET_BUFFER_MAX_BYTES: must be at least 2 MiB plus four times IOA_MESSAGE_MAX_BYTES (got ${e.IOA_SOCKET_BUFFER_MAX_BYTES})`);
  }
  const dataDir = resolve(e.IOA_DATA_DIR);
  return {
    port: e.IOA_PORT,
    host: e.IOA_HOST,
    nodeId: e.IOA_NODE_ID || `${hostname()}-${process.pid}`,
    dataDir,
    modelsDir: resolve(dataDir, 'models'),
    databaseUrl: e.IOA_DATABASE_URL ?? null,
    cluster: e.IOA_REDIS_URL ? { redisUrl: e.IOA_REDIS_URL, nodeLapseS: e.IOA_NODE_LAPSE_S, forwardTimeoutMs: e.IOA_FORWARD_TIMEOUT_MS } : null,
    metrics: e.IOA_METRICS_PORT === 0 ? null : { port: e.IOA_METRICS_PORT, host: e.IOA_METRICS_HOST },
    vectorStore: e.IOA_VECTOR_STORE as AppConfig['vectorStore'],
    qdrantUrl: e.IOA_QDRANT_URL ?? null,
    embedding: {
      model: e.IOA_EMBEDDING_MODEL || DEFAULT_EMBEDDING_MODEL,
      explicit: Boolean(e.IOA_EMBEDDING_MODEL),
    },
    adminToken: e.IOA_ADMIN_TOKEN ?? null,
    jwtSecret: e.IOA_JWT_SECRET ?? null,
    jwtPreviousSecrets: previousSecrets(e.IOA_JWT_PREVIOUS_SECRETS, 'IOA_JWT_PREVIOUS_SECRETS'),
    dataKey: e.IOA_DATA_KEY ?? null,
    dataPreviousKeys: previousSecrets(e.IOA_DATA_PREVIOUS_KEYS, 'IOA_DATA_PREVIOUS_KEYS'),
    checkpoints: { take: e.IOA_CHECKPOINTS as 'nodes' | 'none', retentionS: e.IOA_CHECKPOINT_RETENTION_S, rollbackAckS: e.IOA_ROLLBACK_ACK_S },
    tls: e.IOA_TLS_CERT && e.IOA_TLS_KEY ? { cert: e.IOA_TLS_CERT, key: e.IOA_TLS_KEY, minVersion: e.IOA_TLS_MIN_VERSION as 'TLSv1.2' | 'TLSv1.3' } : null,
    accessTokenTtlS: e.IOA_ACCESS_TOKEN_TTL_S,
    refreshTokenTtlS: e.IOA_REFRESH_TOKEN_TTL_S,
    bodyLimitBytes: e.IOA_BODY_LIMIT_BYTES,
    corsOrigins: origins(e.IOA_CORS_ORIGINS, 'IOA_CORS_ORIGINS'),
    a2a: {
      allowedHosts: allowedHosts(e.IOA_A2A_ALLOWED_HOSTS, 'IOA_A2A_ALLOWED_HOSTS'), pushHosts: allowedHosts(e.IOA_A2A_PUSH_ALLOWED_HOSTS, 'IOA_A2A_PUSH_ALLOWED_HOSTS'),
      timeoutS: e.IOA_A2A_TIMEOUT_S, checkS: e.IOA_A2A_CHECK_S,
    },
    publicUrl: e.IOA_PUBLIC_URL ? origins(e.IOA_PUBLIC_URL, 'IOA_PUBLIC_URL')[0] : null,
    rest: { ratePerS: e.IOA_REST_RATE_PER_S, rateBurst: e.IOA_REST_RATE_BURST },
    logLevel: e.IOA_LOG_LEVEL as AppConfig['logLevel'],
    logFormat: e.IOA_LOG_FORMAT as AppConfig['logFormat'],
    sessions: {
      suspendGraceS: e.IOA_SUSPEND_GRACE_S,
      heartbeatMs: e.IOA_HEARTBEAT_MS,
      ratePerS: e.IOA_RATE_PER_S,
      rateBurst: e.IOA_RATE_BURST,
      messageMaxBytes: e.IOA_MESSAGE_MAX_BYTES,
      socketAuthGraceS: e.IOA_SOCKET_AUTH_GRACE_S,
      socketBufferMaxBytes: e.IOA_SOCKET_BUFFER_MAX_BYTES,
    },
    teams: {
      inviteTimeoutS: e.IOA_INVITE_TIMEOUT_S,
      formingTimeoutS: e.IOA_FORMING_TIMEOUT_S,
      goalAcceptTimeoutS: e.IOA_GOAL_ACCEPT_TIMEOUT_S,
      maxTeamSize: e.IOA_MAX_TEAM_SIZE,
      minCosine: e.IOA_TEAM_MIN_COSINE,
      invitesPerMinute: e.IOA_INVITES_PER_MINUTE,
      invitesPerPairPerMinute: e.IOA_INVITES_PER_PAIR_PER_MINUTE ?? Math.max(1, Math.floor(e.IOA_INVITES_PER_MINUTE / 10)),
    },
  };
}

/**
 * `IOA_A2A_ALLOWED_HOSTS`, `IOA_A2A_PUSH_ALLOWED_HOSTS`: comma-separated host names (`agents.example.com`),
 * `*.example.com`, IP addresses and CIDR ranges (`10.1.0.0/16`, a prefix of at least 1 bit); no scheme, port or path.
 */
function allowedHosts(value: string, name: string): string[] {
  const entries = value.split(',').map((h) => h.trim().toLowerCase()).filter(Boolean);
  for (const entry of entries) {
    const [ip, bits, extra] = entry.split('/');
    const family = isIP(ip);
    const max = family === 6 ? 128 : 32;
    const ok = family ? extra === undefined && (bits === undefined || (/^\d{1,3}$/.test(bits) && Number(bits) >= 1 && Number(bits) <= max))
      : bits === undefined && /^(\*\.)?[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)*$/.test(entry);
    if (!ok) throw new ConfigError(`${name}: ${entry} is not a host name, *.domain, IP address or CIDR range (1 to ${max} bits)`);
  }
  return entries;
}

/** Comma-separated origins (`https://console.example.com`); each must be an origin, without a path. */
function origins(value: string, name: string): string[] {
  const origins = value.split(',').map((o) => o.trim()).filter(Boolean);
  for (const o of origins) {
    let parsed: URL | null = null;
    try {
      parsed = new URL(o);
    } catch {
      /* reported below */
    }
    if (!parsed || parsed.origin !== o) throw new ConfigError(`${name}: ${o} is not an origin (scheme://host[:port], no path)`);
  }
  return origins;
}

function reportFirstError({ errors }: { errors: Partial<Record<string, Error>> }): void {
  const [name, error] = Object.entries(errors)[0] ?? [];
  if (name) throw new ConfigError(`${name}: ${error?.message ?? 'invalid value'}`);
}
