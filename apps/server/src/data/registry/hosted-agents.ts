import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { Repository } from 'typeorm';
import type { QueryDeepPartialEntity } from 'typeorm/query-builder/QueryPartialEntity';
import { HostedAgentEntity } from './hosted-agent.entity';

/** Hosted A2A agents (data layer). */
@Injectable()
export class HostedAgents {
  constructor(@InjectRepository(HostedAgentEntity) private readonly rows: Repository<HostedAgentEntity>) {}

  all(): Promise<HostedAgentEntity[]> {
    return this.rows.find();
  }

  get(agentId: string): Promise<HostedAgentEntity | null> {
    return this.rows.findOneBy({ agentId });
  }

  byCardUrl(cardUrl: string): Promise<HostedAgentEntity | null> {
    return this.rows.findOneBy({ cardUrl });
  }

  async save(row: HostedAgentEntity): Promise<void> {
    await this.rows.upsert(row as QueryDeepPartialEntity<HostedAgentEntity>, ['agentId']);
  }

  async remove(agentId: string): Promise<void> {
    await this.rows.delete({ agentId });
  }
}
