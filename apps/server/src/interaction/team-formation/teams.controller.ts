import { Body, Controller, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import {
  MessageAck, MessagesPage, MessagesQueryDto, ContactView, CreateGoalDto, ErrorCode, GoalPage, GoalView, ListGoalsQueryDto, RequesterMessageDto, TeamDecisionView, TeamFormationAck, TeamFormationPayload, TreeNode,
} from '@ioa/protocol';
import { ApiErrors, AUTHENTICATED_ERRORS } from '../../foundation/http/api-errors';
import { Contacts } from '../../data/contacts/contacts';
import { AgentRegistry } from '../../data/registry/agent-registry.service';
import { CurrentPrincipal, Principal, Roles } from '../../foundation/security/principal';
import { assertAllowed } from '../access/access';
import { GoalsService } from './goals.service';
import { TeamFormationService } from './team-formation.service';

@ApiTags('teams')
@ApiBearerAuth()
@ApiErrors(...AUTHENTICATED_ERRORS)
@Controller('v1')
export class TeamsController {
  constructor(
    private readonly goals: GoalsService,
    private readonly teams: TeamFormationService,
    private readonly contacts: Contacts,
    private readonly registry: AgentRegistry,
  ) {}

  /** Submits a goal; its coordinator (named, or the best online match) receives a `goal` event and forms the root team. */
  @Post('goals')
  @Roles('admin', 'agent', 'client')
  @ApiErrors(ErrorCode.NOT_FOUND, ErrorCode.NO_CANDIDATE)
  createGoal(@CurrentPrincipal() p: Principal, @Body() body: CreateGoalDto): Promise<GoalView> {
    return this.goals.create(p, body);
  }

  /** Goals the caller may read, newest first: all for admins, its own for an agent (created or coordinated), an observer's scope. */
  @Get('goals')
  @Roles('admin', 'agent', 'observer', 'participant', 'client')
  listGoals(@CurrentPrincipal() p: Principal, @Query() q: ListGoalsQueryDto): Promise<GoalPage> {
    return this.goals.list(p, q);
  }

  /** The goal with its team tree (`tree`). */
  @Get('goals/:id')
  @Roles('admin', 'agent', 'observer', 'participant', 'client')
  @ApiErrors(ErrorCode.NOT_FOUND)
  getGoal(@CurrentPrincipal() p: Principal, @Param('id') id: string): Promise<GoalView> {
    return this.goals.get(p, id);
  }

  @Get('goals/:id/tree')
  @Roles('admin', 'agent', 'observer', 'participant', 'client')
  @ApiErrors(ErrorCode.NOT_FOUND)
  async getGoalTree(@CurrentPrincipal() p: Principal, @Param('id') id: string): Promise<TreeNode[]> {
    await this.goals.get(p, id);
    return this.goals.tree(p, id);
  }

  /** The root team's messages, as the caller may see them: what a client that submitted the goal reads of its work. */
  @Get('goals/:id/transcript')
  @Roles('admin', 'agent', 'observer', 'participant', 'client')
  @ApiErrors(ErrorCode.NOT_FOUND)
  getGoalTranscript(@CurrentPrincipal() p: Principal, @Param('id') id: string, @Query() q: MessagesQueryDto): Promise<MessagesPage> {
    return this.goals.transcript(p, id, q.after_seq, q.limit);
  }

  /**
   * The requester writes to the coordinator of the goal's root team: a `system` message from `requester` (event
   * `requester_message`), the answer to a question asked with `ask_requester`. Admins, and whoever submitted the goal.
   */
  @Post('goals/:id/messages')
  @Roles('admin', 'agent', 'client')
  @ApiErrors(ErrorCode.NOT_FOUND, ErrorCode.CONFLICT)
  postGoalMessage(@CurrentPrincipal() p: Principal, @Param('id') id: string, @Body() body: RequesterMessageDto): Promise<MessageAck> {
    return this.goals.message(p, id, body.text);
  }

  /** Cancels the goal and every group and task under it (an admin, or the client that submitted it). */
  @Post('goals/:id/cancel')
  @Roles('admin', 'client')
  @HttpCode(200)
  @ApiErrors(ErrorCode.NOT_FOUND, ErrorCode.CONFLICT)
  async cancelGoal(@CurrentPrincipal() p: Principal, @Param('id') id: string): Promise<GoalView> {
    await this.goals.assertCancel(p, id);
    return this.goals.cancel(id, p);
  }

  /** Same as a `team_formation` message over the socket. */
  @Post('teams')
  @Roles('agent')
  @ApiErrors(ErrorCode.NOT_FOUND, ErrorCode.CONFLICT, ErrorCode.NO_CANDIDATE, ErrorCode.DEPTH_EXHAUSTED)
  formTeam(@CurrentPrincipal() p: Principal, @Body() body: TeamFormationPayload): Promise<TeamFormationAck> {
    return this.teams.form(p, body);
  }

  @Get('teams/:id/tree')
  @ApiErrors(ErrorCode.NOT_FOUND)
  getTeamTree(@CurrentPrincipal() p: Principal, @Param('id') id: string): Promise<TreeNode> {
    return this.goals.subtree(p, id);
  }

  /** Why each member was chosen: needs, candidates with scores, invites and answers. */
  @Get('teams/:id/decision')
  @ApiErrors(ErrorCode.NOT_FOUND)
  getTeamDecision(@CurrentPrincipal() p: Principal, @Param('id') id: string): Promise<TeamDecisionView> {
    return this.goals.decision(p, id);
  }

  @Get('agents/:id/contacts')
  @Roles('admin', 'agent')
  @ApiErrors(ErrorCode.NOT_FOUND)
  async listContacts(@CurrentPrincipal() p: Principal, @Param('id') id: string): Promise<ContactView[]> {
    assertAllowed(p, { action: 'contacts.read', agentId: id });
    await this.registry.get(id);
    return this.contacts.of(id);
  }
}
