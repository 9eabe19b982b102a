import { randomUUID } from 'node:crypto';
import {
  Ack, Envelope, ErrorCode, MessageAck, PROTOCOL_VERSION, ReplayedEvent, RollbackView, ServerEvents, SubscribeAck, TeamFormationAck, TeamFormationPayload,
} from '@ioa/protocol';
import type { ConnectOptions } from './connect-options';
import { Connection } from './connection';
import { agentIdOf, CredentialStore } from './credentials';
import { IoAError, isIoAError } from './errors';
import { GroupWaits } from './group-waits';
import { RestClient } from './rest';
import { MessageSenders, SendOptions } from './senders';
import { AgentCard, Credentials, OutgoingMessage, PayloadOf, SessionMessageType } from './types';

export type { ConnectOptions } from './connect-options';
/** Events a client can listen to: the server's, plus `reconnect` (after re-subscribing) and `error` (background failures). */
export type ClientEventMap = ServerEvents & { reconnect: () => void; error: (error: IoAError) => void };
type Handler = (...args: never[]) => unknown;

const SERVER_EVENTS = ['turn', 'task', 'group_state', 'goal', 'goal_update', 'invite', 'rollback', 'group_pause'] as const;
/** Server events kept per kind until a handler for them is added (beyond it, the oldest are the ones kept). */
const EARLY_MAX = 1000;

/**
 * An agent's connection to an ioa server: typed event handlers, typed senders that resolve to the ack or throw
 * IoAError, replay-safe subscriptions (each group's last seq is kept; a reconnection re-subscribes with `after_seq`,
 * so every message arrives once), and resends with the same `message_id` when an ack is lost.
 */
export class IoAClient extends MessageSenders {
  readonly rest: RestClient;
  private readonly handlers = new Map<keyof ClientEventMap, Set<Handler>>();
  /**
   * Server events that came before any handler for them: the server sends what an agent owes (pending goals and
   * invites, turns, tasks) as soon as it connects, usually before the caller had a chance to call `on`.
   */
  private readonly early = new Map<keyof ClientEventMap, unknown[][]>();
  private readonly lastSeqs = new Map<string, number>();
  private readonly subscribed = new Set<string>();
  /** Subscriptions waiting for their replay to reach a seq. */
  private readonly seqWaits = new GroupWaits<number>();
  /** Sends waiting for a paused group's resume. */
  private readonly resumes = new GroupWaits<void>();
  private pausedRecheckMs = 30_000;
  private closed = false;
  private conn!: Connection;
  private ackTimeoutMs = 10_000;
  private attempts = 3;
  private ready = false;

  private constructor(private readonly creds: CredentialStore, rest: RestClient) {
    super();
    this.rest = rest;
  }

  /**
   * Connects an agent: enrols it first when there is no token (reporting the new credentials through `onCredentials`),
   * then opens the socket; an expired access token is refreshed once per refused handshake.
   * @example
   * const client = await IoAClient.connect({ url, token: saved?.token, refreshToken: saved?.refresh_token,
   *   enrollment: { token: process.env.IOA_ENROLLMENT!, card }, onCredentials: (c) => save(c) });
   */
  static async connect(options: ConnectOptions): Promise<IoAClient> {
    let store: CredentialStore | undefined;
    const rest = new RestClient(options.url, { token: () => store?.token, refresh: () => store!.refresh() });
    let creds: Credentials;
    if (options.token) {
      creds = { agent_id: options.agentId ?? agentIdOf(options.token), token: options.token, refresh_token: options.refreshToken ?? '' };
    } else if (options.enrollment) {
      // This SDK acknowledges rollbacks (below): its cards say so unless they say otherwise.
      const r = await rest.enroll(options.enrollment.token, { features: ['rollback_ack'], ...options.enrollment.card });
      creds = { agent_id: r.agent.id, token: r.token, refresh_token: r.refresh_token, expires_at: r.expires_at };
      await options.onCredentials?.({ ...creds });
    } else {
      throw new IoAError({ code: ErrorCode.UNAUTHORIZED, message: 'connect() needs a token or an enrollment' });
    }
    store = new CredentialStore(creds, () => rest, options.onCredentials);
    const client = new IoAClient(store, rest);
    client.ackTimeoutMs = options.ackTimeoutMs ?? client.ackTimeoutMs;
    client.attempts = Math.max(1, options.sendAttempts ?? client.attempts);
    client.pausedRecheckMs = options.pausedRecheckMs ?? client.pausedRecheckMs;
    client.conn = new Connection(options.url, store, client.ackTimeoutMs, options.socket ?? {}, {
      connected: (first) => void (first ? undefined : client.resubscribe()),
      // Before the first connection, connect() itself throws the error.
      failed: (e) => client.ready && client.dispatch('error', e),
    });
    client.conn.socket.on('message', (env) => client.onMessage(env));
    client.conn.socket.on('replayed', (e) => client.onReplayed(e));
    // A resume, or the group closing, ends a wait for the resume (the send then gets its answer, GROUP_CLOSED say).
    client.conn.socket.on('group_pause', (e) => e && !e.paused && client.resumes.release(e.group_id));
    client.conn.socket.on('group_state', (e) => e?.state === 'closed' && client.resumes.release(e.group_id));
    for (const event of SERVER_EVENTS) client.conn.socket.on(event, (...args: unknown[]) => client.dispatch(event, ...args));
    // After the handlers were called: the server waits for this from the agents it names in `acks.from`.
    client.conn.socket.on('rollback', (e: RollbackView | undefined) => e?.acks?.from.includes(client.agentId) && client.conn.socket.emit('rollback_ack',
      { group_id: e.group_id, checkpoint_id: e.checkpoint_id }, (a: Ack) => a && !a.ok && client.dispatch('error', new IoAError(a.error))));
    await client.conn.open(options.connectTimeoutMs ?? 30_000);
    client.ready = true;
    return client;
  }

  /** This agent's id. */
  get agentId(): string {
    return this.creds.agentId;
  }

  /** The credentials in use now (they change with every refresh). */
  get credentials(): Credentials {
    return this.creds.snapshot();
  }

  /** Whether the socket is connected at this moment. */
  get connected(): boolean {
    return this.conn.socket.connected;
  }

  /** The underlying socket.io socket, for diagnostics; send through the client's methods. */
  get socket(): Connection['socket'] {
    return this.conn.socket;
  }

  /**
   * Adds a handler; returns a function that removes it. `message` handlers see each seq of a group once, in order.
   * @example
   * const off = client.on('turn', ({ group_id, holders }) => holders.includes(client.agentId) && speak(group_id));
   */
  on<E extends keyof ClientEventMap>(event: E, handler: ClientEventMap[E]): () => void {
    const set = this.handlers.get(event) ?? new Set<Handler>();
    this.handlers.set(event, set.add(handler as Handler));
    const early = this.early.get(event);
    if (early) {
      // The first handler gets what came before it, once the caller's synchronous set-up is done.
      this.early.delete(event);
      queueMicrotask(() => early.forEach((args) => this.dispatch(event, ...args)));
    }
    return () => void set.delete(handler as Handler);
  }

  /**
   * The last seq this client has seen in a group (0 if none).
   * @example
   * const page = await client.rest.messages(groupId, { after_seq: client.lastSeq(groupId) });
   */
  lastSeq(groupId: string): number {
    return this.lastSeqs.get(groupId) ?? 0;
  }

  /**
   * Joins a group's live messages after replaying what this client has not seen (or everything after `afterSeq`);
   * resolves once the replay has been delivered to the `message` handlers. Kept across reconnections.
   * @example
   * const { state, seq } = await client.subscribe(groupId);
   */
  async subscribe(groupId: string, options: { afterSeq?: number } = {}): Promise<SubscribeAck> {
    if (options.afterSeq !== undefined) this.lastSeqs.set(groupId, options.afterSeq);
    this.subscribed.add(groupId);
    try {
      return await this.subscribeFrom(groupId, this.lastSeq(groupId));
    } catch (e) {
      this.subscribed.delete(groupId);
      throw e;
    }
  }

  /**
   * Stops a group's live messages (`turn` and `task` events keep coming, they are addressed to the agent).
   * @example
   * await client.unsubscribe(groupId);
   */
  async unsubscribe(groupId: string): Promise<void> {
    this.subscribed.delete(groupId);
    await this.conn.emit('unsubscribe', { group_id: groupId }, this.attempts);
  }

  /**
   * Sends one message into a group and resolves to its ack; makes the header and a UUID `message_id`. A lost ack
   * is retried with the same `message_id` after reconnecting, so the message is applied at most once. While an
   * operator has the group paused (`GROUP_PAUSED`), it waits for the resume and is sent again, not refused.
   * @example
   * const { seq } = await client.send(groupId, 'discussion', { content: 'alice, ideas?', next_speaker: [aliceId] });
   */
  async send<T extends SessionMessageType>(groupId: string, type: T, payload: PayloadOf<T>, options: SendOptions = {}): Promise<MessageAck> {
    const header = { protocol: PROTOCOL_VERSION, message_id: options.messageId ?? randomUUID(), group_id: groupId, type };
    for (;;) {
      try {
        return await this.conn.emit<MessageAck>('message', { header, payload, ...(options.ext ? { ext: options.ext } : {}) }, this.attempts);
      } catch (e) {
        if (!isIoAError(e, ErrorCode.GROUP_PAUSED) || this.closed) throw e;
        // Until the group resumes, or `pausedRecheckMs` (the resume may have come before this wait began).
        await this.resumes.wait(groupId, undefined, this.pausedRecheckMs);
      }
    }
  }

  /**
   * Sends a `{ type, payload }` pair, as an `Agent`'s `onTurn` returns it.
   * @example
   * await client.sendMessage(groupId, { type: 'conclusion', payload: { summary: 'done' } });
   */
  sendMessage(groupId: string, message: OutgoingMessage, options: SendOptions = {}): Promise<MessageAck> {
    return this.send(groupId, message.type, message.payload as PayloadOf<typeof message.type>, options);
  }

  /**
   * Forms a team (a root team without a group, or a sub-team for a task of `parent_task_id`); the members are ids or
   * needs in words that the server resolves and invites. The new group opens once everyone accepted.
   * @example
   * const { group_id } = await client.formTeam({ goal: 'plan a trip', goal_id, team_members: [{ need: 'book flights' }] });
   */
  formTeam(payload: TeamFormationPayload, options: SendOptions = {}): Promise<TeamFormationAck> {
    const header = { protocol: PROTOCOL_VERSION, message_id: options.messageId ?? randomUUID(), type: 'team_formation' };
    return this.conn.emit<TeamFormationAck>('message', { header, payload, ...(options.ext ? { ext: options.ext } : {}) }, this.attempts);
  }

  /**
   * Answers an `invite`; accepting makes this agent a member of the group in the ack.
   * @example
   * client.on('invite', (inv) => void client.replyInvite(inv.invite_id, true));
   */
  replyInvite(inviteId: string, accept: boolean, reason?: string): Promise<{ group_id: string }> {
    // Not resent: a second answer to the same invite is refused with CONFLICT.
    return this.conn.emit<{ group_id: string }>('invite_reply', { invite_id: inviteId, accept, ...(reason ? { reason } : {}) }, 1);
  }

  /**
   * Disconnects for good; pending sends fail with UNAVAILABLE.
   * @example
   * process.on('SIGTERM', () => client.close());
   */
  close(): void {
    this.closed = true;
    this.conn.close();
    this.resumes.releaseAll();
  }

  private async subscribeFrom(groupId: string, afterSeq: number): Promise<SubscribeAck> {
    const ack = await this.conn.emit<SubscribeAck>('subscribe', { group_id: groupId, after_seq: afterSeq }, this.attempts);
    // A server whose history ends before ours (restored from a backup) will reuse seqs: follow it.
    if (ack.seq < this.lastSeq(groupId)) this.lastSeqs.set(groupId, ack.seq);
    await this.seqReached(groupId, ack.seq);
    return ack;
  }

  private async resubscribe(): Promise<void> {
    await Promise.all([...this.subscribed].map((g) => this.subscribeFrom(g, this.lastSeq(g)).catch((e) => this.dispatch('error', asIoAError(e)))));
    this.dispatch('reconnect');
  }

  private onMessage(env: Envelope): void {
    const groupId = env?.header?.group_id;
    const seq = env?.header?.seq;
    if (typeof seq === 'number') {
      if (seq <= this.lastSeq(groupId)) return; // a replay overlapping what we have
      this.lastSeqs.set(groupId, seq);
    }
    this.dispatch('message', env);
    if (typeof seq === 'number') this.seqWaits.release(groupId, (wanted) => wanted <= seq);
  }

  /**
   * A replay is over: whoever waits on it is released, and a group found closed is reported as `group_state` (the
   * socket was not in its rooms when it closed, so no `group_state` came).
   */
  private onReplayed(e: ReplayedEvent): void {
    this.seqWaits.release(e.group_id);
    if (e.state === 'closed') this.dispatch('group_state', { group_id: e.group_id, state: e.state, seq: e.up_to_seq });
  }

  /** Waits until the replay up to `seq` has been delivered, or its `replayed` came (at most the ack timeout). */
  private seqReached(groupId: string, seq: number): Promise<void> {
    return this.lastSeq(groupId) >= seq ? Promise.resolve() : this.seqWaits.wait(groupId, seq, this.ackTimeoutMs);
  }

  private dispatch(event: keyof ClientEventMap, ...args: unknown[]): void {
    const set = this.handlers.get(event);
    if (!set?.size) {
      if (event === 'error') console.error(`ioa client ${this.agentId}: ${(args[0] as Error).message}`);
      else if ((SERVER_EVENTS as readonly string[]).includes(event) && !this.handlers.has(event)) {
        const kept = this.early.get(event) ?? [];
        if (kept.length < EARLY_MAX) this.early.set(event, [...kept, args]);
      }
      return;
    }
    for (const h of [...set]) {
      try {
        const r = (h as (...a: unknown[]) => unknown)(...args);
        if (r instanceof Promise) r.catch((e: unknown) => this.handlerFailed(event, e));
      } catch (e) {
        this.handlerFailed(event, e);
      }
    }
  }

  private handlerFailed(event: keyof ClientEventMap, e: unknown): void {
    if (event === 'error') console.error(`ioa client ${this.agentId}: error handler failed:`, e);
    else this.dispatch('error', asIoAError(e));
  }
}

function asIoAError(e: unknown): IoAError {
  return isIoAError(e) ? e : new IoAError({ code: ErrorCode.INTERNAL, message: e instanceof Error ? e.message : String(e) });
}
