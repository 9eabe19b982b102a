import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { Contacts } from '../contacts/contacts';
import { GoalEntity } from './goal.entity';
import { GoalRepository } from './goal-repository';

/** Goals and contacts (who worked with whom), as the team-formation layer reads and writes them. */
@Module({ imports: [TypeOrmModule.forFeature([GoalEntity])], providers: [GoalRepository, Contacts], exports: [GoalRepository, Contacts] })
export class GoalsDataModule {}
