"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.ServerProcess = void 0;
const node_child_process_1 = require("node:child_process");
const node_fs_1 = require("node:fs");
const node_net_1 = require("node:net");
const node_path_1 = require("node:path");
const http_1 = require("./http");
const MAIN = (0, node_path_1.join)(__dirname, '..', 'main.js');
// What a data dir of ours may hold; anything else in it means the path was not made by ioa, so we do not delete it.
const DATA_DIR_ENTRIES = new Set(['ioa.sqlite', 'ioa.sqlite-shm', 'ioa.sqlite-wal', 'jwt.secret', 'cache', 'models', 'vectors']);
/** The built server (`dist/apps/server/src/main.js`) as a child process on loopback, with a fresh data dir. */
class ServerProcess {
    child = null;
    output = [];
    url = '';
    async start(options, timeoutMs) {
        if (!(0, node_fs_1.existsSync)(MAIN))
            throw new Error(`${MAIN} is missing: run npm run build first`);
        freshDataDir(options.dataDir);
        const port = await choosePort(options.port);
        this.url = `http://127.0.0.1:${port}`;
        // Only our variables: a DATABASE_URL or model setting from the caller's shell must not leak into the demo.
        const inherited = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('IOA_')));
        const env = {
            ...inherited, IOA_PORT: String(port), IOA_HOST: '127.0.0.1', IOA_DATA_DIR: options.dataDir, IOA_ADMIN_TOKEN: options.adminToken, IOA_LOG_LEVEL: 'warn',
        };
        const child = (0, node_child_process_1.spawn)(process.execPath, [MAIN], { env, stdio: ['ignore', 'pipe', 'pipe'] });
        this.child = child;
        const onData = (chunk) => {
            for (const raw of String(chunk).split('\n')) {
                const line = tidy(raw);
                if (!line)
                    continue;
                this.output.push(line);
                options.onLine(line);
            }
        };
        child.stdout?.on('data', onData);
        child.stderr?.on('data', onData);
        const exited = new Promise((_, reject) => child.once('exit', (code) => reject(new Error(`the server exited with code ${code}:\n${this.output.slice(-20).join('\n')}`))));
        exited.catch(() => undefined);
        const healthy = (async () => {
            const deadline = Date.now() + timeoutMs;
            while (Date.now() < deadline) {
                const ok = await fetch(`${this.url}/health`).then((r) => r.ok, () => false);
                if (ok)
                    return;
                await (0, http_1.sleep)(100);
            }
            throw new Error(`the server did not answer /health within ${timeoutMs / 1000} s`);
        })();
        await Promise.race([healthy, exited]);
    }
    /** Stops the server (SIGTERM, then SIGKILL after 5 s). */
    async stop() {
        const child = this.child;
        this.child = null;
        if (!child || child.exitCode !== null || child.signalCode !== null)
            return;
        await new Promise((done) => {
            const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
            child.once('exit', () => (clearTimeout(timer), done()));
            child.kill('SIGTERM');
        });
    }
    /** For process exit paths that cannot wait. */
    killNow() {
        if (this.child && this.child.exitCode === null)
            this.child.kill('SIGTERM');
    }
}
exports.ServerProcess = ServerProcess;
/** Deletes the data dir of a previous run, refusing a directory that holds anything an ioa server would not write. */
function freshDataDir(dir) {
    const path = (0, node_path_1.resolve)(dir);
    if (!(0, node_fs_1.existsSync)(path))
        return;
    const foreign = (0, node_fs_1.readdirSync)(path).filter((e) => !DATA_DIR_ENTRIES.has(e));
    if (foreign.length)
        throw new Error(`refusing to delete ${path}: it holds ${foreign.slice(0, 3).join(', ')}, which is not an ioa data dir`);
    (0, node_fs_1.rmSync)(path, { recursive: true, force: true });
}
/** 7788 when free (`port` 7788), the given port, or any free one (`port` 0 or 7788 taken). */
async function choosePort(port) {
    if (port !== 0 && (await canListen(port)))
        return port;
    if (port !== 0 && port !== 7788)
        throw new Error(`port ${port} is in use`);
    return new Promise((done, fail) => {
        const srv = (0, node_net_1.createServer)();
        srv.once('error', fail);
        srv.listen(0, '127.0.0.1', () => {
            const { port: free } = srv.address();
            srv.close(() => done(free));
        });
    });
}
function canListen(port) {
    return new Promise((done) => {
        const srv = (0, node_net_1.createServer)();
        srv.once('error', () => done(false));
        srv.listen(port, '127.0.0.1', () => srv.close(() => done(true)));
    });
}
/** A Nest log line without colours, pid and date: `WARN [embeddings] no sentence model: …`. */
function tidy(raw) {
    // eslint-disable-next-line no-control-regex
    const plain = raw.replace(/\x1b\[[0-9;]*m/g, '').trim();
    return plain.replace(/^\[Nest\]\s+\d+\s+-\s+.*?\s{2,}(\w+)\s+/, '$1 ').replace(/\s+/g, ' ');
}
//# sourceMappingURL=server-process.js.map