"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.BENCH_RATE = exports.ADMIN_TOKEN = void 0;
exports.startIoa = startIoa;
exports.startRaw = startRaw;
const node_child_process_1 = require("node:child_process");
const node_crypto_1 = require("node:crypto");
const node_fs_1 = require("node:fs");
const node_os_1 = require("node:os");
const node_path_1 = require("node:path");
const server_1 = require("../../test/support/server");
const stats_1 = require("./stats");
const IOA_MAIN = (0, node_path_1.join)(__dirname, '../../apps/server/src/main.js');
const RAW_MAIN = (0, node_path_1.join)(__dirname, 'raw-server.js');
const HOOKS = ['--expose-gc', '-r', (0, node_path_1.join)(__dirname, 'server-hooks.js')];
exports.ADMIN_TOKEN = 'bench-admin-token-0123456789abcdef';
/** Far above what the benchmark sends per agent, so that the per-agent flood limit never throttles it. */
exports.BENCH_RATE = 1_000_000;
const running = new Set();
const killAll = () => running.forEach((c) => c.kill('SIGKILL'));
// Last resort if the benchmark dies without reaching its cleanup; normal runs stop their children themselves.
process.once('exit', killAll);
async function startIoa(extraNodeArgs = []) {
    const port = await (0, server_1.freePort)();
    const dataDir = (0, node_fs_1.mkdtempSync)((0, node_path_1.join)((0, node_os_1.tmpdir)(), 'ioa-bench-'));
    const url = `http://127.0.0.1:${port}`;
    const server = new ChildServer('ioa', [...HOOKS, ...extraNodeArgs, IOA_MAIN], url, {
        PATH: process.env.PATH ?? '',
        IOA_PORT: String(port),
        IOA_HOST: '127.0.0.1',
        IOA_DATA_DIR: dataDir,
        IOA_ADMIN_TOKEN: exports.ADMIN_TOKEN,
        IOA_EMBEDDING_MODEL: 'none',
        IOA_LOG_LEVEL: 'warn',
        IOA_RATE_PER_S: String(exports.BENCH_RATE),
        IOA_RATE_BURST: String(exports.BENCH_RATE),
    });
    const removeData = () => (0, node_fs_1.rmSync)(dataDir, { recursive: true, force: true });
    await server.start().catch((e) => (removeData(), Promise.reject(e)));
    return {
        name: 'ioa',
        url,
        get pid() {
            return server.pid;
        },
        async register(count) {
            const jobs = Array.from({ length: count }, (_, i) => async () => {
                const body = await post(url, '/v1/agents', exports.ADMIN_TOKEN, { name: `bench-agent-${i}`, description: 'benchmark agent', capabilities: [] });
                return { id: body.agent.id, token: body.token };
            });
            return (0, stats_1.pool)(jobs, 8);
        },
        async createGroup(coordinator, members) {
            // max_turns at its ceiling so that no group reaches its conclusion during the run.
            const body = await post(url, '/v1/groups', coordinator.token, { goal: 'benchmark session', members, max_turns: 10_000 });
            return body.id;
        },
        memory: () => server.memory(),
        restart: () => server.restart(),
        stop: () => server.stop().finally(removeData),
    };
}
async function startRaw() {
    const port = await (0, server_1.freePort)();
    const url = `http://127.0.0.1:${port}`;
    const server = new ChildServer('raw socket.io', [...HOOKS, RAW_MAIN, String(port)], url, { PATH: process.env.PATH ?? '' });
    await server.start();
    return {
        name: 'raw',
        url,
        get pid() {
            return server.pid;
        },
        register: async (count) => Array.from({ length: count }, () => {
            const id = (0, node_crypto_1.randomUUID)();
            return { id, token: id };
        }),
        createGroup: async () => (0, node_crypto_1.randomUUID)(),
        memory: () => server.memory(),
        restart: () => server.restart(),
        stop: () => server.stop(),
    };
}
/** A server as a child process: node with the benchmark's hooks preloaded, an IPC channel, and output kept for errors. */
class ChildServer {
    what;
    args;
    url;
    env;
    child = null;
    output = '';
    constructor(what, args, url, env) {
        this.what = what;
        this.args = args;
        this.url = url;
        this.env = env;
    }
    get pid() {
        return this.child?.pid ?? 0;
    }
    async start() {
        const child = (0, node_child_process_1.spawn)(process.execPath, this.args, { env: this.env, stdio: ['ignore', 'pipe', 'pipe', 'ipc'] });
        this.child = child;
        running.add(child);
        const keep = (d) => (this.output = (this.output + d).slice(-8000));
        child.stdout?.on('data', keep);
        child.stderr?.on('data', keep);
        const exited = new Promise((_, reject) => child.once('exit', (code) => reject(new Error(`${this.what} exited with ${code}:\n${this.output}`))));
        exited.catch(() => undefined);
        const ready = (async () => {
            for (const until = Date.now() + 60_000; Date.now() < until; await new Promise((r) => setTimeout(r, 100))) {
                if (await fetch(`${this.url}/health`).then(() => true, () => false))
                    return;
            }
            throw new Error(`${this.what} did not start within 60 s:\n${this.output}`);
        })();
        try {
            await Promise.race([ready, exited]);
        }
        catch (e) {
            await this.stop();
            throw e;
        }
    }
    /** The server's memory right after a full GC (see server-hooks.ts). */
    memory() {
        const child = this.child;
        if (!child)
            return Promise.reject(new Error(`${this.what} is not running`));
        const mb = (bytes) => Math.round((bytes / 2 ** 20) * 10) / 10;
        return new Promise((resolve, reject) => {
            const timer = setTimeout(() => reject(new Error(`${this.what} did not answer the gc request within 10 s`)), 10_000);
            child.once('message', (m) => {
                clearTimeout(timer);
                resolve({ rss_mb: mb(m.memory.rss), heap_used_mb: mb(m.memory.heapUsed), external_mb: mb(m.memory.external) });
            });
            child.send('gc');
        });
    }
    async restart() {
        await this.stop();
        await this.start();
    }
    /** SIGTERM, then SIGKILL after 10 s: a child never outlives the benchmark. */
    async stop() {
        const child = this.child;
        this.child = null;
        if (!child)
            return;
        if (child.exitCode === null && child.signalCode === null) {
            await new Promise((resolve) => {
                const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
                child.once('exit', () => (clearTimeout(timer), resolve()));
                child.kill('SIGTERM');
            });
        }
        running.delete(child);
    }
}
async function post(base, path, token, body) {
    const res = await fetch(`${base}${path}`, {
        method: 'POST',
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
        body: JSON.stringify(body),
    });
    const json = await res.json();
    if (res.status !== 201)
        throw new Error(`POST ${path}: ${res.status} ${JSON.stringify(json)}`);
    return json;
}
//# sourceMappingURL=targets.js.map