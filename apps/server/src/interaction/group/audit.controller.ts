import { Controller, Get, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { AuditQueryDto, AuditView } from '@ioa/protocol';
import { ApiErrors, AUTHENTICATED_ERRORS } from '../../foundation/http/api-errors';
import { AuditLog } from '../../data/audit/audit-log';
import { Roles } from '../../foundation/security/principal';

@ApiTags('audit')
@ApiBearerAuth()
@ApiErrors(...AUTHENTICATED_ERRORS)
@Controller('v1')
export class AuditController {
  constructor(private readonly audit: AuditLog) {}

  /** Transitions, refusals of authorised agents and admin actions, newest first. */
  @Get('audit')
  @Roles('admin')
  listAudit(@Query() q: AuditQueryDto): Promise<AuditView[]> {
    return this.audit.list({ groupId: q.group_id, actor: q.actor }, q.limit ?? 100, q.before_id);
  }
}
