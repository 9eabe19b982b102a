"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.Connection = void 0;
const protocol_1 = require("../../protocol/src");
const socket_io_client_1 = require("socket.io-client");
const errors_1 = require("./errors");
/**
 * One socket.io connection with the reliability rules of the SDK: websocket only, the current access token in every
 * handshake, one token refresh per refused handshake, socket.io's own reconnection for transport failures, and acked
 * emits that wait for the connection and resend the identical packet after a timeout or a drop.
 */
class Connection {
    creds;
    ackTimeoutMs;
    hooks;
    socket;
    waiters = [];
    fatal = null;
    everConnected = false;
    refreshedSinceConnect = false;
    retryDelayMs;
    constructor(url, creds, ackTimeoutMs, tuning, hooks) {
        this.creds = creds;
        this.ackTimeoutMs = ackTimeoutMs;
        this.hooks = hooks;
        this.retryDelayMs = tuning.reconnectionDelay ?? 500;
        this.socket = (0, socket_io_client_1.io)(url, {
            reconnectionDelay: 500,
            reconnectionDelayMax: 5000,
            ...tuning,
            reconnection: true,
            transports: ['websocket'],
            autoConnect: false,
            // A function, so that every reconnection presents the token current at that moment.
            auth: (cb) => cb({ token: this.creds.token }),
        });
        this.socket.on('connect', () => this.onConnect());
        this.socket.on('connect_error', (err) => void this.onConnectError(err));
        this.socket.on('disconnect', (reason) => {
            // The server closed this socket on purpose (agent disabled, say): try once more; a refused handshake ends it.
            if (reason === 'io server disconnect' && !this.fatal)
                setTimeout(() => !this.fatal && this.socket.connect(), this.retryDelayMs);
        });
    }
    /** Connects and waits for the first connection; gives up after `timeoutMs`. */
    async open(timeoutMs) {
        this.socket.connect();
        let timer;
        const timeout = new Promise((_, reject) => {
            timer = setTimeout(() => reject((0, errors_1.unavailable)(`no connection within ${timeoutMs} ms`)), timeoutMs);
        });
        try {
            await Promise.race([this.waitConnected(), timeout]);
        }
        catch (e) {
            this.close(e);
            throw e;
        }
        finally {
            clearTimeout(timer);
        }
    }
    /** Resolves when the socket is connected; rejects once the connection has given up. */
    waitConnected() {
        if (this.fatal)
            return Promise.reject(this.fatal);
        if (this.socket.connected)
            return Promise.resolve();
        return new Promise((resolve, reject) => this.waiters.push({ resolve, reject }));
    }
    /**
     * Emits an event and returns its ack's payload, or throws IoAError with the ack's code. A timeout or a drop before
     * the ack is retried with the identical data after reconnecting, at most `attempts` times in all.
     */
    async emit(event, data, attempts) {
        let last = '';
        for (let i = 0; i < attempts; i++) {
            await this.waitConnected();
            let ack;
            try {
                const timed = this.socket.timeout(this.ackTimeoutMs);
                ack = await timed.emitWithAck(event, data);
            }
            catch (e) {
                last = e.message;
                continue;
            }
            if (ack && typeof ack === 'object' && ack.ok === true) {
                const { ok: _ok, ...payload } = ack;
                return payload;
            }
            throw new errors_1.IoAError((0, errors_1.errorBodyOf)(ack, { code: protocol_1.ErrorCode.INTERNAL, message: `malformed ${event} ack: ${JSON.stringify(ack)}` }));
        }
        throw (0, errors_1.unavailable)(`${event}: no ack after ${attempts} attempt(s) (${last})`);
    }
    /** Closes the socket for good; pending and later emits fail with `error` (UNAVAILABLE "client closed" by default). */
    close(error = (0, errors_1.unavailable)('client closed')) {
        this.fatal ??= error;
        this.socket.close();
        for (const w of this.waiters.splice(0))
            w.reject(this.fatal);
    }
    onConnect() {
        this.refreshedSinceConnect = false;
        const first = !this.everConnected;
        this.everConnected = true;
        for (const w of this.waiters.splice(0))
            w.resolve();
        this.hooks.connected(first);
    }
    async onConnectError(err) {
        const data = err.data;
        if (!data || this.fatal)
            return; // a transport failure: socket.io's reconnection takes it from here
        const refused = new errors_1.IoAError((0, errors_1.errorBodyOf)(data, { code: protocol_1.ErrorCode.UNAUTHORIZED, message: err.message }));
        if (refused.code !== protocol_1.ErrorCode.UNAUTHORIZED || !this.creds.canRefresh || this.refreshedSinceConnect)
            return this.giveUp(refused);
        this.refreshedSinceConnect = true;
        try {
            await this.creds.refresh();
        }
        catch (e) {
            if ((0, errors_1.isIoAError)(e, protocol_1.ErrorCode.UNAVAILABLE)) {
                // The server is not answering REST yet: try the whole handshake again a little later.
                this.refreshedSinceConnect = false;
                setTimeout(() => !this.fatal && this.socket.connect(), this.retryDelayMs);
                return;
            }
            return this.giveUp((0, errors_1.isIoAError)(e) ? e : (0, errors_1.unavailable)(String(e)));
        }
        if (!this.fatal)
            this.socket.connect();
    }
    giveUp(error) {
        this.close(error);
        this.hooks.failed(error);
    }
}
exports.Connection = Connection;
//# sourceMappingURL=connection.js.map