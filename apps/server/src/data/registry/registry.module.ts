import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AgentEntity } from './agent.entity';
import { AgentRegistry } from './agent-registry.service';
import { HostedAgentEntity } from './hosted-agent.entity';
import { HostedAgents } from './hosted-agents';

@Module({
  imports: [TypeOrmModule.forFeature([AgentEntity, HostedAgentEntity])],
  providers: [AgentRegistry, HostedAgents],
  exports: [AgentRegistry, HostedAgents],
})
export class RegistryModule {}
