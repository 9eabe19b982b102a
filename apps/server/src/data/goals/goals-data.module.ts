import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { Contacts } from '../contacts/contacts';
import { GoalEntity } from './goal.entity';
import { GoalRepository } from './goal-repository';
import { PushConfigEntity } from './push-config.entity';
import { PushConfigs } from './push-configs';

/** Goals, their A2A push configs, and contacts (who worked with whom), as the interaction layer reads and writes them. */
@Module({
  imports: [TypeOrmModule.forFeature([GoalEntity, PushConfigEntity])], providers: [GoalRepository, PushConfigs, Contacts], exports: [GoalRepository, PushConfigs, Contacts],
})
export class GoalsDataModule {}
