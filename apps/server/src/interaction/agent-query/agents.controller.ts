import { Body, Controller, Delete, Get, HttpCode, Param, Patch, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import {
  AgentCredentials, AgentView, ListAgentsQueryDto, Page, RegisterAgentDto, SearchAgentsDto, SearchResponse, UpdateAgentDto,
} from '@ioa/protocol';
import { AgentRegistry, toAgentView } from '../../data/registry/agent-registry.service';
import { CurrentPrincipal, Principal, Roles } from '../../foundation/security/principal';
import { AgentSearchService } from './agent-search.service';
import { AgentsService, Registration } from './agents.service';

@ApiTags('agents')
@ApiBearerAuth()
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
  register(@CurrentPrincipal() by: Principal, @Body() card: RegisterAgentDto): Promise<Registration> {
    return this.agents.register(by, card);
  }

  @Get()
  async list(@Query() query: ListAgentsQueryDto): Promise<Page<AgentView>> {
    const page = await this.registry.list(query);
    return { ...page, items: page.items.map(toAgentView) };
  }

  /** Agents ranked by how well their description or one of their capabilities matches the query. */
  @Post('search')
  @HttpCode(200)
  async searchAgents(@Body() query: SearchAgentsDto): Promise<SearchResponse> {
    return { results: await this.search.search(query) };
  }

  @Get(':id')
  async get(@Param('id') id: string): Promise<AgentView> {
    return toAgentView(await this.registry.get(id));
  }

  @Patch(':id')
  @Roles('agent', 'admin')
  update(@CurrentPrincipal() by: Principal, @Param('id') id: string, @Body() patch: UpdateAgentDto): Promise<AgentView> {
    return this.agents.update(by, id, patch);
  }

  @Delete(':id')
  @Roles('agent', 'admin')
  remove(@CurrentPrincipal() by: Principal, @Param('id') id: string): Promise<AgentView> {
    return this.agents.remove(by, id);
  }

  @Post(':id/disable')
  @Roles('admin')
  @HttpCode(200)
  disable(@Param('id') id: string): Promise<AgentView> {
    return this.agents.disable(id);
  }

  @Post(':id/enable')
  @Roles('admin')
  @HttpCode(200)
  enable(@Param('id') id: string): Promise<AgentView> {
    return this.agents.enable(id);
  }

  /** Fresh credentials for an agent, e.g. one an admin registered or re-enabled. */
  @Post(':id/tokens')
  @Roles('admin')
  issueTokens(@Param('id') id: string): Promise<AgentCredentials> {
    return this.agents.issueCredentials(id);
  }
}
