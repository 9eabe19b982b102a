import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { Contacts } from '../../data/contacts/contacts';
import { GoalEntity } from '../../data/goals/goal.entity';
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
  imports: [TypeOrmModule.forFeature([GoalEntity]), GroupsDataModule, RegistryModule, AgentQueryModule, SessionModule],
  controllers: [TeamsController],
  providers: [Contacts, CandidateFinder, TeamFormationService, GoalsService],
  exports: [TeamFormationService],
})
export class TeamFormationModule {}
