import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import type { AuditView } from '@ioa/protocol';
import { iso } from '../../foundation/runtime/time';
import { RowWriter } from '../../foundation/persistence/row-writer';
import { Clock } from '../../foundation/runtime/runtime.module';
import { AuditEntity } from './audit.entity';

/** The audit log (data layer): session transitions and refusals arrive with their group's batch; admin actions here. */
@Injectable()
export class AuditLog {
  constructor(@InjectDataSource() private readonly ds: DataSource, private readonly clock: Clock, private readonly writer: RowWriter) {}

  async record(actor: string, action: string, detail: Record<string, unknown>, groupId: string | null = null): Promise<void> {
    const row: Omit<AuditEntity, 'id'> = { at: this.clock.now(), actor, action, groupId, detail };
    await this.writer.insert(AuditEntity, [row as AuditEntity]);
  }

  /** Newest first; `beforeId` pages back. */
  async list(filter: { groupId?: string; actor?: string }, limit: number, beforeId?: number): Promise<AuditView[]> {
    const qb = this.ds.getRepository(AuditEntity).createQueryBuilder('a').orderBy('a.id', 'DESC').take(limit);
    if (filter.groupId) qb.andWhere('a.groupId = :groupId', { groupId: filter.groupId });
    if (filter.actor) qb.andWhere('a.actor = :actor', { actor: filter.actor });
    if (beforeId !== undefined) qb.andWhere('a.id < :beforeId', { beforeId });
    const rows = await qb.getMany();
    return rows.map((a) => ({ id: a.id, at: iso(a.at) as string, actor: a.actor, action: a.action, group_id: a.groupId, detail: a.detail }));
  }
}
