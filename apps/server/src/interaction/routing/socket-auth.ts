import { Injectable, Logger } from '@nestjs/common';
import { ErrorCode, SocketAuthDto } from '@ioa/protocol';
import { Socket } from 'socket.io';
import { ConfigService } from '../../foundation/config/config.service';
import { ApiError, parseDto } from '../../foundation/http/api-error';
import { toApiError } from '../../foundation/http/error.filter';
import { ROOM } from '../../foundation/network/emitter.port';
import { Clock } from '../../foundation/runtime/runtime.module';
import { Scheduler } from '../../foundation/runtime/scheduler';
import { iso } from '../../foundation/runtime/time';
import { Principal } from '../../foundation/security/principal';
import { TokenService } from '../../foundation/security/token.service';
import { socketAuthDeadlines } from '../session/deadlines';

/**
 * Who a socket is, for as long as it is open: the handshake's token, checked once; a warning (`auth_expiring`) before
 * it expires; an `auth` event that swaps in a new token of the same principal without dropping subscriptions; and the
 * close of a socket still on an expired token once `IOA_SOCKET_AUTH_GRACE_S` has passed.
 */
@Injectable()
export class SocketAuth {
  private readonly logger = new Logger('socket-auth');

  constructor(
    private readonly tokens: TokenService,
    private readonly scheduler: Scheduler,
    private readonly clock: Clock,
    private readonly config: ConfigService,
  ) {}

  /** socket.io middleware: a valid token in `handshake.auth.token`, and not an enrollment token. */
  readonly handshake = (socket: Socket, next: (e?: Error) => void): void => {
    const token = (socket.handshake.auth as { token?: unknown } | undefined)?.token;
    if (typeof token !== 'string' || !token) return next(socketError(new ApiError(ErrorCode.UNAUTHORIZED, 'auth.token is required')));
    this.tokens.authenticateRaw(token).then((p) => {
      if (p.role === 'enrollment') return next(socketError(new ApiError(ErrorCode.FORBIDDEN, 'enrollment tokens cannot connect')));
      if (p.role === 'client') return next(socketError(new ApiError(ErrorCode.FORBIDDEN, 'client tokens use REST and MCP, not the socket')));
      socket.data.principal = p;
      next();
    }, (e) => next(socketError(toApiError(e))));
  };

  /** Arms the socket's warning and close from its current token (`deadlines.ts` says when); replaces earlier ones. */
  arm(socket: Socket): void {
    this.disarm(socket);
    // Gone while its connection or renewal was still being set up: nothing to arm (the timers would hold it in memory).
    if (socket.disconnected) return;
    const p: Principal = socket.data.principal;
    const expiresAt = p.expiresAt;
    if (expiresAt === undefined) return;
    const graceS = this.config.values.sessions.socketAuthGraceS;
    const { warnAt, closeAt } = socketAuthDeadlines(expiresAt, graceS * 1000, this.clock.now());
    const cancels = [
      this.scheduler.at(warnAt, () => socket.emit('auth_expiring', { expires_at: iso(expiresAt) as string, grace_s: graceS })),
      this.scheduler.at(closeAt, () => {
        this.logger.log(`${p.role} ${p.id}: socket ${socket.id} closed, its token expired ${graceS} s ago and no auth renewed it`);
        socket.disconnect(true);
      }),
    ];
    socket.data.disarmAuth = () => cancels.forEach((cancel) => cancel());
  }

  disarm(socket: Socket): void {
    (socket.data.disarmAuth as (() => void) | undefined)?.();
  }

  /**
   * `auth { token }`: a new token for the same principal (an agent's refreshed access token; for observers, a token
   * of the same scope). The socket's token room follows the token, so revoking the new one closes the socket.
   */
  async renew(socket: Socket, raw: unknown): Promise<{ expires_at: string | null }> {
    const { token } = parseDto(SocketAuthDto, raw);
    const next = await this.tokens.authenticateRaw(token);
    const current: Principal = socket.data.principal;
    if (!samePrincipal(current, next)) throw new ApiError(ErrorCode.FORBIDDEN, 'auth must carry a token of the principal this socket connected as');
    if (next.jti) await socket.join(ROOM.token(next.jti));
    // Revoked between the check above and the join: the revocation's disconnect would have missed this socket.
    if (next.jti && (await this.tokens.isRevoked(next.jti))) {
      socket.disconnect(true);
      throw new ApiError(ErrorCode.UNAUTHORIZED, 'token revoked');
    }
    if (socket.disconnected) throw new ApiError(ErrorCode.UNAVAILABLE, 'the socket closed');
    if (current.jti && current.jti !== next.jti) await socket.leave(ROOM.token(current.jti));
    socket.data.principal = next;
    // A token expiring no later than the current one changes nothing about when the socket is warned or closed.
    if ((next.expiresAt ?? Infinity) > (current.expiresAt ?? Infinity)) this.arm(socket);
    return { expires_at: iso(next.expiresAt ?? null) };
  }
}

function samePrincipal(a: Principal, b: Principal): boolean {
  if (a.role !== b.role) return false;
  // An observer token names no one; a participant's names its person, and its scope must stay the same too.
  if (a.role === 'participant' && a.id !== b.id) return false;
  if (a.role === 'observer' || a.role === 'participant') return JSON.stringify(canonical(a.scope ?? null)) === JSON.stringify(canonical(b.scope ?? null));
  return a.id === b.id;
}

/** A scope with its keys and lists in one order, so that equal scopes compare equal however they were written. */
function canonical(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(canonical).sort((x, y) => JSON.stringify(x).localeCompare(JSON.stringify(y)));
  if (value === null || typeof value !== 'object') return value;
  return Object.fromEntries(Object.keys(value).sort().map((k) => [k, canonical((value as Record<string, unknown>)[k])]));
}

export function socketError(e: ApiError): Error {
  return Object.assign(new Error(e.message), { data: e.toBody() });
}
