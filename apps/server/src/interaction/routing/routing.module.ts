import { Module } from '@nestjs/common';
import { SessionModule } from '../session/session.module';
import { TeamFormationModule } from '../team-formation/team-formation.module';
import { SessionGateway } from './session.gateway';

/** Message routing: the socket.io edge, in front of sessions and team formation. */
@Module({
  imports: [SessionModule, TeamFormationModule],
  providers: [SessionGateway],
})
export class RoutingModule {}
