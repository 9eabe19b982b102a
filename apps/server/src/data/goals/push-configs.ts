import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { Repository } from 'typeorm';
import { PushConfigEntity } from './push-config.entity';

/** A2A push notification configs of goals (data layer). */
@Injectable()
export class PushConfigs {
  constructor(@InjectRepository(PushConfigEntity) private readonly rows: Repository<PushConfigEntity>) {}

  ofGoal(goalId: string): Promise<PushConfigEntity[]> {
    return this.rows.find({ where: { goalId }, order: { createdAt: 'ASC', id: 'ASC' } });
  }

  async save(row: PushConfigEntity): Promise<void> {
    await this.rows.save(row);
  }

  /** One config of the goal, or (no id) all of them. */
  async remove(goalId: string, id?: string): Promise<void> {
    await this.rows.delete(id ? { goalId, id } : { goalId });
  }
}
