import { Global, Module } from '@nestjs/common';
import { APP_INTERCEPTOR } from '@nestjs/core';
import { AdminAuditInterceptor } from './admin-audit.interceptor';
import { AuditLog } from './audit-log';

@Global()
@Module({
  providers: [AuditLog, { provide: APP_INTERCEPTOR, useClass: AdminAuditInterceptor }],
  exports: [AuditLog],
})
export class AuditModule {}
