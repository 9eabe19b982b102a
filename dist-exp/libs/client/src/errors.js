"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.IoAError = void 0;
exports.isIoAError = isIoAError;
exports.unavailable = unavailable;
exports.errorBodyOf = errorBodyOf;
const protocol_1 = require("../../protocol/src");
/**
 * Every failure the SDK reports: a refused REST call, a refused socket ack, or a client-side give-up (code
 * `UNAVAILABLE`). `code` is the protocol's error code, so callers branch on it rather than on messages.
 */
class IoAError extends Error {
    code;
    /** With `VALIDATION` only: each failing field by its path (`payload.next_speaker`, …). */
    fields;
    /** The HTTP status of a refused REST call; absent for socket acks and client-side errors. */
    status;
    constructor(body, status) {
        super(body.message);
        this.name = 'IoAError';
        this.code = body.code;
        if (body.fields)
            this.fields = body.fields;
        if (status !== undefined)
            this.status = status;
    }
}
exports.IoAError = IoAError;
/**
 * Whether `e` is an IoAError, optionally with one of the given codes.
 * @example
 * try { await client.discussion(g, 'hi', []); } catch (e) { if (isIoAError(e, ErrorCode.NOT_YOUR_TURN)) return; throw e; }
 */
function isIoAError(e, ...codes) {
    return e instanceof IoAError && (codes.length === 0 || codes.includes(e.code));
}
/** A client-side failure: the server could not be reached or did not answer. */
function unavailable(message) {
    return new IoAError({ code: protocol_1.ErrorCode.UNAVAILABLE, message });
}
/** Reads an `ErrorBody` out of whatever a server sent (`{ error: {...} }`, a bare body, or garbage). */
function errorBodyOf(raw, fallback) {
    const candidate = raw?.error ?? raw;
    if (candidate && typeof candidate === 'object') {
        const { code, message, fields } = candidate;
        if (typeof code === 'string' && Object.values(protocol_1.ErrorCode).includes(code)) {
            return { code, message: typeof message === 'string' ? message : code, ...(Array.isArray(fields) ? { fields } : {}) };
        }
    }
    return fallback;
}
//# sourceMappingURL=errors.js.map