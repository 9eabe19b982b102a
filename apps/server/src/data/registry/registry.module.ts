import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AgentEntity } from './agent.entity';
import { AgentRegistry } from './agent-registry.service';

@Module({
  imports: [TypeOrmModule.forFeature([AgentEntity])],
  providers: [AgentRegistry],
  exports: [AgentRegistry],
})
export class RegistryModule {}
