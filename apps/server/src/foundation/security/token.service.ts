import { Inject, Injectable } from '@nestjs/common';
import { JwtService } from '@nestjs/jwt';
import { InjectRepository } from '@nestjs/typeorm';
import { createHash, timingSafeEqual } from 'node:crypto';
import { IsNull, Repository } from 'typeorm';
import { AgentCredentials, ClientToken, ErrorCode, IssuedToken, ObserverScopeDto, TokenKind, TokenView } from '@ioa/protocol';
import { ConfigService } from '../config/config.service';
import { Emitter, ROOM } from '../network/emitter.port';
import { ApiError } from '../http/api-error';
import { iso } from '../runtime/time';
import { RowWriter } from '../persistence/row-writer';
import { Clock, IdGenerator } from '../runtime/runtime.module';
import { ADMIN, Principal, PrincipalRole } from './principal';
import { Secrets } from './secrets';
import { TokenEntity } from './token.entity';

export const SECRETS = Symbol('SECRETS');
const DAY_S = 24 * 3600;

/** Signed claims; everything else about a token (scope, uses, revocation) lives in its row. */
export interface TokenClaims {
  sub: string;
  role: PrincipalRole;
  kind: TokenKind;
  jti: string;
}

interface IssueOptions {
  kind: TokenKind;
  role: PrincipalRole;
  subject?: string | null;
  ttlS: number;
  scope?: ObserverScopeDto | null;
  label?: string | null;
  maxUses?: number | null;
  pairJti?: string | null;
}

const unauthorized = (message: string) => new ApiError(ErrorCode.UNAUTHORIZED, message);

@Injectable()
export class TokenService {
  private readonly adminDigest: Buffer;

  constructor(
    @InjectRepository(TokenEntity) private readonly tokens: Repository<TokenEntity>,
    @Inject(SECRETS) secrets: Secrets,
    private readonly jwt: JwtService,
    private readonly config: ConfigService,
    private readonly clock: Clock,
    private readonly ids: IdGenerator,
    private readonly writer: RowWriter,
    private readonly sockets: Emitter,
  ) {
    this.adminDigest = digest(secrets.adminToken);
  }

  isAdminToken(raw: string): boolean {
    return timingSafeEqual(digest(raw), this.adminDigest);
  }

  /** The whole check of a bearer credential, shared by REST and sockets. */
  async authenticateRaw(raw: string): Promise<Principal> {
    if (this.isAdminToken(raw)) return ADMIN;
    const claims = await this.jwt.verifyAsync<TokenClaims>(raw).catch((e: Error) => {
      throw unauthorized(e.name === 'TokenExpiredError' ? 'token expired' : 'invalid token');
    });
    return this.authenticate(claims);
  }

  /** Checks a signature-verified token against its row: known, not revoked, not expired, usable as a credential. */
  async authenticate(claims: TokenClaims): Promise<Principal> {
    if (claims.kind === 'refresh') throw unauthorized('a refresh token is only accepted by POST /v1/auth/refresh');
    const row = await this.tokens.findOneBy({ jti: claims.jti });
    if (!row || row.revokedAt !== null) throw unauthorized('token revoked');
    if (row.expiresAt <= this.clock.now()) throw unauthorized('token expired');
    if (row.kind === 'enrollment' && row.maxUses !== null && row.uses >= row.maxUses) throw unauthorized('enrollment token used up');
    const id = row.kind === 'access' ? (row.subject as string) : row.jti;
    return { role: row.role, id, jti: row.jti, scope: row.scope, expiresAt: row.expiresAt };
  }

  async issue(o: IssueOptions): Promise<IssuedToken> {
    const jti = this.ids.next();
    const now = this.clock.now();
    const expiresAt = now + o.ttlS * 1000;
    const row: TokenEntity = {
      jti, kind: o.kind, role: o.role, subject: o.subject ?? null, label: o.label ?? null, scope: o.scope ?? null,
      maxUses: o.maxUses ?? null, uses: 0, pairJti: o.pairJti ?? null, expiresAt, revokedAt: null, createdAt: now,
    };
    const claims: TokenClaims = { sub: o.subject ?? jti, role: o.role, kind: o.kind, jti };
    // Signed before the row is written: a token that cannot be signed must leave no row behind.
    const token = await this.jwt.signAsync(claims, { expiresIn: o.ttlS });
    await this.writer.insert(TokenEntity, [row]);
    return { token, jti, expires_at: iso(expiresAt) as string };
  }

  issueEnrollment(maxUses = 1, ttlS = DAY_S): Promise<IssuedToken> {
    return this.issue({ kind: 'enrollment', role: 'enrollment', ttlS, maxUses });
  }

  issueObserver(scope: ObserverScopeDto, ttlS = DAY_S, label: string | null = null): Promise<IssuedToken> {
    return this.issue({ kind: 'observer', role: 'observer', ttlS, scope, label });
  }

  /**
   * A `client` token (an outside application: an MCP host, an A2A caller), for a new client or another token of
   * `clientId`; the goals it submits are the client's, whichever of its tokens submitted them.
   */
  async issueClient(name: string, clientId: string | null = null, ttlS = 30 * DAY_S): Promise<ClientToken> {
    const subject = clientId ?? this.ids.next();
    if (clientId && !(await this.tokens.existsBy({ subject: clientId, role: 'client' }))) throw ApiError.notFound('client', clientId);
    return { ...(await this.issue({ kind: 'access', role: 'client', subject, ttlS, label: name })), client_id: subject };
  }

  /** An access token and a refresh token bound to one agent; the access row remembers its refresh partner. */
  async issueAgentPair(agentId: string): Promise<AgentCredentials> {
    const { refreshTokenTtlS, accessTokenTtlS } = this.config.values;
    const refresh = await this.issue({ kind: 'refresh', role: 'agent', subject: agentId, ttlS: refreshTokenTtlS });
    const access = await this.issue({ kind: 'access', role: 'agent', subject: agentId, ttlS: accessTokenTtlS, pairJti: refresh.jti });
    return { token: access.token, refresh_token: refresh.token, expires_at: access.expires_at };
  }

  /** Counts one registration against an enrollment token, atomically, so concurrent uses cannot exceed `max_uses`. */
  async consumeEnrollment(jti: string): Promise<void> {
    const result = await this.tokens
      .createQueryBuilder()
      .update()
      .set({ uses: () => 'uses + 1' })
      .where('jti = :jti AND revokedAt IS NULL AND (maxUses IS NULL OR uses < maxUses)', { jti })
      .execute();
    if (!result.affected) throw unauthorized('enrollment token used up');
  }

  /**
   * Rotates an agent's credentials. A refresh token works once; presenting a spent one again means it leaked,
   * so every token of that agent is revoked.
   */
  async refresh(raw: string): Promise<AgentCredentials> {
    const claims = await this.jwt.verifyAsync<TokenClaims>(raw).catch(() => {
      throw unauthorized('invalid or expired refresh token');
    });
    if (claims.kind !== 'refresh') throw unauthorized('not a refresh token');
    const row = await this.tokens.findOneBy({ jti: claims.jti });
    if (!row || row.expiresAt <= this.clock.now()) throw unauthorized('invalid or expired refresh token');
    if (row.revokedAt !== null) {
      await this.revokeSubject(row.subject as string);
      throw unauthorized('refresh token already used; all tokens of this agent were revoked');
    }
    const now = this.clock.now();
    const spent = await this.tokens.update({ jti: row.jti, revokedAt: IsNull() }, { revokedAt: now });
    if (!spent.affected) throw unauthorized('refresh token already used');
    await this.tokens.update({ pairJti: row.jti, revokedAt: IsNull() }, { revokedAt: now });
    return this.issueAgentPair(row.subject as string);
  }

  /** Revokes a token; sockets authenticated with it are closed at once. */
  async revoke(jti: string): Promise<TokenView> {
    const row = await this.tokens.findOneBy({ jti });
    if (!row) throw ApiError.notFound('token', jti);
    if (row.revokedAt === null) {
      row.revokedAt = this.clock.now();
      await this.tokens.save(row);
    }
    this.sockets.disconnect(ROOM.token(jti));
    return toView(row);
  }

  /**
   * Revokes every token of an agent and closes all of its sockets, including those opened with an access token that a
   * refresh already rotated out (which a leaked refresh token's reuse must close too).
   */
  async revokeSubject(agentId: string): Promise<number> {
    const result = await this.tokens.update({ subject: agentId, revokedAt: IsNull() }, { revokedAt: this.clock.now() });
    this.sockets.disconnect(ROOM.agent(agentId));
    return result.affected ?? 0;
  }

  /** Whether a token is still unrevoked: checked again once a socket has joined its token's room. */
  async isRevoked(jti: string): Promise<boolean> {
    const row = await this.tokens.findOneBy({ jti });
    return !row || row.revokedAt !== null;
  }

  async list(filter: { subject?: string; kind?: TokenKind }): Promise<TokenView[]> {
    const rows = await this.tokens.find({ where: filter, order: { createdAt: 'DESC' }, take: 1000 });
    return rows.map(toView);
  }
}

function digest(value: string): Buffer {
  return createHash('sha256').update(value).digest();
}

function toView(row: TokenEntity): TokenView {
  return {
    jti: row.jti, kind: row.kind, role: row.role, subject: row.subject, label: row.label, scope: row.scope,
    max_uses: row.maxUses, uses: row.uses, expires_at: iso(row.expiresAt) as string, revoked_at: iso(row.revokedAt),
    created_at: iso(row.createdAt) as string,
  };
}
