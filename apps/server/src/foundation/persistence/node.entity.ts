import { Column, Entity, PrimaryColumn } from 'typeorm';
import { epochMs } from './columns';

/** One row per server node: the last time it was alive (its heartbeat), to discount its downtime from deadlines. */
@Entity('nodes')
export class NodeEntity {
  @PrimaryColumn({ type: 'varchar', length: 128 })
  id: string;

  @Column({ type: 'bigint', transformer: epochMs })
  aliveAt: number;
}
