"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.ConfigError = exports.DEFAULT_EMBEDDING_MODEL = void 0;
exports.loadConfig = loadConfig;
const envalid_1 = require("envalid");
const node_path_1 = require("node:path");
exports.DEFAULT_EMBEDDING_MODEL = 'Xenova/all-MiniLM-L6-v2';
/** Thrown with one line naming the variable, so a wrong value stops start-up legibly. */
class ConfigError extends Error {
}
exports.ConfigError = ConfigError;
const databaseUrl = (0, envalid_1.makeValidator)((v) => {
    if (/^postgres(ql)?:\/\/.+/.test(v))
        return v;
    throw new Error('must be a postgres:// URL (leave it unset for SQLite)');
});
const nonEmpty = (0, envalid_1.makeValidator)((v) => {
    if (v.trim().length >= 16)
        return v;
    throw new Error('must be at least 16 characters');
});
/** Reads and checks `IOA_*` variables once; the only place the server reads the environment. */
function loadConfig(env = process.env) {
    const e = (0, envalid_1.cleanEnv)(env, {
        IOA_PORT: (0, envalid_1.port)({ default: 7788 }),
        IOA_HOST: (0, envalid_1.str)({ default: '0.0.0.0' }),
        IOA_DATA_DIR: (0, envalid_1.str)({ default: './data' }),
        IOA_DATABASE_URL: databaseUrl({ default: undefined }),
        IOA_VECTOR_STORE: (0, envalid_1.str)({ choices: ['embedded', 'qdrant'], default: 'embedded' }),
        IOA_QDRANT_URL: (0, envalid_1.url)({ default: undefined }),
        IOA_EMBEDDING_MODEL: (0, envalid_1.str)({ default: undefined }),
        IOA_ADMIN_TOKEN: nonEmpty({ default: undefined }),
        IOA_JWT_SECRET: nonEmpty({ default: undefined }),
        IOA_TLS_CERT: (0, envalid_1.str)({ default: undefined }),
        IOA_TLS_KEY: (0, envalid_1.str)({ default: undefined }),
        IOA_ACCESS_TOKEN_TTL_S: (0, envalid_1.num)({ default: 3600 }),
        IOA_REFRESH_TOKEN_TTL_S: (0, envalid_1.num)({ default: 30 * 24 * 3600 }),
        IOA_BODY_LIMIT_BYTES: (0, envalid_1.num)({ default: 256 * 1024 }),
        IOA_SUSPEND_GRACE_S: (0, envalid_1.num)({ default: 300 }),
        IOA_HEARTBEAT_MS: (0, envalid_1.num)({ default: 2000 }),
        IOA_RATE_PER_S: (0, envalid_1.num)({ default: 20 }),
        IOA_RATE_BURST: (0, envalid_1.num)({ default: 60 }),
        IOA_MESSAGE_MAX_BYTES: (0, envalid_1.num)({ default: 64 * 1024 }),
        IOA_INVITE_TIMEOUT_S: (0, envalid_1.num)({ default: 60 }),
        IOA_FORMING_TIMEOUT_S: (0, envalid_1.num)({ default: 120 }),
        IOA_MAX_TEAM_SIZE: (0, envalid_1.num)({ default: 16 }),
        IOA_TEAM_MIN_COSINE: (0, envalid_1.num)({ default: 0.3 }),
        IOA_INVITES_PER_MINUTE: (0, envalid_1.num)({ default: 30 }),
        IOA_LOG_LEVEL: (0, envalid_1.str)({ choices: ['error', 'warn', 'log', 'debug', 'verbose'], default: 'log' }),
    }, { reporter: reportFirstError });
    if (e.IOA_VECTOR_STORE === 'qdrant' && !e.IOA_QDRANT_URL) {
        throw new ConfigError('IOA_QDRANT_URL: required when IOA_VECTOR_STORE=qdrant');
    }
    if (Boolean(e.IOA_TLS_CERT) !== Boolean(e.IOA_TLS_KEY)) {
        throw new ConfigError(`${e.IOA_TLS_CERT ? 'IOA_TLS_KEY' : 'IOA_TLS_CERT'}: TLS needs both IOA_TLS_CERT and IOA_TLS_KEY`);
    }
    for (const [name, value] of [['IOA_ACCESS_TOKEN_TTL_S', e.IOA_ACCESS_TOKEN_TTL_S], ['IOA_REFRESH_TOKEN_TTL_S', e.IOA_REFRESH_TOKEN_TTL_S], ['IOA_BODY_LIMIT_BYTES', e.IOA_BODY_LIMIT_BYTES],
        ['IOA_SUSPEND_GRACE_S', e.IOA_SUSPEND_GRACE_S], ['IOA_HEARTBEAT_MS', e.IOA_HEARTBEAT_MS], ['IOA_RATE_PER_S', e.IOA_RATE_PER_S],
        ['IOA_RATE_BURST', e.IOA_RATE_BURST], ['IOA_MESSAGE_MAX_BYTES', e.IOA_MESSAGE_MAX_BYTES],
        ['IOA_INVITE_TIMEOUT_S', e.IOA_INVITE_TIMEOUT_S], ['IOA_FORMING_TIMEOUT_S', e.IOA_FORMING_TIMEOUT_S], ['IOA_MAX_TEAM_SIZE', e.IOA_MAX_TEAM_SIZE],
        ['IOA_INVITES_PER_MINUTE', e.IOA_INVITES_PER_MINUTE]]) {
        if (!Number.isInteger(value) || value <= 0)
            throw new ConfigError(`${name}: must be a positive integer (got ${value})`);
    }
    const dataDir = (0, node_path_1.resolve)(e.IOA_DATA_DIR);
    return {
        port: e.IOA_PORT,
        host: e.IOA_HOST,
        dataDir,
        modelsDir: (0, node_path_1.resolve)(dataDir, 'models'),
        databaseUrl: e.IOA_DATABASE_URL ?? null,
        vectorStore: e.IOA_VECTOR_STORE,
        qdrantUrl: e.IOA_QDRANT_URL ?? null,
        embedding: {
            model: e.IOA_EMBEDDING_MODEL || exports.DEFAULT_EMBEDDING_MODEL,
            explicit: Boolean(e.IOA_EMBEDDING_MODEL),
        },
        adminToken: e.IOA_ADMIN_TOKEN ?? null,
        jwtSecret: e.IOA_JWT_SECRET ?? null,
        tls: e.IOA_TLS_CERT && e.IOA_TLS_KEY ? { cert: e.IOA_TLS_CERT, key: e.IOA_TLS_KEY } : null,
        accessTokenTtlS: e.IOA_ACCESS_TOKEN_TTL_S,
        refreshTokenTtlS: e.IOA_REFRESH_TOKEN_TTL_S,
        bodyLimitBytes: e.IOA_BODY_LIMIT_BYTES,
        logLevel: e.IOA_LOG_LEVEL,
        sessions: {
            suspendGraceS: e.IOA_SUSPEND_GRACE_S,
            heartbeatMs: e.IOA_HEARTBEAT_MS,
            ratePerS: e.IOA_RATE_PER_S,
            rateBurst: e.IOA_RATE_BURST,
            messageMaxBytes: e.IOA_MESSAGE_MAX_BYTES,
        },
        teams: {
            inviteTimeoutS: e.IOA_INVITE_TIMEOUT_S,
            formingTimeoutS: e.IOA_FORMING_TIMEOUT_S,
            maxTeamSize: e.IOA_MAX_TEAM_SIZE,
            minCosine: e.IOA_TEAM_MIN_COSINE,
            invitesPerMinute: e.IOA_INVITES_PER_MINUTE,
        },
    };
}
function reportFirstError({ errors }) {
    const [name, error] = Object.entries(errors)[0] ?? [];
    if (name)
        throw new ConfigError(`${name}: ${error?.message ?? 'invalid value'}`);
}
//# sourceMappingURL=config.js.map