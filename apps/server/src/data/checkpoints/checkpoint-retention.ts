import { Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, In } from 'typeorm';
import { AuditLog } from '../audit/audit-log';
import { GroupEntity } from '../groups/group.entity';
import { ConfigService } from '../../foundation/config/config.service';
import { RowWriter } from '../../foundation/persistence/row-writer';
import { Clock } from '../../foundation/runtime/runtime.module';
import { CheckpointEntity } from './checkpoint.entity';

/** The most checkpoints one sweep deletes (the next sweep goes on), so that one sweep never holds the writer long. */
const SWEEP_ROWS = 500;

/**
 * Retention: the checkpoints of a group closed more than `IOA_CHECKPOINT_RETENTION_S` ago (7 days by default) are
 * deleted, each deletion audited. On SQLite with `secure_delete` on and the WAL truncated after (`SqliteWriter`), so
 * their content is gone from the files; PostgreSQL does not scrub deleted rows (its VACUUM reuses the space later).
 */
@Injectable()
export class CheckpointRetention implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('checkpoints');
  private timer: NodeJS.Timeout | null = null;

  constructor(
    @InjectDataSource() private readonly ds: DataSource,
    private readonly writer: RowWriter,
    private readonly audit: AuditLog,
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
    const before = this.clock.now() - this.config.values.checkpoints.retentionS * 1000;
    const due = await this.ds.getRepository(CheckpointEntity).createQueryBuilder('c').select(['c.id', 'c.groupId'])
      .innerJoin(GroupEntity, 'g', 'g.id = c.groupId').where("g.state = 'closed' AND g.updatedAt < :before", { before }).take(SWEEP_ROWS).getMany();
    if (!due.length) return 0;
    const ids = due.map((c) => c.id);
    const deleted = this.writer.sqlite
      ? this.writer.sqlite.secureDelete(`DELETE FROM checkpoints WHERE id IN (${ids.map(() => '?').join(',')})`, ...ids)
      : (await this.ds.getRepository(CheckpointEntity).delete({ id: In(ids) })).affected ?? 0;
    const byGroup = new Map<string, string[]>();
    for (const c of due) byGroup.set(c.groupId, [...(byGroup.get(c.groupId) ?? []), c.id]);
    for (const [groupId, checkpointIds] of byGroup) await this.audit.record('system', 'checkpoints_deleted', { checkpoint_ids: checkpointIds, retention_s: this.config.values.checkpoints.retentionS }, groupId);
    return deleted;
  }
}
