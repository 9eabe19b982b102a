import { Column, Entity, Index, PrimaryColumn } from 'typeorm';
import type { CheckpointReason } from '@ioa/protocol';
import { epochMs } from '../../foundation/persistence/columns';

/**
 * A checkpoint: an immutable record of a group's execution state (every task with its node state, result and
 * assignees; the machine's snapshot; `seq`), written once with the step that takes it and never updated. `state` is
 * the canonical JSON that `hash` (SHA-256, hex) is taken of; `signature` is the data key's HMAC over the id, group,
 * seq and hash (`checkpoints.ts`), so a row changed in the database no longer verifies and is never restored.
 */
@Entity('checkpoints')
@Index(['groupId', 'seq'])
export class CheckpointEntity {
  @PrimaryColumn({ type: 'varchar', length: 36 })
  id: string;

  @Column({ type: 'varchar', length: 36 })
  groupId: string;

  /** The graph whose node settled, when that is what took it. */
  @Column({ type: 'varchar', length: 36, nullable: true })
  graphId: string | null;

  /** The group's last `seq` when it was taken (its `checkpoint` system message follows). */
  @Column({ type: 'integer' })
  seq: number;

  @Column({ type: 'varchar', length: 16 })
  reason: CheckpointReason;

  /** Agent id, `admin` or `system`. */
  @Column({ type: 'varchar', length: 36 })
  createdBy: string;

  @Column({ type: 'bigint', transformer: epochMs })
  createdAt: number;

  /** The version of the state document's shape, and of the session machine whose snapshot it holds. */
  @Column({ type: 'integer' })
  format: number;

  @Column({ type: 'integer' })
  machineVersion: number;

  @Column({ type: 'text' })
  state: string;

  @Column({ type: 'varchar', length: 64 })
  hash: string;

  /** The id of the data key that signed it (`IOA_DATA_KEY`; a rotated-out key still verifies while configured). */
  @Column({ type: 'varchar', length: 32 })
  kid: string;

  @Column({ type: 'varchar', length: 64 })
  signature: string;
}
