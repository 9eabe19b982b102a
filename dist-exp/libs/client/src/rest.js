"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.RestClient = void 0;
const protocol_1 = require("../../protocol/src");
const errors_1 = require("./errors");
/**
 * A small typed client for the REST half of `ioa/1` over the global `fetch`. Every non-2xx answer becomes an
 * `IoAError` carrying the server's `{ error: { code, message, fields } }` and the HTTP status.
 */
class RestClient {
    options;
    url;
    /**
     * @example
     * const rest = new RestClient('http://localhost:7788', { token: () => creds.token });
     */
    constructor(url, options = {}) {
        this.options = options;
        this.url = url.replace(/\/+$/, '');
    }
    /**
     * Registers an agent with an enrollment token (a one-off credential an admin made); returns the agent and its tokens.
     * @example
     * const { agent, token, refresh_token } = await rest.enroll(enrollmentToken, { name: 'translator', description: 'translates', capabilities: [] });
     */
    enroll(enrollmentToken, card) {
        return this.call('POST', '/agents', card, { bearer: enrollmentToken });
    }
    /**
     * Trades a refresh token for a new pair; the old pair stops working, so persist the answer.
     * @example
     * const { token, refresh_token } = await rest.refresh(saved.refresh_token);
     */
    refresh(refreshToken) {
        return this.call('POST', '/auth/refresh', { refresh_token: refreshToken }, { bearer: null });
    }
    /**
     * Changes fields of an agent's card (the name is fixed at registration).
     * @example
     * await rest.updateCard(client.agentId, { accepting_invites: false });
     */
    updateCard(agentId, patch) {
        return this.call('PATCH', `/agents/${encodeURIComponent(agentId)}`, patch);
    }
    /**
     * An agent's card and status (any token may read it).
     * @example
     * const { name, description } = await rest.getAgent(memberId);
     */
    getAgent(agentId) {
        return this.call('GET', `/agents/${encodeURIComponent(agentId)}`);
    }
    /**
     * Agents ranked by how well their card matches a need in words.
     * @example
     * const { results } = await rest.searchAgents({ query: 'translate into Spanish', top_k: 3, online_only: true });
     */
    searchAgents(query) {
        return this.call('POST', '/agents/search', query);
    }
    /**
     * Creates a group in `discussion`; the coordinator (the caller, unless named) holds the first turn.
     * @example
     * const group = await rest.createGroup({ goal: 'plan a trip', members: [aliceId, bobId] });
     */
    createGroup(body) {
        return this.call('POST', '/groups', body);
    }
    /**
     * Groups the caller may read, newest first (an agent's own groups).
     * @example
     * const open = (await rest.listGroups({ limit: 100 })).items.filter((g) => g.state !== 'closed');
     */
    listGroups(query = {}) {
        return this.call('GET', `/groups${queryString(query)}`);
    }
    /**
     * A group's state, members, turn and seq.
     * @example
     * const { state, turn } = await rest.getGroup(groupId);
     */
    getGroup(groupId) {
        return this.call('GET', `/groups/${encodeURIComponent(groupId)}`);
    }
    /**
     * A page of a group's history in seq order, in the caller's view.
     * @example
     * const { items, next_after_seq } = await rest.messages(groupId, { after_seq: 10, limit: 100 });
     */
    messages(groupId, query = {}) {
        return this.call('GET', `/groups/${encodeURIComponent(groupId)}/messages${queryString(query)}`);
    }
    /**
     * A group's tasks; `task_desc` only where the caller may read it.
     * @example
     * const mine = (await rest.tasks(groupId)).filter((t) => t.assignee.includes(client.agentId));
     */
    tasks(groupId) {
        return this.call('GET', `/groups/${encodeURIComponent(groupId)}/tasks`);
    }
    /**
     * Submits a goal; its coordinator (named, or the best online match) receives a `goal` event.
     * @example
     * const goal = await rest.createGoal({ goal: 'plan a cheap trip to Madrid', team_up_depth: 1 });
     */
    createGoal(body) {
        return this.call('POST', '/goals', body);
    }
    /**
     * A goal's status and result, with its team tree.
     * @example
     * const { status, result } = await rest.getGoal(goalId);
     */
    getGoal(goalId) {
        return this.call('GET', `/goals/${encodeURIComponent(goalId)}`);
    }
    /**
     * Any route of the API without a typed method here (admin routes, trees, decisions), by its path after `/v1`.
     * @example
     * const { token } = await rest.request<{ token: string }>('POST', '/auth/observer-tokens', { scope: { all: true } });
     */
    request(method, path, body) {
        return this.call(method, path, body);
    }
    async call(method, path, body, auth = 'access') {
        try {
            return await this.once(method, path, body, auth);
        }
        catch (e) {
            const retry = auth === 'access' && this.options.refresh && e instanceof errors_1.IoAError && e.code === protocol_1.ErrorCode.UNAUTHORIZED;
            if (!retry)
                throw e;
            // A refresh that fails (no refresh token, or a spent one) leaves the server's own refusal as the answer.
            await this.options.refresh().catch(() => Promise.reject(e));
            return this.once(method, path, body, auth);
        }
    }
    async once(method, path, body, auth) {
        const bearer = auth === 'access' ? this.options.token?.() : auth.bearer;
        let res;
        try {
            res = await fetch(`${this.url}/${protocol_1.API_PREFIX}${path}`, {
                method,
                headers: { ...(bearer ? { authorization: `Bearer ${bearer}` } : {}), ...(body !== undefined ? { 'content-type': 'application/json' } : {}) },
                body: body === undefined ? undefined : JSON.stringify(body),
            });
        }
        catch (e) {
            throw (0, errors_1.unavailable)(`${method} ${path}: ${e.message}`);
        }
        const text = await res.text();
        let parsed = null;
        try {
            parsed = text ? JSON.parse(text) : null;
        }
        catch {
            parsed = text;
        }
        if (res.ok)
            return parsed;
        throw new errors_1.IoAError((0, errors_1.errorBodyOf)(parsed, { code: codeOfStatus(res.status), message: `${method} ${path}: HTTP ${res.status}` }), res.status);
    }
}
exports.RestClient = RestClient;
function queryString(query) {
    const qs = new URLSearchParams(Object.entries(query).filter(([, v]) => v !== undefined).map(([k, v]) => [k, String(v)])).toString();
    return qs ? `?${qs}` : '';
}
/** Best guess of a code for an error answer that carried no body (a proxy's 502, say). */
function codeOfStatus(status) {
    const hit = Object.entries(protocol_1.HTTP_STATUS).find(([, s]) => s === status);
    return hit ? hit[0] : status >= 500 ? protocol_1.ErrorCode.UNAVAILABLE : protocol_1.ErrorCode.INTERNAL;
}
//# sourceMappingURL=rest.js.map