"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.sleep = void 0;
exports.api = api;
exports.until = until;
/**
 * A tiny JSON client for the routes the SDK's RestClient does not cover (admin and observer routes).
 * @example
 * const admin = api(url, adminToken);
 * const { token } = await admin('POST', '/v1/auth/enrollments', { max_uses: 1 });
 */
function api(base, token) {
    return async (method, path, body) => {
        const res = await fetch(`${base}${path}`, {
            method,
            headers: { authorization: `Bearer ${token}`, ...(body !== undefined ? { 'content-type': 'application/json' } : {}) },
            body: body === undefined ? undefined : JSON.stringify(body),
            signal: AbortSignal.timeout(10_000),
        });
        const text = await res.text();
        if (!res.ok)
            throw new Error(`${method} ${path}: HTTP ${res.status} ${text.slice(0, 300)}`);
        return text ? JSON.parse(text) : null;
    };
}
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
exports.sleep = sleep;
/** Polls `check` every `everyMs` until it returns a value other than undefined, or throws after `timeoutMs`. */
async function until(what, check, timeoutMs, everyMs = 200) {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
        const value = await check().catch(() => undefined);
        if (value !== undefined)
            return value;
        if (Date.now() > deadline)
            throw new Error(`timed out after ${Math.round(timeoutMs / 1000)} s waiting for ${what}`);
        await (0, exports.sleep)(everyMs);
    }
}
//# sourceMappingURL=http.js.map