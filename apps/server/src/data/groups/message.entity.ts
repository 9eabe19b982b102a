import { Column, Entity, Index, PrimaryColumn } from 'typeorm';
import type { GroupState, MessageType } from '@ioa/protocol';
import { epochMs } from '../../foundation/persistence/columns';

/** An accepted message; `seq` is per group, gap-free. `(group, sender, message_id)` is unique for the group's life. */
@Entity('messages')
@Index(['sender', 'messageId', 'groupId'], { unique: true })
export class MessageEntity {
  @PrimaryColumn({ type: 'varchar', length: 36 })
  groupId: string;

  @PrimaryColumn({ type: 'integer' })
  seq: number;

  @Column({ type: 'varchar', length: 36 })
  messageId: string;

  @Column({ type: 'varchar', length: 36 })
  sender: string;

  @Column({ type: 'varchar', length: 32 })
  type: MessageType;

  @Column({ type: 'varchar', length: 32 })
  state: GroupState;

  @Column({ type: 'simple-json' })
  payload: Record<string, unknown>;

  @Column({ type: 'simple-json', nullable: true })
  ext: Record<string, unknown> | null;

  /** Hash of type, payload and ext: a resend with the same id must carry the same content. */
  @Column({ type: 'varchar', length: 64 })
  digest: string;

  /** Ids of the tasks a `task_assignment` created, returned again to a resend. */
  @Column({ type: 'simple-json', nullable: true })
  taskIds: string[] | null;

  @Column({ type: 'bigint', transformer: epochMs })
  timestamp: number;
}
