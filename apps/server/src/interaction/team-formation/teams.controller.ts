import { Body, Controller, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { CreateGoalDto, ListGoalsQueryDto, TeamFormationPayload } from '@ioa/protocol';
import { Contacts } from '../../data/contacts/contacts';
import { CurrentPrincipal, Principal, Roles } from '../../foundation/security/principal';
import { assertAllowed } from '../access/access';
import { GoalsService } from './goals.service';
import { TeamFormationService } from './team-formation.service';

@ApiTags('teams')
@ApiBearerAuth()
@Controller('v1')
export class TeamsController {
  constructor(private readonly goals: GoalsService, private readonly teams: TeamFormationService, private readonly contacts: Contacts) {}

  /** Submits a goal; its coordinator (named, or the best online match) receives a `goal` event and forms the root team. */
  @Post('goals')
  @Roles('admin', 'agent')
  createGoal(@CurrentPrincipal() p: Principal, @Body() body: CreateGoalDto) {
    return this.goals.create(p, body);
  }

  /** Goals the caller may read, newest first: all for admins, its own for an agent (created or coordinated), an observer's scope. */
  @Get('goals')
  listGoals(@CurrentPrincipal() p: Principal, @Query() q: ListGoalsQueryDto) {
    return this.goals.list(p, q);
  }

  @Get('goals/:id')
  goal(@CurrentPrincipal() p: Principal, @Param('id') id: string) {
    return this.goals.get(p, id);
  }

  @Get('goals/:id/tree')
  async goalTree(@CurrentPrincipal() p: Principal, @Param('id') id: string) {
    await this.goals.get(p, id);
    return this.goals.tree(p, id);
  }

  /** Cancels the goal and every group and task under it. */
  @Post('goals/:id/cancel')
  @Roles('admin')
  @HttpCode(200)
  cancel(@Param('id') id: string) {
    return this.goals.cancel(id);
  }

  /** Same as a `team_formation` message over the socket. */
  @Post('teams')
  @Roles('agent')
  form(@CurrentPrincipal() p: Principal, @Body() body: TeamFormationPayload) {
    return this.teams.form(p, body);
  }

  @Get('teams/:id/tree')
  tree(@CurrentPrincipal() p: Principal, @Param('id') id: string) {
    return this.goals.subtree(p, id);
  }

  /** Why each member was chosen: needs, candidates with scores, invites and answers. */
  @Get('teams/:id/decision')
  decision(@CurrentPrincipal() p: Principal, @Param('id') id: string) {
    return this.goals.decision(p, id);
  }

  @Get('agents/:id/contacts')
  @Roles('admin', 'agent')
  agentContacts(@CurrentPrincipal() p: Principal, @Param('id') id: string) {
    assertAllowed(p, { action: 'contacts.read', agentId: id });
    return this.contacts.of(id);
  }
}
