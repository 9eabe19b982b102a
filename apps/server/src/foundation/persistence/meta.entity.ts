import { Column, Entity, PrimaryColumn } from 'typeorm';

/** Small server-wide facts, such as the last time this server was alive (to discount downtime from deadlines). */
@Entity('meta')
export class MetaEntity {
  @PrimaryColumn({ type: 'varchar', length: 64 })
  key: string;

  @Column({ type: 'text' })
  value: string;
}
