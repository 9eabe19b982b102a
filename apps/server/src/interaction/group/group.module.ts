import { Module } from '@nestjs/common';
import { SessionModule } from '../session/session.module';
import { AuditController } from './audit.controller';
import { GroupsController } from './groups.controller';

/** Group setup and inspection over REST: groups, their members and history, and the audit log. */
@Module({
  imports: [SessionModule],
  controllers: [GroupsController, AuditController],
})
export class GroupModule {}
