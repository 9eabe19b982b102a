import { ExecutionContext, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { AuthGuard as PassportGuard } from '@nestjs/passport';
import { ErrorCode } from '@ioa/protocol';
import { ApiError } from '../http/api-error';
import { ADMIN, IS_PUBLIC, Principal, PrincipalRole, ROLES_KEY } from './principal';
import { TokenService } from './token.service';

const DEFAULT_ROLES: PrincipalRole[] = ['admin', 'agent', 'observer', 'participant'];

/** Global guard: every route needs a credential unless marked @Public, and a role listed by @Roles. */
@Injectable()
export class AuthGuard extends PassportGuard('jwt') {
  constructor(private readonly reflector: Reflector, private readonly tokens: TokenService) {
    super();
  }

  async canActivate(ctx: ExecutionContext): Promise<boolean> {
    const targets = [ctx.getHandler(), ctx.getClass()];
    if (this.reflector.getAllAndOverride<boolean>(IS_PUBLIC, targets)) return true;
    const req = ctx.switchToHttp().getRequest();
    const bearer = /^Bearer (.+)$/i.exec(req.headers.authorization ?? '')?.[1];
    if (!bearer) throw new ApiError(ErrorCode.UNAUTHORIZED, 'missing bearer token');
    if (this.tokens.isAdminToken(bearer)) req.user = ADMIN;
    else await super.canActivate(ctx);
    const allowed = this.reflector.getAllAndOverride<PrincipalRole[]>(ROLES_KEY, targets) ?? DEFAULT_ROLES;
    const principal = req.user as Principal;
    if (!allowed.includes(principal.role)) {
      throw new ApiError(ErrorCode.FORBIDDEN, `role ${principal.role} may not do this (allowed: ${allowed.join(', ')})`);
    }
    return true;
  }

  handleRequest<T>(err: unknown, user: T, info: unknown): T {
    if (err) throw err;
    if (!user) {
      const name = (info as Error | undefined)?.name;
      throw new ApiError(ErrorCode.UNAUTHORIZED, name === 'TokenExpiredError' ? 'token expired' : 'invalid token');
    }
    return user;
  }
}
