import { Module } from '@nestjs/common';
import { SessionModule } from '../session/session.module';
import { TeamFormationModule } from '../team-formation/team-formation.module';
import { AuditController } from './audit.controller';
import { GroupsController } from './groups.controller';
import { GroupsService } from './groups.service';

/** Group setup and inspection over REST: groups, their members and history, and the audit log. */
@Module({
  imports: [SessionModule, TeamFormationModule],
  controllers: [GroupsController, AuditController],
  providers: [GroupsService],
})
export class GroupModule {}
