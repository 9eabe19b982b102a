import { Module } from '@nestjs/common';
import { SessionModule } from '../session/session.module';
import { TeamFormationModule } from '../team-formation/team-formation.module';
import { OwedElsewhere } from './owed-elsewhere';
import { SessionGateway } from './session.gateway';
import { SocketAuth } from './socket-auth';

/** Message routing: the socket.io edge, in front of sessions and team formation. */
@Module({
  imports: [SessionModule, TeamFormationModule],
  providers: [SocketAuth, SessionGateway, OwedElsewhere],
})
export class RoutingModule {}
