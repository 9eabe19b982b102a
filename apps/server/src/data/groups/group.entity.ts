import { Column, Entity, Index, PrimaryColumn } from 'typeorm';
import type { CloseReason, GroupState } from '@ioa/protocol';
import { epochMs } from '../../foundation/persistence/columns';

export interface GroupOptions {
  turn_timeout_s: number;
  coordinator_timeout_s: number;
  conclusion_wait_s: number;
}

/**
 * A group chat and its session. The machine's persisted snapshot is the source of truth for state, turn and
 * coordinator; `state`, `coordinator`, `members` and the counters are mirrored into columns for queries.
 * Deadlines are data (not machine delays) so that a scheduler re-arms them after a restart.
 */
@Entity('groups')
export class GroupEntity {
  @PrimaryColumn({ type: 'varchar', length: 36 })
  id: string;

  @Column({ type: 'text' })
  goal: string;

  /** Agent id of the creator, or `admin`. */
  @Column({ type: 'varchar', length: 36 })
  createdBy: string;

  @Column({ type: 'varchar', length: 36 })
  coordinator: string;

  @Column({ type: 'simple-json' })
  members: string[];

  @Index()
  @Column({ type: 'varchar', length: 32 })
  state: GroupState;

  @Column({ type: 'integer' })
  machineVersion: number;

  @Column({ type: 'simple-json' })
  snapshot: unknown;

  @Column({ type: 'integer' })
  lastSeq: number;

  @Column({ type: 'integer' })
  turnsUsed: number;

  @Column({ type: 'integer' })
  maxTurns: number;

  @Column({ type: 'simple-json' })
  options: GroupOptions;

  /** When the current turn holders lose the turn (or the coordinator its role). */
  @Column({ type: 'bigint', nullable: true, transformer: epochMs })
  turnDeadline: number | null;

  /** When a group waiting in `conclusion` closes without a summary. */
  @Column({ type: 'bigint', nullable: true, transformer: epochMs })
  conclusionDeadline: number | null;

  @Column({ type: 'varchar', length: 32, nullable: true })
  closeReason: CloseReason | null;

  @Column({ type: 'bigint', transformer: epochMs })
  createdAt: number;

  @Column({ type: 'bigint', transformer: epochMs })
  updatedAt: number;
}
