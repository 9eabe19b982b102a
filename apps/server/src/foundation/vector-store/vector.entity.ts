import { Column, Entity, Index, PrimaryColumn } from 'typeorm';

/**
 * A vector of the embedded store. Vectors are kept as base64 text: the one binary-safe column type that
 * SQLite and PostgreSQL share under TypeORM without driver-specific entities.
 */
@Entity('vectors')
@Index(['collection', 'owner'])
export class VectorEntity {
  @PrimaryColumn({ type: 'varchar', length: 100 })
  collection: string;

  @PrimaryColumn({ type: 'varchar', length: 100 })
  id: string;

  /** The record the vector belongs to (an agent id), so that all of its vectors go together. */
  @Column({ type: 'varchar', length: 64 })
  owner: string;

  @Column({ type: 'simple-json' })
  payload: Record<string, string | number | boolean>;

  @Column({ type: 'text' })
  vector: string;
}
