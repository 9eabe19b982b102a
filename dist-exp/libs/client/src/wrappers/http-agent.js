"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.httpAgent = httpAgent;
exports.fromA2A = fromA2A;
const node_crypto_1 = require("node:crypto");
const protocol_1 = require("../../../protocol/src");
const outcome_1 = require("./outcome");
const PENDING = new Set(['submitted', 'working']);
const BODY_MAX = 4 * protocol_1.ENVELOPE_LIMITS.textMax;
/**
 * An agent whose tasks are done by a remote HTTP service: a plain JSON endpoint (`POST { task_id, task_desc,
 * task_abstract }` → `{ status, conclusion, abstract }` or text), or an A2A agent (`message/send`).
 * @example
 * runAgent(client, httpAgent({ card, url: 'https://agent.example/a2a', a2a: true, headers: { authorization: `Bearer ${key}` } }));
 */
function httpAgent(options) {
    return {
        card: options.card,
        onTurn: options.onTurn ?? (() => null),
        onTask: async (task) => {
            const signal = AbortSignal.timeout(options.timeoutMs ?? 60_000);
            try {
                return await (options.a2a ? a2aTask(options, task, signal) : plainTask(options, task, signal));
            }
            catch (e) {
                return (0, outcome_1.outcome)('failed', signal.aborted ? `timed out after ${options.timeoutMs ?? 60_000} ms` : `${options.url}: ${e instanceof Error ? e.message : String(e)}`);
            }
        },
    };
}
async function post(o, body, signal) {
    const res = await fetch(o.url, { method: 'POST', headers: { 'content-type': 'application/json', accept: 'application/json', ...o.headers }, body: JSON.stringify(body), signal });
    return { ok: res.ok, status: res.status, type: res.headers.get('content-type') ?? '', text: await readCapped(res) };
}
/** The body, at most BODY_MAX bytes of it: a misbehaving endpoint cannot fill memory. */
async function readCapped(res) {
    if (!res.body)
        return '';
    const chunks = [];
    let size = 0;
    for await (const chunk of res.body) {
        chunks.push(chunk);
        size += chunk.length;
        if (size >= BODY_MAX)
            break;
    }
    return Buffer.concat(chunks).subarray(0, BODY_MAX).toString('utf8');
}
async function plainTask(o, task, signal) {
    const res = await post(o, { task_id: task.id, task_desc: (0, outcome_1.taskText)(task), task_abstract: task.task_abstract }, signal);
    if (!res.ok)
        return (0, outcome_1.outcome)('failed', `HTTP ${res.status}: ${res.text}`, `HTTP ${res.status}`);
    const answer = res.type.includes('json') ? parseJson(res.text) : undefined;
    if (answer && typeof answer.conclusion === 'string') {
        return (0, outcome_1.outcome)(answer.status === 'failed' ? 'failed' : 'completed', answer.conclusion, answer.abstract);
    }
    return (0, outcome_1.outcome)('completed', res.text);
}
async function a2aTask(o, task, signal) {
    const newId = o.newId ?? node_crypto_1.randomUUID;
    const message = { role: 'user', messageId: newId(), parts: [{ kind: 'text', text: (0, outcome_1.taskText)(task) }], kind: 'message' };
    let result = await rpc(o, 'message/send', { message, configuration: { blocking: true } }, signal);
    // A non-blocking server may answer with a task still under way: poll it until it settles or time runs out.
    while (result.kind === 'task' && PENDING.has(result.status?.state ?? '')) {
        await new Promise((r) => setTimeout(r, o.pollIntervalMs ?? 500));
        signal.throwIfAborted();
        result = await rpc(o, 'tasks/get', { id: result.id }, signal);
    }
    return fromA2A(result);
}
async function rpc(o, method, params, signal) {
    const res = await post(o, { jsonrpc: '2.0', id: (o.newId ?? node_crypto_1.randomUUID)(), method, params }, signal);
    const body = parseJson(res.text);
    if (body?.error)
        throw new Error(`A2A error ${body.error.code}: ${body.error.message}`);
    if (!res.ok)
        throw new Error(`HTTP ${res.status}: ${res.text.slice(0, 500)}`);
    if (!body?.result || (body.result.kind !== 'task' && body.result.kind !== 'message'))
        throw new Error(`not an A2A ${method} response: ${res.text.slice(0, 500)}`);
    return body.result;
}
/** An A2A Message answers the task; an A2A Task counts as done only in `completed` (every other state fails it). */
function fromA2A(result) {
    if (result.kind === 'message')
        return (0, outcome_1.outcome)('completed', textOf(result.parts));
    const state = result.status?.state ?? 'unknown';
    const text = [textOf(result.artifacts?.flatMap((a) => a.parts ?? [])), textOf(result.status?.message?.parts)].filter(Boolean).join('\n');
    if (state === 'completed')
        return (0, outcome_1.outcome)('completed', text);
    return (0, outcome_1.outcome)('failed', `A2A task ${state}${text ? `: ${text}` : ''}`, `A2A task ${state}`);
}
const textOf = (parts = []) => parts.filter((p) => p.kind === 'text' && typeof p.text === 'string').map((p) => p.text).join('\n');
function parseJson(text) {
    try {
        const value = JSON.parse(text);
        return value && typeof value === 'object' ? value : undefined;
    }
    catch {
        return undefined;
    }
}
//# sourceMappingURL=http-agent.js.map