"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.IoAClient = void 0;
const node_crypto_1 = require("node:crypto");
const protocol_1 = require("../../protocol/src");
const connection_1 = require("./connection");
const credentials_1 = require("./credentials");
const errors_1 = require("./errors");
const rest_1 = require("./rest");
const senders_1 = require("./senders");
const SERVER_EVENTS = ['turn', 'task', 'group_state', 'goal', 'invite'];
/**
 * An agent's connection to an ioa server: typed event handlers, typed senders that resolve to the ack or throw
 * IoAError, replay-safe subscriptions (each group's last seq is kept; a reconnection re-subscribes with `after_seq`,
 * so every message arrives once), and resends with the same `message_id` when an ack is lost.
 */
class IoAClient extends senders_1.MessageSenders {
    creds;
    rest;
    handlers = new Map();
    lastSeqs = new Map();
    subscribed = new Set();
    seqWaiters = new Map();
    conn;
    ackTimeoutMs = 10_000;
    attempts = 3;
    ready = false;
    constructor(creds, rest) {
        super();
        this.creds = creds;
        this.rest = rest;
    }
    /**
     * Connects an agent: enrols it first when there is no token (reporting the new credentials through `onCredentials`),
     * then opens the socket; an expired access token is refreshed once per refused handshake.
     * @example
     * const client = await IoAClient.connect({ url, token: saved?.token, refreshToken: saved?.refresh_token,
     *   enrollment: { token: process.env.IOA_ENROLLMENT!, card }, onCredentials: (c) => save(c) });
     */
    static async connect(options) {
        let store;
        const rest = new rest_1.RestClient(options.url, { token: () => store?.token, refresh: () => store.refresh() });
        let creds;
        if (options.token) {
            creds = { agent_id: options.agentId ?? (0, credentials_1.agentIdOf)(options.token), token: options.token, refresh_token: options.refreshToken ?? '' };
        }
        else if (options.enrollment) {
            const r = await rest.enroll(options.enrollment.token, options.enrollment.card);
            creds = { agent_id: r.agent.id, token: r.token, refresh_token: r.refresh_token, expires_at: r.expires_at };
            await options.onCredentials?.({ ...creds });
        }
        else {
            throw new errors_1.IoAError({ code: protocol_1.ErrorCode.UNAUTHORIZED, message: 'connect() needs a token or an enrollment' });
        }
        store = new credentials_1.CredentialStore(creds, () => rest, options.onCredentials);
        const client = new IoAClient(store, rest);
        client.ackTimeoutMs = options.ackTimeoutMs ?? client.ackTimeoutMs;
        client.attempts = Math.max(1, options.sendAttempts ?? client.attempts);
        client.conn = new connection_1.Connection(options.url, store, client.ackTimeoutMs, options.socket ?? {}, {
            connected: (first) => void (first ? undefined : client.resubscribe()),
            // Before the first connection, connect() itself throws the error.
            failed: (e) => client.ready && client.dispatch('error', e),
        });
        client.conn.socket.on('message', (env) => client.onMessage(env));
        for (const event of SERVER_EVENTS)
            client.conn.socket.on(event, (...args) => client.dispatch(event, ...args));
        await client.conn.open(options.connectTimeoutMs ?? 30_000);
        client.ready = true;
        return client;
    }
    /** This agent's id. */
    get agentId() {
        return this.creds.agentId;
    }
    /** The credentials in use now (they change with every refresh). */
    get credentials() {
        return this.creds.snapshot();
    }
    /** Whether the socket is connected at this moment. */
    get connected() {
        return this.conn.socket.connected;
    }
    /** The underlying socket.io socket, for diagnostics; send through the client's methods. */
    get socket() {
        return this.conn.socket;
    }
    /**
     * Adds a handler; returns a function that removes it. `message` handlers see each seq of a group once, in order.
     * @example
     * const off = client.on('turn', ({ group_id, holders }) => holders.includes(client.agentId) && speak(group_id));
     */
    on(event, handler) {
        const set = this.handlers.get(event) ?? new Set();
        this.handlers.set(event, set.add(handler));
        return () => void set.delete(handler);
    }
    /**
     * The last seq this client has seen in a group (0 if none).
     * @example
     * const page = await client.rest.messages(groupId, { after_seq: client.lastSeq(groupId) });
     */
    lastSeq(groupId) {
        return this.lastSeqs.get(groupId) ?? 0;
    }
    /**
     * Joins a group's live messages after replaying what this client has not seen (or everything after `afterSeq`);
     * resolves once the replay has been delivered to the `message` handlers. Kept across reconnections.
     * @example
     * const { state, seq } = await client.subscribe(groupId);
     */
    async subscribe(groupId, options = {}) {
        if (options.afterSeq !== undefined)
            this.lastSeqs.set(groupId, options.afterSeq);
        this.subscribed.add(groupId);
        try {
            return await this.subscribeFrom(groupId, this.lastSeq(groupId));
        }
        catch (e) {
            this.subscribed.delete(groupId);
            throw e;
        }
    }
    /**
     * Stops a group's live messages (`turn` and `task` events keep coming, they are addressed to the agent).
     * @example
     * await client.unsubscribe(groupId);
     */
    async unsubscribe(groupId) {
        this.subscribed.delete(groupId);
        await this.conn.emit('unsubscribe', { group_id: groupId }, this.attempts);
    }
    /**
     * Sends one message into a group and resolves to its ack; makes the header and a UUID `message_id`. A lost ack
     * is retried with the same `message_id` after reconnecting, so the message is applied at most once.
     * @example
     * const { seq } = await client.send(groupId, 'discussion', { content: 'alice, ideas?', next_speaker: [aliceId] });
     */
    send(groupId, type, payload, options = {}) {
        const header = { protocol: protocol_1.PROTOCOL_VERSION, message_id: options.messageId ?? (0, node_crypto_1.randomUUID)(), group_id: groupId, type };
        return this.conn.emit('message', { header, payload, ...(options.ext ? { ext: options.ext } : {}) }, this.attempts);
    }
    /**
     * Sends a `{ type, payload }` pair, as an `Agent`'s `onTurn` returns it.
     * @example
     * await client.sendMessage(groupId, { type: 'conclusion', payload: { summary: 'done' } });
     */
    sendMessage(groupId, message, options = {}) {
        return this.send(groupId, message.type, message.payload, options);
    }
    /**
     * Forms a team (a root team without a group, or a sub-team for a task of `parent_task_id`); the members are ids or
     * needs in words that the server resolves and invites. The new group opens once everyone accepted.
     * @example
     * const { group_id } = await client.formTeam({ goal: 'plan a trip', goal_id, team_members: [{ need: 'book flights' }] });
     */
    formTeam(payload, options = {}) {
        const header = { protocol: protocol_1.PROTOCOL_VERSION, message_id: options.messageId ?? (0, node_crypto_1.randomUUID)(), type: 'team_formation' };
        return this.conn.emit('message', { header, payload, ...(options.ext ? { ext: options.ext } : {}) }, this.attempts);
    }
    /**
     * Answers an `invite`; accepting makes this agent a member of the group in the ack.
     * @example
     * client.on('invite', (inv) => void client.replyInvite(inv.invite_id, true));
     */
    replyInvite(inviteId, accept, reason) {
        // Not resent: a second answer to the same invite is refused with CONFLICT.
        return this.conn.emit('invite_reply', { invite_id: inviteId, accept, ...(reason ? { reason } : {}) }, 1);
    }
    /**
     * Disconnects for good; pending sends fail with UNAVAILABLE.
     * @example
     * process.on('SIGTERM', () => client.close());
     */
    close() {
        this.conn.close();
    }
    async subscribeFrom(groupId, afterSeq) {
        const ack = await this.conn.emit('subscribe', { group_id: groupId, after_seq: afterSeq }, this.attempts);
        // A server whose history ends before ours (restored from a backup) will reuse seqs: follow it.
        if (ack.seq < this.lastSeq(groupId))
            this.lastSeqs.set(groupId, ack.seq);
        await this.seqReached(groupId, ack.seq);
        return ack;
    }
    async resubscribe() {
        await Promise.all([...this.subscribed].map((g) => this.subscribeFrom(g, this.lastSeq(g)).catch((e) => this.dispatch('error', asIoAError(e)))));
        this.dispatch('reconnect');
    }
    onMessage(env) {
        const groupId = env?.header?.group_id;
        const seq = env?.header?.seq;
        if (typeof seq === 'number') {
            if (seq <= this.lastSeq(groupId))
                return; // a replay overlapping what we have
            this.lastSeqs.set(groupId, seq);
        }
        this.dispatch('message', env);
        for (const w of [...(this.seqWaiters.get(groupId) ?? [])])
            if (w.seq <= seq)
                w.done();
    }
    /** Waits until the replay up to `seq` has been delivered (bounded by the ack timeout: a replay is never partial). */
    seqReached(groupId, seq) {
        if (this.lastSeq(groupId) >= seq)
            return Promise.resolve();
        return new Promise((resolve) => {
            const waiting = this.seqWaiters.get(groupId) ?? new Set();
            const waiter = {
                seq,
                done: () => {
                    clearTimeout(timer);
                    waiting.delete(waiter);
                    resolve();
                },
            };
            const timer = setTimeout(waiter.done, this.ackTimeoutMs);
            this.seqWaiters.set(groupId, waiting.add(waiter));
        });
    }
    dispatch(event, ...args) {
        const set = this.handlers.get(event);
        if (!set?.size) {
            if (event === 'error')
                console.error(`ioa client ${this.agentId}: ${args[0].message}`);
            return;
        }
        for (const h of [...set]) {
            try {
                const r = h(...args);
                if (r instanceof Promise)
                    r.catch((e) => this.handlerFailed(event, e));
            }
            catch (e) {
                this.handlerFailed(event, e);
            }
        }
    }
    handlerFailed(event, e) {
        if (event === 'error')
            console.error(`ioa client ${this.agentId}: error handler failed:`, e);
        else
            this.dispatch('error', asIoAError(e));
    }
}
exports.IoAClient = IoAClient;
function asIoAError(e) {
    return (0, errors_1.isIoAError)(e) ? e : new errors_1.IoAError({ code: protocol_1.ErrorCode.INTERNAL, message: e instanceof Error ? e.message : String(e) });
}
//# sourceMappingURL=client.js.map