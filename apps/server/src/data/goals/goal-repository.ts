import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { Repository } from 'typeorm';
import type { QueryDeepPartialEntity } from 'typeorm/query-builder/QueryPartialEntity';
import { GoalEntity } from './goal.entity';

/** Goals (data layer): what the interaction layer reads and writes of them, and nothing of TypeORM beyond this file. */
@Injectable()
export class GoalRepository {
  constructor(@InjectRepository(GoalEntity) private readonly goals: Repository<GoalEntity>) {}

  get(id: string): Promise<GoalEntity | null> {
    return this.goals.findOneBy({ id });
  }

  async insert(goal: GoalEntity): Promise<void> {
    await this.goals.insert(goal as QueryDeepPartialEntity<GoalEntity>);
  }

  async update(id: string, changes: Partial<GoalEntity>): Promise<void> {
    await this.goals.update({ id }, changes as QueryDeepPartialEntity<GoalEntity>);
  }
}
