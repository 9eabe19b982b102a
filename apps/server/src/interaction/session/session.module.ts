import { Module } from '@nestjs/common';
import { GroupsDataModule } from '../../data/groups/groups-data.module';
import { RegistryModule } from '../../data/registry/registry.module';
import { GroupsController } from '../group/groups.controller';
import { PresenceService } from './presence.service';
import { SessionEngine } from './session-engine';
import { SessionReader } from './session-reader';
import { SessionTimers } from './session-timers';
import { SessionService } from './session.service';

/** Group setup, communication and message routing: one owner service per group, its timers, and its edges. */
@Module({
  imports: [GroupsDataModule, RegistryModule],
  controllers: [GroupsController],
  providers: [SessionEngine, SessionService, SessionTimers, SessionReader, PresenceService],
  exports: [SessionService, SessionReader, PresenceService, SessionEngine],
})
export class SessionModule {}
