import { Module } from '@nestjs/common';
import { GoalsDataModule } from '../../data/goals/goals-data.module';
import { GroupsDataModule } from '../../data/groups/groups-data.module';
import { RegistryModule } from '../../data/registry/registry.module';
import { AgentQueryModule } from '../agent-query/agent-query.module';
import { SessionModule } from '../session/session.module';
import { CandidateFinder } from './candidate-finder';
import { GoalsService } from './goals.service';
import { TeamFormationService } from './team-formation.service';
import { TeamsController } from './teams.controller';

/** Goals, autonomous team-up by meaning, nested sub-teams, the team tree and contacts. */
@Module({
  imports: [GoalsDataModule, GroupsDataModule, RegistryModule, AgentQueryModule, SessionModule],
  controllers: [TeamsController],
  providers: [CandidateFinder, TeamFormationService, GoalsService],
  exports: [TeamFormationService],
})
export class TeamFormationModule {}
