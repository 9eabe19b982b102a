import { Column, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';
import { epochMs } from '../../foundation/persistence/columns';

/** Transitions, refusals of authorised agents, and admin actions. */
@Entity('audit')
@Index(['groupId', 'at'])
export class AuditEntity {
  /** Increasing, so that entries written in the same millisecond keep their order. */
  @PrimaryGeneratedColumn('increment')
  id: number;

  @Index()
  @Column({ type: 'bigint', transformer: epochMs })
  at: number;

  /** Agent id, `admin` or `system`. */
  @Column({ type: 'varchar', length: 36 })
  actor: string;

  @Column({ type: 'varchar', length: 32 })
  action: string;

  @Column({ type: 'varchar', length: 36, nullable: true })
  groupId: string | null;

  @Column({ type: 'simple-json' })
  detail: Record<string, unknown>;
}
