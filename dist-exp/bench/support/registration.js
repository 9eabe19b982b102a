"use strict";
var __importDefault = (this && this.__importDefault) || function (mod) {
    return (mod && mod.__esModule) ? mod : { "default": mod };
};
Object.defineProperty(exports, "__esModule", { value: true });
exports.registration = registration;
const node_child_process_1 = require("node:child_process");
const node_fs_1 = require("node:fs");
const node_os_1 = require("node:os");
const node_path_1 = require("node:path");
const agents_json_1 = __importDefault(require("../../test/fixtures/agents.json"));
const server_1 = require("../../test/support/server");
const stats_1 = require("./stats");
const targets_1 = require("./targets");
const WIDTH = 8;
/** Fixture cards made unique by index, so the lexical index grows with realistic text. */
function card(i) {
    const base = agents_json_1.default[i % agents_json_1.default.length];
    return { ...base, name: `${base.name}-${i}`, description: `${base.description} (instance ${i})` };
}
async function registerAll(url, token, count) {
    const started = Date.now();
    await (0, stats_1.pool)(Array.from({ length: count }, (_, i) => async () => {
        const res = await fetch(`${url}/v1/agents`, {
            method: 'POST',
            headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
            body: JSON.stringify(card(i)),
        });
        if (res.status !== 201)
            throw new Error(`registration ${i}: ${res.status} ${await res.text()}`);
        await res.arrayBuffer();
    }), WIDTH);
    return (Date.now() - started) / 1000;
}
const rssMb = (pid) => Number(/VmRSS:\s+(\d+)/.exec((0, node_fs_1.readFileSync)(`/proc/${pid}/status`, 'utf8'))?.[1] ?? 0) / 1024;
/**
 * Registration throughput and server RSS with `count` agents (lexical search: no model), over REST with 8 requests
 * in flight, beside a plain http + SQLite insert server doing the same requests.
 */
async function registration(count) {
    const dir = (0, node_fs_1.mkdtempSync)((0, node_path_1.join)((0, node_os_1.tmpdir)(), 'ioa-bench-raw-registry-'));
    const port = await (0, server_1.freePort)();
    const raw = (0, node_child_process_1.fork)((0, node_path_1.join)(__dirname, 'raw-registry.js'), [String(port), (0, node_path_1.join)(dir, 'raw.sqlite')], { stdio: 'ignore' });
    try {
        await new Promise((resolve) => raw.once('message', resolve));
        const rawSeconds = await registerAll(`http://127.0.0.1:${port}`, null, count);
        const rawRss = rssMb(raw.pid);
        const ioa = await (0, targets_1.startIoa)();
        try {
            const before = rssMb(ioa.pid);
            const seconds = await registerAll(ioa.url, targets_1.ADMIN_TOKEN, count);
            const after = rssMb(ioa.pid);
            const searchStarted = Date.now();
            const res = await fetch(`${ioa.url}/v1/agents/search`, {
                method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${targets_1.ADMIN_TOKEN}` }, body: JSON.stringify({ query: 'turn this paragraph into Spanish' }),
            });
            await res.json();
            return {
                agents: count, in_flight: WIDTH,
                ioa: { per_s: (0, stats_1.round)(count / seconds), seconds: (0, stats_1.round)(seconds), rss_mb_before: (0, stats_1.round)(before), rss_mb_after: (0, stats_1.round)(after), search_ms_at_end: Date.now() - searchStarted },
                raw_http_sqlite: { per_s: (0, stats_1.round)(count / rawSeconds), seconds: (0, stats_1.round)(rawSeconds), rss_mb: (0, stats_1.round)(rawRss) },
                ratio_per_s: (0, stats_1.round)(rawSeconds / seconds, 3),
            };
        }
        finally {
            await ioa.stop();
        }
    }
    finally {
        raw.kill('SIGKILL');
        (0, node_fs_1.rmSync)(dir, { recursive: true, force: true });
    }
}
//# sourceMappingURL=registration.js.map