import { Ack, ClientEvents, ErrorCode, ServerEvents } from '@ioa/protocol';
import { io, ManagerOptions, Socket, SocketOptions } from 'socket.io-client';
import { CredentialStore } from './credentials';
import { ConnectionFailed, errorBodyOf, IoAError, isIoAError, unavailable } from './errors';

export type SocketTuning = Partial<Omit<ManagerOptions & SocketOptions, 'transports' | 'auth' | 'autoConnect'>>;

export interface ConnectionHooks {
  /** After every successful (re)connection; `first` only for the first one. */
  connected(first: boolean): void;
  /** The connection gave up for good (credentials refused for good, or `close()`). */
  failed(error: IoAError): void;
}

/**
 * One socket.io connection with the reliability rules of the SDK: websocket only, the current access token in every
 * handshake, one token refresh per refused handshake, socket.io's own reconnection for transport failures, and acked
 * emits that wait for the connection and resend the identical packet after a timeout or a drop.
 */
export class Connection {
  readonly socket: Socket<ServerEvents, ClientEvents>;
  private waiters: { resolve: () => void; reject: (e: IoAError) => void }[] = [];
  private fatal: IoAError | null = null;
  private everConnected = false;
  private refreshedSinceConnect = false;
  private readonly retryDelayMs: number;

  constructor(
    private readonly url: string,
    private readonly creds: CredentialStore,
    private readonly ackTimeoutMs: number,
    tuning: SocketTuning,
    private readonly hooks: ConnectionHooks,
  ) {
    this.retryDelayMs = tuning.reconnectionDelay ?? 500;
    this.socket = io(url, {
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
    this.socket.on('auth_expiring', () => void this.renewAuth());
    this.socket.on('disconnect', (reason) => {
      // The server closed this socket on purpose (agent disabled, say): try once more; a refused handshake ends it.
      if (reason === 'io server disconnect' && !this.fatal) setTimeout(() => !this.fatal && this.socket.connect(), this.retryDelayMs);
    });
  }

  /** Connects and waits for the first connection; gives up after `timeoutMs`. */
  async open(timeoutMs: number): Promise<void> {
    this.socket.connect();
    let timer: NodeJS.Timeout | undefined;
    // The last transport failure (refused, DNS, TLS) names the cause when the first connection never comes.
    let lastError: Error | undefined;
    // socket.io's own message is often just "websocket error": the transport's error is its `description`.
    const noted = (err: Error & { description?: { message?: string } }) => void (lastError = new Error(err.description?.message || err.message));
    this.socket.on('connect_error', noted);
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new ConnectionFailed(this.url, lastError ? `${lastError.message} (no connection within ${timeoutMs} ms)` : `no connection within ${timeoutMs} ms`)), timeoutMs);
    });
    try {
      await Promise.race([this.waitConnected(), timeout]);
    } catch (e) {
      this.close(isIoAError(e) ? e : unavailable((e as Error).message));
      throw e;
    } finally {
      clearTimeout(timer);
      this.socket.off('connect_error', noted);
    }
  }

  /** Resolves when the socket is connected; rejects once the connection has given up. */
  waitConnected(): Promise<void> {
    if (this.fatal) return Promise.reject(this.fatal);
    if (this.socket.connected) return Promise.resolve();
    return new Promise((resolve, reject) => this.waiters.push({ resolve, reject }));
  }

  /**
   * Emits an event and returns its ack's payload, or throws IoAError with the ack's code. A timeout or a drop before
   * the ack is retried with the identical data after reconnecting, at most `attempts` times in all.
   */
  async emit<T extends object>(event: keyof ClientEvents, data: unknown, attempts: number): Promise<T> {
    let last = '';
    for (let i = 0; i < attempts; i++) {
      await this.waitConnected();
      let ack: Ack<T>;
      try {
        const timed = this.socket.timeout(this.ackTimeoutMs) as unknown as { emitWithAck(e: string, d: unknown): Promise<Ack<T>> };
        ack = await timed.emitWithAck(event, data);
      } catch (e) {
        last = (e as Error).message;
        continue;
      }
      if (ack && typeof ack === 'object' && ack.ok === true) {
        const { ok: _ok, ...payload } = ack;
        return payload as unknown as T;
      }
      throw new IoAError(errorBodyOf(ack, { code: ErrorCode.INTERNAL, message: `malformed ${event} ack: ${JSON.stringify(ack)}` }));
    }
    throw unavailable(`${event}: no ack after ${attempts} attempt(s) (${last})`);
  }

  /** Closes the socket for good; pending and later emits fail with `error` (UNAVAILABLE "client closed" by default). */
  close(error: IoAError = unavailable('client closed')): void {
    this.fatal ??= error;
    this.socket.close();
    for (const w of this.waiters.splice(0)) w.reject(this.fatal);
  }

  private onConnect(): void {
    this.refreshedSinceConnect = false;
    const first = !this.everConnected;
    this.everConnected = true;
    for (const w of this.waiters.splice(0)) w.resolve();
    this.hooks.connected(first);
  }

  private async onConnectError(err: Error): Promise<void> {
    const data = (err as Error & { data?: unknown }).data;
    if (!data || this.fatal) return; // a transport failure: socket.io's reconnection takes it from here
    const refused = new IoAError(errorBodyOf(data, { code: ErrorCode.UNAUTHORIZED, message: err.message }));
    if (refused.code !== ErrorCode.UNAUTHORIZED || !this.creds.canRefresh || this.refreshedSinceConnect) return this.giveUp(refused);
    this.refreshedSinceConnect = true;
    try {
      await this.creds.refresh();
    } catch (e) {
      if (e instanceof ConnectionFailed || isIoAError(e, ErrorCode.UNAVAILABLE)) {
        // The server is not answering REST yet: try the whole handshake again a little later.
        this.refreshedSinceConnect = false;
        setTimeout(() => !this.fatal && this.socket.connect(), this.retryDelayMs);
        return;
      }
      return this.giveUp(isIoAError(e) ? e : unavailable(String(e)));
    }
    if (!this.fatal) this.socket.connect();
  }

  /**
   * The server warned that this socket's token expires soon: rotate the credentials and hand the socket the new
   * access token (`auth`), so it keeps its subscriptions. If that fails, the server closes the socket after the grace
   * period and the reconnection's handshake refreshes as usual.
   */
  private async renewAuth(): Promise<void> {
    for (let attempt = 0; attempt < 3 && this.creds.canRefresh && !this.fatal && this.socket.connected; attempt++) {
      try {
        await this.creds.refresh();
        await this.emit('auth', { token: this.creds.token }, 1);
        return;
      } catch {
        // A refusal (rate limit, a server restarting) may pass: try again a little later, then leave it to reconnection.
        await new Promise((r) => setTimeout(r, 1000 * 2 ** attempt));
      }
    }
  }

  private giveUp(error: IoAError): void {
    this.close(error);
    this.hooks.failed(error);
  }
}
