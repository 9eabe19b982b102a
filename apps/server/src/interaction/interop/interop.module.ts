import { Module } from '@nestjs/common';
import { GoalsDataModule } from '../../data/goals/goals-data.module';
import { RegistryModule } from '../../data/registry/registry.module';
import { AgentQueryModule } from '../agent-query/agent-query.module';
import { TeamFormationModule } from '../team-formation/team-formation.module';
import { AuditModule } from '../../data/audit/audit.module';
import { GroupsDataModule } from '../../data/groups/groups-data.module';
import { A2aMembersController } from './a2a-members/a2a-members.controller';
import { HostedMembers } from './a2a-members/hosted-members';
import { ImportA2aAgent } from './a2a-members/import-agent';
import { A2aCard } from './a2a/a2a-card';
import { A2aController } from './a2a/a2a.controller';
import { GoalExecutor } from './a2a/goal-executor';
import { GoalTaskStore } from './a2a/goal-task-store';
import { RequestBuses } from './a2a/request-buses';
import { McpController } from './mcp.controller';
import { McpServices } from './mcp-services';
import { GoalPushes } from './a2a/goal-pushes';

/**
 * ioa for the wider agent ecosystem: the Model Context Protocol at `/mcp`, A2A at `/a2a` with its agent card, and A2A
 * agents hosted as members (`POST /v1/agents/import`).
 */
@Module({
  imports: [AgentQueryModule, TeamFormationModule, RegistryModule, GoalsDataModule, GroupsDataModule, AuditModule],
  controllers: [McpController, A2aController, A2aMembersController],
  providers: [McpServices, A2aCard, GoalTaskStore, RequestBuses, GoalExecutor, GoalPushes, HostedMembers, ImportA2aAgent],
})
export class InteropModule {}
