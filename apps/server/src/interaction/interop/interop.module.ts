import { Module } from '@nestjs/common';
import { GoalsDataModule } from '../../data/goals/goals-data.module';
import { RegistryModule } from '../../data/registry/registry.module';
import { AgentQueryModule } from '../agent-query/agent-query.module';
import { TeamFormationModule } from '../team-formation/team-formation.module';
import { A2aCard } from './a2a/a2a-card';
import { A2aController } from './a2a/a2a.controller';
import { GoalExecutor } from './a2a/goal-executor';
import { GoalTaskStore } from './a2a/goal-task-store';
import { McpController } from './mcp.controller';
import { McpServices } from './mcp-services';

/** ioa for the wider agent ecosystem: the Model Context Protocol at `/mcp`, and A2A at `/a2a` with its agent card. */
@Module({ imports: [AgentQueryModule, TeamFormationModule, RegistryModule, GoalsDataModule], controllers: [McpController, A2aController], providers: [McpServices, A2aCard, GoalTaskStore, GoalExecutor] })
export class InteropModule {}
