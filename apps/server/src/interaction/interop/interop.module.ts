import { Module } from '@nestjs/common';
import { AgentQueryModule } from '../agent-query/agent-query.module';
import { TeamFormationModule } from '../team-formation/team-formation.module';
import { McpController } from './mcp.controller';
import { McpServices } from './mcp-services';

/** ioa for the wider agent ecosystem: the Model Context Protocol at `/mcp` (and, next, A2A). */
@Module({ imports: [AgentQueryModule, TeamFormationModule], controllers: [McpController], providers: [McpServices] })
export class InteropModule {}
