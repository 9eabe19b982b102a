"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.CredentialStore = void 0;
exports.agentIdOf = agentIdOf;
const protocol_1 = require("../../protocol/src");
const errors_1 = require("./errors");
/**
 * Holds an agent's current tokens and rotates them. A refresh token works once (presenting a spent one revokes the
 * pair), so concurrent refreshes, e.g. a REST call and a socket reconnect that both met an expired token, share one
 * request; each new pair is handed to `persist` before anyone uses it.
 */
class CredentialStore {
    current;
    rest;
    persist;
    inflight = null;
    constructor(current, rest, persist) {
        this.current = current;
        this.rest = rest;
        this.persist = persist;
    }
    get token() {
        return this.current.token;
    }
    get agentId() {
        return this.current.agent_id;
    }
    get canRefresh() {
        return !!this.current.refresh_token;
    }
    snapshot() {
        return { ...this.current };
    }
    /** Rotates the pair with `POST /v1/auth/refresh`; joins a rotation already under way. */
    refresh() {
        this.inflight ??= this.rotate().finally(() => (this.inflight = null));
        return this.inflight;
    }
    async rotate() {
        if (!this.current.refresh_token)
            throw new errors_1.IoAError({ code: protocol_1.ErrorCode.UNAUTHORIZED, message: 'the access token was refused and there is no refresh token' });
        const fresh = await this.rest().refresh(this.current.refresh_token);
        this.current = { agent_id: this.current.agent_id, token: fresh.token, refresh_token: fresh.refresh_token, expires_at: fresh.expires_at };
        await this.persist?.(this.snapshot());
        return this.snapshot();
    }
}
exports.CredentialStore = CredentialStore;
/**
 * The agent id an access token was issued to (its JWT `sub` claim), read without verifying the signature.
 * @example
 * agentIdOf(saved.token); // '3f0c…'
 */
function agentIdOf(token) {
    try {
        const claims = JSON.parse(Buffer.from(token.split('.')[1] ?? '', 'base64url').toString('utf8'));
        if (typeof claims.sub === 'string' && claims.sub)
            return claims.sub;
    }
    catch {
        /* fall through */
    }
    throw new errors_1.IoAError({ code: protocol_1.ErrorCode.VALIDATION, message: 'cannot read the agent id from the token; pass agentId to connect()' });
}
//# sourceMappingURL=credentials.js.map