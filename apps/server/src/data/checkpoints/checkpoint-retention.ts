import { Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { AuditEntity } from '../audit/audit.entity';
import { GroupEntity } from '../groups/group.entity';
import { ConfigService } from '../../foundation/config/config.service';
import { RowWriter } from '../../foundation/persistence/row-writer';
import { Clock } from '../../foundation/runtime/runtime.module';
import { CheckpointEntity } from './checkpoint.entity';

/** The most checkpoints one delete takes (a sweep goes on until none is due), so that one never holds the writer long. */
const SWEEP_ROWS = 500;

type Deleted = { id: string; groupId: string };

/**
 * Retention: the checkpoints of a group closed more than `IOA_CHECKPOINT_RETENTION_S` ago (7 days by default) are
 * deleted, and the deletion audited in the same transaction (per group, the ids a delete actually removed, so nodes
 * sweeping at once never audit a row twice). On SQLite with `secure_delete` on and the WAL truncated after
 * (`SqliteWriter`), so their content is gone from the files; a truncation a reader held up is tried again at the next
 * sweep. PostgreSQL does not scrub deleted rows (VACUUM reuses the space later).
 */
@Injectable()
export class CheckpointRetention implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('checkpoints');
  private timer: NodeJS.Timeout | null = null;
  /** A deletion's WAL truncation was held up: the next sweep tries again. */
  private untruncated = false;

  constructor(
    @InjectDataSource() private readonly ds: DataSource,
    private readonly writer: RowWriter,
    private readonly config: ConfigService,
    private readonly clock: Clock,
  ) {}

  onApplicationBootstrap(): void {
    const { retentionS } = this.config.values.checkpoints;
    // Often enough that a checkpoint outlives its retention by at most a minute (or by the retention, if shorter).
    const everyMs = Math.max(1000, Math.min(60_000, retentionS * 1000));
    this.timer = setInterval(() => void this.sweep().catch((e: Error) => this.logger.warn(`checkpoint retention failed: ${e.message}`)), everyMs);
    this.timer.unref();
  }

  onApplicationShutdown(): void {
    if (this.timer) clearInterval(this.timer);
  }

  /** Deletes the checkpoints past retention; returns how many. */
  async sweep(): Promise<number> {
    let total = 0;
    for (let n = await this.deleteDue(); n > 0; n = await this.deleteDue()) total += n;
    if (this.untruncated && this.writer.sqlite) this.untruncated = !this.writer.sqlite.truncateWal();
    return total;
  }

  private async deleteDue(): Promise<number> {
    const before = this.clock.now() - this.config.values.checkpoints.retentionS * 1000;
    const due = await this.ds.getRepository(CheckpointEntity).createQueryBuilder('c').select(['c.id'])
      .innerJoin(GroupEntity, 'g', 'g.id = c.groupId').where("g.state = 'closed' AND g.updatedAt < :before", { before }).take(SWEEP_ROWS).getMany();
    if (!due.length) return 0;
    const ids = due.map((c) => c.id);
    if (this.writer.sqlite) {
      const sql = `DELETE FROM checkpoints WHERE id IN (${ids.map(() => '?').join(',')}) RETURNING id, groupId`;
      const { rows, truncated } = this.writer.sqlite.secureDelete<Deleted>(sql, ids, (deleted, write) => write(AuditEntity, this.audit(deleted)));
      if (!truncated) {
        this.untruncated = true;
        this.logger.warn(`deleted ${rows.length} checkpoints; the WAL could not be truncated yet (a reader held it), tried again at the next sweep`);
      }
      return rows.length;
    }
    return this.ds.transaction(async (m) => {
      const result = await m.createQueryBuilder().delete().from(CheckpointEntity).whereInIds(ids).returning(['id', 'groupId']).execute();
      const rows = result.raw as Deleted[];
      if (rows.length) await m.insert(AuditEntity, this.audit(rows) as never);
      return rows.length;
    });
  }

  /** One audit row per group, naming the checkpoints deleted. */
  private audit(rows: Deleted[]): AuditEntity[] {
    const byGroup = new Map<string, string[]>();
    for (const r of rows) byGroup.set(r.groupId, [...(byGroup.get(r.groupId) ?? []), r.id]);
    return [...byGroup].map(([groupId, ids]) => Object.assign(new AuditEntity(), {
      at: this.clock.now(), actor: 'system', action: 'checkpoints_deleted', groupId, detail: { checkpoint_ids: ids, retention_s: this.config.values.checkpoints.retentionS },
    }));
  }
}
