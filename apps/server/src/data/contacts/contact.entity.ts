import { Column, Entity, PrimaryColumn } from 'typeorm';
import { epochMs } from '../../foundation/persistence/columns';

/** An agent's past collaborator: someone it was in a concluded group with (kept in both directions). */
@Entity('contacts')
export class ContactEntity {
  @PrimaryColumn({ type: 'varchar', length: 36 })
  agentId: string;

  @PrimaryColumn({ type: 'varchar', length: 36 })
  contactId: string;

  @Column({ type: 'integer' })
  groups: number;

  /** Tasks both were in (one assigned, or both assigned) that completed or failed. */
  @Column({ type: 'integer' })
  completedTasks: number;

  @Column({ type: 'integer' })
  failedTasks: number;

  @Column({ type: 'text' })
  lastGoal: string;

  @Column({ type: 'bigint', transformer: epochMs })
  lastAt: number;
}
