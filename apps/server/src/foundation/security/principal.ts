import { createParamDecorator, ExecutionContext, SetMetadata } from '@nestjs/common';
import type { ObserverScopeDto, Role } from '@ioa/protocol';

export type PrincipalRole = Role | 'enrollment';

/** Who is calling, from a verified credential only (never from a request field). */
export interface Principal {
  role: PrincipalRole;
  /** Agent id for agents, the person's id for participants, `admin` for admins, the token id for observers and enrollments. */
  id: string;
  jti: string | null;
  scope?: ObserverScopeDto | null;
  /** When the credential stops working (ms since the epoch); absent for the bootstrap admin token, which does not expire. */
  expiresAt?: number;
}

export const ADMIN: Principal = { role: 'admin', id: 'admin', jti: null };

export const IS_PUBLIC = 'ioa:public';
export const ROLES_KEY = 'ioa:roles';
/** No credential needed (liveness, API docs, token refresh which carries its own credential). */
export const Public = () => SetMetadata(IS_PUBLIC, true);
/** Roles allowed on a route; without it any authenticated role except `enrollment` passes. */
export const Roles = (...roles: PrincipalRole[]) => SetMetadata(ROLES_KEY, roles);

export const CurrentPrincipal = createParamDecorator(
  (_: unknown, ctx: ExecutionContext): Principal => ctx.switchToHttp().getRequest().user,
);
