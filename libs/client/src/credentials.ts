import { ErrorCode } from '@ioa/protocol';
import { IoAError } from './errors';
import type { RestClient } from './rest';
import { Credentials } from './types';

/**
 * Holds an agent's current tokens and rotates them. A refresh token works once (presenting a spent one revokes the
 * pair), so concurrent refreshes, e.g. a REST call and a socket reconnect that both met an expired token, share one
 * request; each new pair is handed to `persist` before anyone uses it.
 */
export class CredentialStore {
  private inflight: Promise<Credentials> | null = null;

  constructor(
    private current: Credentials,
    private readonly rest: () => RestClient,
    private readonly persist?: (creds: Credentials) => void | Promise<void>,
  ) {}

  get token(): string {
    return this.current.token;
  }

  get agentId(): string {
    return this.current.agent_id;
  }

  get canRefresh(): boolean {
    return !!this.current.refresh_token;
  }

  snapshot(): Credentials {
    return { ...this.current };
  }

  /** Rotates the pair with `POST /v1/auth/refresh`; joins a rotation already under way. */
  refresh(): Promise<Credentials> {
    this.inflight ??= this.rotate().finally(() => (this.inflight = null));
    return this.inflight;
  }

  private async rotate(): Promise<Credentials> {
    if (!this.current.refresh_token) throw new IoAError({ code: ErrorCode.UNAUTHORIZED, message: 'the access token was refused and there is no refresh token' });
    const fresh = await this.rest().refresh(this.current.refresh_token);
    this.current = { agent_id: this.current.agent_id, token: fresh.token, refresh_token: fresh.refresh_token, expires_at: fresh.expires_at };
    await this.persist?.(this.snapshot());
    return this.snapshot();
  }
}

/**
 * The agent id an access token was issued to (its JWT `sub` claim), read without verifying the signature.
 * @example
 * agentIdOf(saved.token); // '3f0c…'
 */
export function agentIdOf(token: string): string {
  try {
    const claims = JSON.parse(Buffer.from(token.split('.')[1] ?? '', 'base64url').toString('utf8')) as { sub?: unknown };
    if (typeof claims.sub === 'string' && claims.sub) return claims.sub;
  } catch {
    /* fall through */
  }
  throw new IoAError({ code: ErrorCode.VALIDATION, message: 'cannot read the agent id from the token; pass agentId to connect()' });
}
