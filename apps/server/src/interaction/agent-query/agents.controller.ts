import { Body, Controller, Delete, Get, HttpCode, Param, Patch, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import {
  AgentCredentials, AgentPage, AgentView, ErrorCode, ListAgentsQueryDto, RegisterAgentDto, Registration, SearchAgentsDto, SearchResponse, UpdateAgentDto,
} from '@ioa/protocol';
import { AgentRegistry, toAgentView } from '../../data/registry/agent-registry.service';
import { CurrentPrincipal, Principal, Roles } from '../../foundation/security/principal';
import { AgentSearchService } from './agent-search.service';
import { AgentsService } from './agents.service';
import { ApiErrors, AUTHENTICATED_ERRORS } from '../../foundation/http/api-errors';

@ApiTags('agents')
@ApiBearerAuth()
@ApiErrors(...AUTHENTICATED_ERRORS)
@Controller('v1/agents')
export class AgentsController {
  constructor(
    private readonly agents: AgentsService,
    private readonly registry: AgentRegistry,
    private readonly search: AgentSearchService,
  ) {}

  /** Register with an enrollment token as bearer (or as an admin); returns the agent and its tokens. */
  @Post()
  @Roles('enrollment', 'admin')
  @ApiErrors(ErrorCode.CONFLICT)
  registerAgent(@CurrentPrincipal() by: Principal, @Body() card: RegisterAgentDto): Promise<Registration> {
    return this.agents.register(by, card);
  }

  @Get()
  @Roles('admin', 'agent', 'observer', 'participant', 'client')
  async listAgents(@Query() query: ListAgentsQueryDto): Promise<AgentPage> {
    const page = await this.registry.list(query);
    return { ...page, items: page.items.map(toAgentView) };
  }

  /** Agents ranked by how well their description or one of their capabilities matches the query. */
  @Post('search')
  @Roles('admin', 'agent', 'observer', 'participant', 'client')
  @HttpCode(200)
  async searchAgents(@Body() query: SearchAgentsDto): Promise<SearchResponse> {
    return { results: await this.search.search(query) };
  }

  @Get(':id')
  @Roles('admin', 'agent', 'observer', 'participant', 'client')
  @ApiErrors(ErrorCode.NOT_FOUND)
  async getAgent(@Param('id') id: string): Promise<AgentView> {
    return toAgentView(await this.registry.get(id));
  }

  @Patch(':id')
  @Roles('agent', 'admin')
  @ApiErrors(ErrorCode.NOT_FOUND, ErrorCode.CONFLICT)
  updateAgent(@CurrentPrincipal() by: Principal, @Param('id') id: string, @Body() patch: UpdateAgentDto): Promise<AgentView> {
    return this.agents.update(by, id, patch);
  }

  @Delete(':id')
  @Roles('agent', 'admin')
  @ApiErrors(ErrorCode.NOT_FOUND)
  deleteAgent(@CurrentPrincipal() by: Principal, @Param('id') id: string): Promise<AgentView> {
    return this.agents.remove(by, id);
  }

  @Post(':id/disable')
  @Roles('admin')
  @HttpCode(200)
  @ApiErrors(ErrorCode.NOT_FOUND)
  disableAgent(@Param('id') id: string): Promise<AgentView> {
    return this.agents.disable(id);
  }

  @Post(':id/enable')
  @Roles('admin')
  @HttpCode(200)
  @ApiErrors(ErrorCode.NOT_FOUND)
  enableAgent(@Param('id') id: string): Promise<AgentView> {
    return this.agents.enable(id);
  }

  /** Fresh credentials for an agent, e.g. one an admin registered or re-enabled. */
  @Post(':id/tokens')
  @Roles('admin')
  @ApiErrors(ErrorCode.NOT_FOUND, ErrorCode.CONFLICT)
  issueAgentTokens(@Param('id') id: string): Promise<AgentCredentials> {
    return this.agents.issueCredentials(id);
  }
}
