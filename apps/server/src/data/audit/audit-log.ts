import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { iso } from '../../foundation/persistence/columns';
import { SqliteWriter } from '../../foundation/persistence/sqlite-writer';
import { Clock } from '../../foundation/runtime/runtime.module';
import { AuditEntity } from './audit.entity';

export interface AuditView {
  id: number;
  at: string;
  actor: string;
  action: string;
  group_id: string | null;
  detail: Record<string, unknown>;
}

/** The audit log (data layer): session transitions and refusals arrive with their group's batch; admin actions here. */
@Injectable()
export class AuditLog {
  private readonly sqlite: SqliteWriter | null;

  constructor(@InjectDataSource() private readonly ds: DataSource, private readonly clock: Clock) {
    this.sqlite = SqliteWriter.for(ds);
  }

  async record(actor: string, action: string, detail: Record<string, unknown>, groupId: string | null = null): Promise<void> {
    const row: Omit<AuditEntity, 'id'> = { at: this.clock.now(), actor, action, groupId, detail };
    // A prepared statement on SQLite: TypeORM's insert text carries the time, so it would prepare one per row.
    if (this.sqlite) this.sqlite.transaction((put) => put(AuditEntity, [row as AuditEntity]));
    else await this.ds.getRepository(AuditEntity).insert(row as never);
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
