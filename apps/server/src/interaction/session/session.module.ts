import { Module } from '@nestjs/common';
import { GroupsDataModule } from '../../data/groups/groups-data.module';
import { RegistryModule } from '../../data/registry/registry.module';
import { PresenceService } from './presence.service';
import { SessionEngine } from './session-engine';
import { SessionEvents } from './session-events';
import { SessionReader } from './session-reader';
import { SessionTimers } from './session-timers';
import { SessionService } from './session.service';

/** Sessions: one owner service per open group, its machine, timers and presence; the edges are in group/ and routing/. */
@Module({
  imports: [GroupsDataModule, RegistryModule],
  providers: [SessionEvents, SessionEngine, SessionService, SessionTimers, SessionReader, PresenceService],
  exports: [SessionEvents, SessionService, SessionReader, PresenceService, SessionEngine],
})
export class SessionModule {}
