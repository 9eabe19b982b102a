import { Column, Entity, PrimaryColumn } from 'typeorm';
import { epochMs } from '../../foundation/persistence/columns';

/**
 * Where an A2A client asked to be told of its task's changes (a push notification config): the goal (the task), the
 * URL, and what authenticates the call to it, sealed. Kept on the database, so every node pushes what it changes.
 */
@Entity('a2a_push_configs')
export class PushConfigEntity {
  @PrimaryColumn({ type: 'varchar', length: 36 })
  goalId: string;

  /** Unique within its goal only: clients choose ids, and one client's must not reach another's config. */
  @PrimaryColumn({ type: 'varchar', length: 64 })
  id: string;

  @Column({ type: 'text' })
  url: string;

  /** `{ token, scheme, credentials }` as the client gave them, sealed with the data key (`DataKeys.seal`); never returned. */
  @Column({ type: 'text' })
  secrets: string;

  /** The A2A version the config was set in (`1.0` or `0.3`): pushes are shaped for it. */
  @Column({ type: 'varchar', length: 8 })
  wireVersion: string;

  @Column({ type: 'bigint', transformer: epochMs })
  createdAt: number;
}
