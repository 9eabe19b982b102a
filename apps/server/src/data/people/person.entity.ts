import { Column, Entity, PrimaryColumn } from 'typeorm';
import { epochMs } from '../../foundation/persistence/columns';

/** A person an admin created: holds `participant` tokens, decides approvals. Its id shares the agents' id space (UUIDs). */
@Entity('people')
export class PersonEntity {
  @PrimaryColumn({ type: 'varchar', length: 36 })
  id: string;

  @Column({ type: 'varchar', length: 200 })
  name: string;

  @Column({ type: 'varchar', length: 36 })
  createdBy: string;

  @Column({ type: 'bigint', transformer: epochMs })
  createdAt: number;
}
