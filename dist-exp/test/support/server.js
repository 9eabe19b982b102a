"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.TestServer = exports.ADMIN_TOKEN = void 0;
exports.runToExit = runToExit;
exports.freePort = freePort;
const node_child_process_1 = require("node:child_process");
const node_fs_1 = require("node:fs");
const node_net_1 = require("node:net");
const node_os_1 = require("node:os");
const node_path_1 = require("node:path");
const MAIN = (0, node_path_1.join)(__dirname, '../../dist/apps/server/src/main.js');
exports.ADMIN_TOKEN = 'test-admin-token-0123456789abcdef';
/** The built server as a real child process on loopback, with its own SQLite file in a temp data dir. */
class TestServer {
    options;
    dataDir;
    port = 0;
    child = null;
    output = '';
    constructor(options = {}) {
        this.options = options;
        this.dataDir = options.dataDir ?? (0, node_fs_1.mkdtempSync)((0, node_path_1.join)((0, node_os_1.tmpdir)(), 'ioa-e2e-'));
    }
    get url() {
        const scheme = this.options.env?.IOA_TLS_CERT ? 'https' : 'http';
        return `${scheme}://127.0.0.1:${this.port}`;
    }
    async start() {
        this.port = this.port || (await freePort());
        const env = {
            PATH: process.env.PATH ?? '',
            IOA_PORT: String(this.port),
            IOA_HOST: '127.0.0.1',
            IOA_DATA_DIR: this.dataDir,
            IOA_ADMIN_TOKEN: exports.ADMIN_TOKEN,
            IOA_EMBEDDING_MODEL: 'none',
            IOA_LOG_LEVEL: 'warn',
            ...this.options.env,
        };
        // An empty value in the options means "leave this variable unset".
        for (const [k, v] of Object.entries(env))
            if (v === '')
                delete env[k];
        this.output = '';
        const child = (0, node_child_process_1.spawn)(process.execPath, [MAIN], { env, stdio: ['ignore', 'pipe', 'pipe'] });
        this.child = child;
        child.stdout?.on('data', (d) => (this.output += d));
        child.stderr?.on('data', (d) => (this.output += d));
        await new Promise((resolve, reject) => {
            const timer = setTimeout(() => reject(new Error(`server did not start in 30 s:\n${this.output}`)), 30_000);
            child.once('exit', (code) => {
                clearTimeout(timer);
                reject(new Error(`server exited with ${code}:\n${this.output}`));
            });
            const poll = () => fetch(`http://127.0.0.1:${this.port}/health`).then(() => {
                clearTimeout(timer);
                resolve();
            }, () => setTimeout(poll, 100));
            if (!this.options.env?.IOA_TLS_CERT)
                poll();
            else
                child.stdout?.on('data', (d) => String(d).includes('listening on') && (clearTimeout(timer), resolve()));
        });
        child.removeAllListeners('exit');
        return this;
    }
    async stop(signal = 'SIGTERM') {
        const child = this.child;
        if (!child || child.exitCode !== null)
            return;
        await new Promise((resolve) => {
            child.once('exit', () => resolve());
            child.kill(signal);
        });
        this.child = null;
    }
    async restart() {
        await this.stop();
        await this.start();
    }
    async dispose() {
        await this.stop('SIGKILL');
        if (!this.options.dataDir)
            (0, node_fs_1.rmSync)(this.dataDir, { recursive: true, force: true });
    }
}
exports.TestServer = TestServer;
/** Runs the server to completion and returns its exit code and output (start-up failure tests). */
function runToExit(env, timeoutMs = 30_000) {
    return new Promise((resolve, reject) => {
        const child = (0, node_child_process_1.spawn)(process.execPath, [MAIN], { env: { PATH: process.env.PATH ?? '', ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
        let output = '';
        child.stdout.on('data', (d) => (output += d));
        child.stderr.on('data', (d) => (output += d));
        const timer = setTimeout(() => (child.kill('SIGKILL'), reject(new Error(`did not exit:\n${output}`))), timeoutMs);
        child.on('exit', (code) => (clearTimeout(timer), resolve({ code, output })));
    });
}
function freePort() {
    return new Promise((resolve, reject) => {
        const srv = (0, node_net_1.createServer)();
        srv.once('error', reject);
        srv.listen(0, '127.0.0.1', () => {
            const { port } = srv.address();
            srv.close(() => resolve(port));
        });
    });
}
//# sourceMappingURL=server.js.map