import { Logger, OnApplicationShutdown } from '@nestjs/common';
import { OnGatewayConnection, OnGatewayDisconnect, OnGatewayInit, WebSocketGateway } from '@nestjs/websockets';
import { Ack, ApprovalDecideDto, ErrorCode, InviteReplyDto, RollbackAckDto, ServerEvents, SubscribeDto, UnsubscribeDto } from '@ioa/protocol';
import { Server, Socket } from 'socket.io';
import { ConfigService } from '../../foundation/config/config.service';
import { ApiError, parseDto } from '../../foundation/http/api-error';
import { toApiError } from '../../foundation/http/error.filter';
import { checkInputShape } from '../../foundation/http/input-shape';
import { ROOM } from '../../foundation/network/emitter.port';
import { capOutput, drained } from '../../foundation/network/socket-output';
import { Limiter, RateLimits } from '../../foundation/network/rate-limits';
import { Metrics } from '../../foundation/metrics/metrics';
import { SocketEmitter } from '../../foundation/network/socket.emitter';
import { Principal } from '../../foundation/security/principal';
import { TokenService } from '../../foundation/security/token.service';
import { PresenceService } from '../session/presence.service';
import { SessionReader } from '../session/session-reader';
import { assertAllowed } from '../access/access';
import { parseEnvelope } from '../session/parse-envelope';
import { SessionService } from '../session/session.service';
import { OwedEvent, OwedEvents } from '../team-formation/owed-events';
import { TeamFormationService } from '../team-formation/team-formation.service';
import { OwedElsewhere } from './owed-elsewhere';
import { SocketAuth } from './socket-auth';

type AckFn = (a: Ack<object>) => void;

/** Message routing over socket.io: authenticates, validates, rate-limits, delegates, and answers every event with an ack. */
@WebSocketGateway()
export class SessionGateway implements OnGatewayInit, OnGatewayConnection, OnGatewayDisconnect, OnApplicationShutdown {
  private readonly logger = new Logger('gateway');
  private readonly limiter: Limiter;
  /** Subscriptions have a bucket of their own, of the same size: each one may replay a whole history. */
  private readonly subscribeLimiter: Limiter;
  /** Token renewals too, a small one: a busy sender must still be able to renew, and nobody needs many. */
  private readonly authLimiter: Limiter;
  private stopCapping: () => void = () => undefined;
  private readonly clustered: boolean;

  constructor(
    private readonly tokens: TokenService,
    private readonly auth: SocketAuth,
    private readonly sessions: SessionService,
    private readonly reader: SessionReader,
    private readonly presence: PresenceService,
    private readonly teams: TeamFormationService,
    private readonly owed: OwedEvents,
    private readonly emitter: SocketEmitter,
    private readonly config: ConfigService,
    limits: RateLimits,
    private readonly metrics: Metrics,
    private readonly elsewhere: OwedElsewhere,
  ) {
    this.clustered = !!config.values.cluster;
    const { ratePerS, rateBurst } = config.values.sessions;
    this.limiter = limits.create('message', ratePerS, rateBurst);
    this.subscribeLimiter = limits.create('subscribe', ratePerS, rateBurst);
    this.authLimiter = limits.create('auth', 1, 5);
  }

  afterInit(server: Server): void {
    this.emitter.attach(server);
    this.elsewhere.attach(server);
    this.metrics.gauge('ioa_sockets', 'Sockets connected to this node, by role', ['role'], () => {
      const byRole = new Map<string, number>();
      for (const s of server.of('/').sockets.values()) {
        const role = (s.data.principal as Principal | undefined)?.role ?? 'unauthenticated';
        byRole.set(role, (byRole.get(role) ?? 0) + 1);
      }
      return [...byRole].map(([role, n]) => [{ role }, n]);
    });
    server.use(this.auth.handshake);
    this.stopCapping = capOutput(() => server.of('/').sockets.values(), this.config.values.sessions.socketBufferMaxBytes, (line) => this.logger.warn(line));
  }

  onApplicationShutdown(): void {
    this.stopCapping();
  }

  async handleConnection(socket: Socket): Promise<void> {
    const p: Principal = socket.data.principal;
    // Handlers read the principal when the event comes: an `auth` may have renewed the socket's token since.
    this.on(socket, 'message', (raw, _, by) => this.onMessage(by, raw), this.limiter);
    this.on(socket, 'subscribe', (req, ack, by) => this.onSubscribe(socket, by, req, ack), this.subscribeLimiter);
    this.on(socket, 'unsubscribe', (req) => this.onUnsubscribe(socket, req));
    this.on(socket, 'invite_reply', async (req, _, by) => this.teams.reply(by, parseDto(InviteReplyDto, req)));
    this.on(socket, 'auth', (req) => this.auth.renew(socket, req), this.authLimiter);
    this.on(socket, 'rollback_ack', async (req, _, by) => this.sessions.rollbackAck(by, parseDto(RollbackAckDto, req)), this.limiter);
    this.on(socket, 'approval_decide', async (req, _, by) => {
      const { approval_id, ...decision } = parseDto(ApprovalDecideDto, req);
      return this.sessions.decideApproval(by, approval_id, decision);
    }, this.limiter);
    try {
      // Revoking a token closes the sockets in its room, revoking an agent's tokens those in the agent's room (the
      // bootstrap admin token has no jti and is never revoked). Checked again once both are joined: a revocation
      // between the handshake and the joins would have missed this socket.
      // A person's sockets join its own room as an agent's do: that is where its turns, tasks and invites go.
      const member = p.role === 'agent' || p.role === 'participant';
      const rooms = [...(p.jti ? [ROOM.token(p.jti)] : []), ...(member ? [ROOM.agent(p.id)] : []), ...goalWatching(p), ...approving(p)];
      await socket.join(rooms);
      if (p.jti && (await this.tokens.isRevoked(p.jti))) return void socket.disconnect(true);
      this.auth.arm(socket);
      if (member) {
        await this.presence.connected(p.id);
        // What the agent still owes an answer to, in case it missed the events while away (or never had them).
        sendEach(socket, await this.owed.forAgent(p.id));
        this.elsewhere.askOthers(p.id, socket.id);
      }
      this.logger.debug(`connected ${p.role} ${p.id} (${socket.id})`);
    } catch (e) {
      // Nest does not await this hook: a rejection here would be unhandled. The client reconnects and tries again.
      this.logger.error(`agent ${p.id}: connection set-up failed: ${(e as Error).stack ?? e}`);
      socket.disconnect(true);
    }
  }

  async handleDisconnect(socket: Socket): Promise<void> {
    const p: Principal | undefined = socket.data.principal;
    this.auth.disarm(socket);
    try {
      if (p?.role === 'agent' || p?.role === 'participant') await this.presence.disconnected(p.id);
    } catch (e) {
      this.logger.error(`agent ${p?.id}: disconnect handling failed: ${(e as Error).stack ?? e}`);
    }
  }

  /**
   * Registers a client→server event. Clients are untrusted: the payload is the first argument, the ack is the last
   * argument only when it is a function, any other argument is refused, the payload's shape is checked before anything
   * recursive sees it, and whatever a handler throws becomes an error ack (INTERNAL with a log line for the
   * unexpected), never a crash. An event with a `limiter` counts before any check, so refused events count too.
   */
  private on(socket: Socket, event: string, handler: (payload: unknown, ack: AckFn, by: Principal) => Promise<object | void>, limiter?: Limiter): void {
    socket.on(event, (...args: unknown[]) => {
      const fn = typeof args[args.length - 1] === 'function' ? (args.pop() as AckFn) : undefined;
      let acked = false;
      // Answers at most once, and only when the client asked for an answer.
      const ack: AckFn = (a) => {
        if (acked || !fn) return;
        acked = true;
        fn(a);
      };
      const p: Principal = socket.data.principal;
      // The bucket is asked at once, but handlers start in the order events arrived, whether counted (a Redis round
      // trip on several nodes) or not: a subscribe and the unsubscribe after it never swap.
      const counted = limiter ? limiter.waitFor(p.id) : Promise.resolve(0);
      const turn: Promise<number> = (socket.data.inOrder ?? Promise.resolve()).then(() => counted);
      socket.data.inOrder = turn.catch(() => undefined);
      void turn
        .then((wait) => {
          if (wait > 0) throw new ApiError(ErrorCode.RATE_LIMITED, `too many ${event} events; slow down`);
          if (args.length > 1) throw new ApiError(ErrorCode.VALIDATION, `${event} takes one argument and an ack, got ${args.length} arguments`);
          checkInputShape(args[0], event);
          return handler(args[0], ack, p);
        })
        .then(
          (result) => {
            this.metrics.acks.inc({ event, result: 'ok' });
            if (result) ack({ ok: true, ...result });
          },
          (e) => {
            const error = toApiError(e);
            this.metrics.acks.inc({ event, result: error.code });
            if (error.code === ErrorCode.INTERNAL) this.logger.error(`${event} from ${p.role} ${p.id}: ${e instanceof Error ? e.stack : String(e)}`);
            ack({ ok: false, error: error.toBody() });
          },
        );
    });
  }

  private async onMessage(p: Principal, raw: unknown): Promise<object> {
    const size = Buffer.byteLength(JSON.stringify(raw ?? null));
    if (size > this.config.values.sessions.messageMaxBytes) {
      throw new ApiError(ErrorCode.TOO_LARGE, `message of ${size} bytes exceeds ${this.config.values.sessions.messageMaxBytes}`);
    }
    assertAllowed(p, { action: 'group.send' });
    const envelope = parseEnvelope(raw);
    // team_formation creates a group (or a sub-team) rather than speaking in one: team formation handles it.
    return envelope.type === 'team_formation' ? this.teams.fromEnvelope(p, envelope) : this.sessions.handle(p, envelope);
  }

  /**
   * Acks first, then replays as the socket drains (the ack is sent by the reader, not on return); `replayed` ends it.
   * A socket subscribing again to a group leaves its rooms until then, so that live messages never interleave with
   * its replay. A second subscribe to a group whose replay this socket is still receiving is refused, so a burst of
   * them costs one replay.
   */
  private async onSubscribe(socket: Socket, p: Principal, req: unknown, ack: AckFn): Promise<void> {
    const { group_id, after_seq } = parseDto(SubscribeDto, req);
    // Group id → whether an unsubscribe came during the replay (which then stops and joins nothing).
    const replaying: Map<string, { cancelled: boolean }> = (socket.data.replaying ??= new Map());
    if (replaying.has(group_id)) throw new ApiError(ErrorCode.CONFLICT, `a replay of group ${group_id} is still being sent to this socket`);
    const replay = { cancelled: false };
    replaying.set(group_id, replay);
    let acked = false;
    const stopped = () => replay.cancelled || !socket.connected;
    try {
      await this.leaveGroup(socket, group_id);
      // On several nodes the replay goes through the adapter, in one order with the group's deliveries (socket.emitter.ts).
      const toSocket = (event: keyof ServerEvents, payload: unknown) =>
        this.clustered ? (this.emitter.emit as (t: { rooms: string[] }, e: keyof ServerEvents, p: unknown) => void)({ rooms: [socket.id] }, event, payload) : socket.emit(event, payload);
      await this.reader.subscribe(p, group_id, after_seq ?? 0, {
        socketId: socket.id,
        join: (rooms) => void (stopped() || (this.clustered ? this.emitter.join(socket.id, rooms) : socket.join(rooms))),
        ack: (result) => {
          acked = true;
          ack({ ok: true, ...result });
        },
        send: (envelope) => toSocket('message', envelope),
        drained: async () => {
          await drained(socket);
          if (stopped()) throw new ApiError(ErrorCode.UNAVAILABLE, 'the replay stopped: unsubscribed or disconnected');
        },
        replayed: (upToSeq, state) => {
          if (stopped()) return;
          toSocket('replayed', { group_id, up_to_seq: upToSeq, state });
          // Sent under the group's lock with `replayed`: the turn this agent holds and its open tasks, as they are now.
          if (p.role === 'agent' || p.role === 'participant') for (const { event, payload } of this.owed.inGroup(p.id, group_id)) toSocket(event, payload);
        },
      });
    } catch (e) {
      if (!acked || stopped()) throw e;
      // The ack said ok, so the client waits for the replay: closing the socket makes it subscribe again, and that
      // subscribe gets the reason as its ack (NOT_MEMBER for a member removed meanwhile, say).
      this.logger.warn(`${p.role} ${p.id}: subscription to group ${group_id} failed after its ack, socket ${socket.id} closed: ${(e as Error).message}`);
      socket.disconnect(true);
    } finally {
      replaying.delete(group_id);
    }
  }

  private async onUnsubscribe(socket: Socket, req: unknown): Promise<object> {
    const { group_id } = parseDto(UnsubscribeDto, req);
    const replay = (socket.data.replaying as Map<string, { cancelled: boolean }> | undefined)?.get(group_id);
    if (replay) replay.cancelled = true;
    await this.leaveGroup(socket, group_id);
    return { group_id };
  }

  /** Takes the socket out of the group's rooms (`group:<id>` and `group:<id>:…`). */
  private async leaveGroup(socket: Socket, groupId: string): Promise<void> {
    for (const room of [...socket.rooms]) if (room === ROOM.group(groupId) || room.startsWith(`${ROOM.group(groupId)}:`)) await socket.leave(room);
  }
}

function sendEach(socket: Socket, events: OwedEvent[]): void {
  for (const { event, payload } of events) socket.emit(event, payload);
}

/** The goal rooms a person's socket joins for `goal_changed`: every goal for admins and observers of everything. */
function goalWatching(p: Principal): string[] {
  if (p.role === 'admin' || (p.role === 'observer' && p.scope?.all)) return [ROOM.allGoals()];
  return p.role === 'observer' || p.role === 'participant' ? (p.scope?.goals ?? []).map(ROOM.goal) : [];
}

/** The rooms of the `approval` event a person's socket joins: every approval for admins; for a participant, its scope's, and those naming it there. */
function approving(p: Principal): string[] {
  if (p.role === 'admin') return [ROOM.approvals('all')];
  if (p.role !== 'participant') return [];
  const scopes = [...(p.scope?.groups ?? []).map((g) => `group:${g}` as const), ...(p.scope?.goals ?? []).map((g) => `goal:${g}` as const)];
  return scopes.flatMap((s) => [ROOM.approvals(s), ROOM.approvals(s, p.id)]);
}
