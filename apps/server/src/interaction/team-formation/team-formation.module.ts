import { Module } from '@nestjs/common';
import { GoalsDataModule } from '../../data/goals/goals-data.module';
import { GroupsDataModule } from '../../data/groups/groups-data.module';
import { RegistryModule } from '../../data/registry/registry.module';
import { AgentQueryModule } from '../agent-query/agent-query.module';
import { registerHandlers } from '../session/register-handlers';
import { SessionModule } from '../session/session.module';
import { CandidateFinder } from './candidate-finder';
import { CoordinatorFinder } from './coordinator-finder';
import { GoalHandovers } from './goal-handovers';
import { GoalWatchers } from './goal-watchers';
import { OwedEvents } from './owed-events';
import { FormingSteps } from './forming-steps';
import { GoalsService } from './goals.service';
import { InviteMemberHandler } from './handlers/invite-member.handler';
import { ReplyInviteHandler } from './handlers/reply-invite.handler';
import { StartFormingHandler } from './handlers/start-forming.handler';
import { StartSubteamHandler } from './handlers/start-subteam.handler';
import { TeamFormationService } from './team-formation.service';
import { TeamsController } from './teams.controller';
import { SubteamCascade } from './subteam-cascade';

const HANDLERS = [StartFormingHandler, InviteMemberHandler, ReplyInviteHandler, StartSubteamHandler];

/** Goals, autonomous team-up by meaning, nested sub-teams, the team tree and contacts; the forming steps of groups. */
@Module({
  imports: [GoalsDataModule, GroupsDataModule, RegistryModule, AgentQueryModule, SessionModule],
  controllers: [TeamsController],
  providers: [CandidateFinder, CoordinatorFinder, GoalWatchers, GoalHandovers, FormingSteps, ...HANDLERS, registerHandlers('TEAM_FORMATION_HANDLERS', HANDLERS), TeamFormationService, GoalsService, OwedEvents, SubteamCascade],
  exports: [TeamFormationService, OwedEvents, GoalsService, GoalWatchers],
})
export class TeamFormationModule {}
