import { Module } from '@nestjs/common';
import { RegistryModule } from '../../data/registry/registry.module';
import { LexicalModule } from '../../foundation/lexical/lexical.module';
import { AgentSearchService } from './agent-search.service';
import { AgentsController } from './agents.controller';
import { AgentsService } from './agents.service';
import { RegistryFeed } from './registry-feed';

@Module({
  imports: [RegistryModule, LexicalModule],
  controllers: [AgentsController],
  providers: [AgentSearchService, AgentsService, RegistryFeed],
  exports: [AgentSearchService, AgentsService, RegistryFeed],
})
export class AgentQueryModule {}
