import { CallHandler, ExecutionContext, Injectable, NestInterceptor } from '@nestjs/common';
import { Observable, tap } from 'rxjs';
import { Principal } from '../../foundation/security/principal';
import { AuditLog } from './audit-log';

const SECRET = /token|secret|password/i;

/** Every successful admin action over REST (anything but GET) goes to the audit log, in one place. */
@Injectable()
export class AdminAuditInterceptor implements NestInterceptor {
  constructor(private readonly audit: AuditLog) {}

  intercept(ctx: ExecutionContext, next: CallHandler): Observable<unknown> {
    const req = ctx.switchToHttp().getRequest();
    const principal: Principal | undefined = req?.user;
    if (ctx.getType() !== 'http' || req.method === 'GET' || principal?.role !== 'admin') return next.handle();
    return next.handle().pipe(
      tap(() => {
        const body = Object.fromEntries(Object.entries(req.body ?? {}).filter(([k]) => !SECRET.test(k)));
        const groupId = req.params?.id && req.route?.path?.startsWith('/v1/groups') ? req.params.id : null;
        void this.audit.record('admin', 'admin_action', { method: req.method, path: req.route?.path ?? req.path, params: req.params, body }, groupId);
      }),
    );
  }
}
