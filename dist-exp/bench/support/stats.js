"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.sleep = exports.round = void 0;
exports.summarize = summarize;
exports.ratio = ratio;
exports.cpuSeconds = cpuSeconds;
exports.withCpu = withCpu;
exports.countInto = countInto;
exports.withDeadline = withDeadline;
exports.waitUntil = waitUntil;
exports.pool = pool;
const node_fs_1 = require("node:fs");
const round = (x, digits = 2) => Number(x.toFixed(digits));
exports.round = round;
/** Nearest-rank percentiles of latencies in ms. */
function summarize(values) {
    const sorted = [...values].sort((a, b) => a - b);
    const at = (p) => (sorted.length ? sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] : NaN);
    return { count: sorted.length, p50_ms: (0, exports.round)(at(50)), p99_ms: (0, exports.round)(at(99)), max_ms: (0, exports.round)(sorted[sorted.length - 1] ?? NaN) };
}
function ratio(a, b) {
    return b > 0 ? (0, exports.round)(a / b, 3) : NaN;
}
/** CPU seconds (user + system) a process has used so far; Linux reports them in clock ticks of 1/100 s. */
function cpuSeconds(pid) {
    const stat = (0, node_fs_1.readFileSync)(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) / 100;
}
/** Measures how busy the server process and this (client) process were while `work` ran, in % of one core. */
async function withCpu(serverPid, work) {
    const server0 = cpuSeconds(serverPid);
    const client0 = process.cpuUsage();
    const result = await work();
    const client = process.cpuUsage(client0);
    const pct = (s) => (0, exports.round)((100 * s) / result.seconds, 0);
    return { ...result, cpu_pct: { server: pct(cpuSeconds(serverPid) - server0), clients: pct((client.user + client.system) / 1e6) } };
}
function countInto(counts, key) {
    counts[key] = (counts[key] ?? 0) + 1;
}
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
exports.sleep = sleep;
/** Rejects if `promise` has not settled within `ms`, so that no phase can hang the benchmark. */
function withDeadline(promise, ms, what) {
    let timer;
    const deadline = new Promise((_, reject) => {
        timer = setTimeout(() => reject(new Error(`${what} did not finish within ${ms / 1000} s`)), ms);
    });
    return Promise.race([promise, deadline]).finally(() => clearTimeout(timer));
}
/** Polls until `done()` or `ms` pass; returns whether it got done. */
async function waitUntil(done, ms) {
    const until = Date.now() + ms;
    while (!done()) {
        if (Date.now() > until)
            return false;
        await (0, exports.sleep)(5);
    }
    return true;
}
/** Runs async jobs with at most `width` in flight, keeping their order in the result. */
async function pool(jobs, width) {
    const out = new Array(jobs.length);
    let next = 0;
    const worker = async () => {
        while (next < jobs.length) {
            const i = next++;
            out[i] = await jobs[i]();
        }
    };
    await Promise.all(Array.from({ length: Math.min(width, jobs.length) }, worker));
    return out;
}
//# sourceMappingURL=stats.js.map