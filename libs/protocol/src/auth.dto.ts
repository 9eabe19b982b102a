import {
  ArrayMaxSize, IsArray, IsBoolean, IsInt, IsNotEmpty, IsString, Max, MaxLength, Min,
} from 'class-validator';
import type { AgentView } from './agents.dto';
import { LIMITS } from './limits';
import { IsNested, IsOptionalNotNull } from './validators';

/**
 * `client`: an outside application (an MCP host, an A2A caller) an admin issued a token to; it submits goals, reads
 * and cancels its own, and searches agents. Added within `ioa/1`.
 * `participant`: a person an admin created (`POST /v1/people`); reads what its scope covers, as an observer does, and
 * decides the approvals it may. Added within `ioa/1`.
 */
export const ROLES = ['admin', 'agent', 'observer', 'participant', 'client'] as const;
export type Role = (typeof ROLES)[number];

export class CreateEnrollmentDto {
  /** How many agents may register with this token (default 1). */
  @IsOptionalNotNull() @IsInt() @Min(1) @Max(LIMITS.maxUsesMax)
  max_uses?: number;

  /** Lifetime in seconds (default 24 h). */
  @IsOptionalNotNull() @IsInt() @Min(1) @Max(LIMITS.ttlSecondsMax)
  ttl_s?: number;
}

/** What an observer token may watch: named groups, whole goals (with every sub-team), or everything. */
export class ObserverScopeDto {
  @IsOptionalNotNull() @IsArray() @ArrayMaxSize(LIMITS.scopeItemsMax) @IsString({ each: true }) @MaxLength(64, { each: true })
  groups?: string[];

  @IsOptionalNotNull() @IsArray() @ArrayMaxSize(LIMITS.scopeItemsMax) @IsString({ each: true }) @MaxLength(64, { each: true })
  goals?: string[];

  @IsOptionalNotNull() @IsBoolean()
  all?: boolean;
}

export class CreateObserverTokenDto {
  @IsNested(() => ObserverScopeDto)
  scope: ObserverScopeDto;

  /** Lifetime in seconds (default 24 h). */
  @IsOptionalNotNull() @IsInt() @Min(1) @Max(LIMITS.ttlSecondsMax)
  ttl_s?: number;

  /** A label shown in token lists, e.g. who it was given to. */
  @IsOptionalNotNull() @IsString() @MaxLength(LIMITS.shortTextMax)
  label?: string;
}

/** `POST /v1/auth/client-tokens`: a token for an outside application (role `client`). */
export class CreateClientTokenDto {
  /** Who it is for, shown in token lists. */
  @IsString() @IsNotEmpty() @MaxLength(LIMITS.shortTextMax)
  name: string;

  /** Another token of an existing client (its goals stay its own); omitted: a new client. */
  @IsOptionalNotNull() @IsString() @IsNotEmpty() @MaxLength(64)
  client_id?: string;

  /** Lifetime in seconds (default 30 days). */
  @IsOptionalNotNull() @IsInt() @Min(1) @Max(LIMITS.ttlSecondsMax)
  ttl_s?: number;
}

export class RefreshTokenDto {
  @IsString() @IsNotEmpty() @MaxLength(4096)
  refresh_token: string;
}

export class IssuedToken {
  token: string;
  jti: string;
  expires_at: string;
}

/** A `client` token and the client it names (the goals it submits are that client's). */
export class ClientToken extends IssuedToken {
  client_id: string;
}

export class AgentCredentials {
  token: string;
  refresh_token: string;
  expires_at: string;
}

/** `POST /v1/agents`: the card as stored and the new agent's first credentials. */
export class Registration extends AgentCredentials {
  agent: AgentView;
}

export type TokenKind = 'access' | 'refresh' | 'enrollment' | 'observer';

/** A token as admins see it in lists; never carries the secret itself. */
export class TokenView {
  jti: string;
  kind: TokenKind;
  role: Role | 'enrollment';
  subject: string | null;
  label: string | null;
  scope: ObserverScopeDto | null;
  max_uses: number | null;
  uses: number;
  expires_at: string;
  revoked_at: string | null;
  created_at: string;
}
