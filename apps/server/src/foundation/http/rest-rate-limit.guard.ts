import { CanActivate, ExecutionContext, Injectable } from '@nestjs/common';
import { ErrorCode } from '@ioa/protocol';
import type { Request, Response } from 'express';
import { ConfigService } from '../config/config.service';
import { Limiter, RateLimits } from '../network/rate-limits';
import type { Principal } from '../security/principal';
import { ApiError } from './api-error';

/**
 * Per-principal REST rate limit, after authentication: each token holder (agent, observer, enrollment) has its own
 * bucket; admins are exempt (the benchmark registers 100k agents). Routes without a credential (liveness, refresh,
 * which carries its own proof) are not limited here: keyed by address, one client behind a shared proxy would lock
 * everyone else out of refreshing. A refusal is 429 `RATE_LIMITED` with `Retry-After` in seconds.
 */
@Injectable()
export class RestRateLimitGuard implements CanActivate {
  private readonly limiter: Limiter;

  constructor(config: ConfigService, limits: RateLimits) {
    const { ratePerS, rateBurst } = config.values.rest;
    this.limiter = limits.create('rest', ratePerS, rateBurst);
  }

  async canActivate(ctx: ExecutionContext): Promise<boolean> {
    if (ctx.getType() !== 'http') return true;
    const req = ctx.switchToHttp().getRequest<Request & { user?: Principal }>();
    const p = req.user;
    if (!p || p.role === 'admin') return true;
    const wait = await this.limiter.waitFor(`${p.role}:${p.id}`);
    if (wait === 0) return true;
    const seconds = Math.ceil(wait / 1000);
    ctx.switchToHttp().getResponse<Response>().setHeader('Retry-After', String(seconds));
    throw new ApiError(ErrorCode.RATE_LIMITED, `too many requests; retry in ${seconds} s`);
  }
}
