import { Column, Entity, Index, PrimaryColumn } from 'typeorm';
import type { AgentInterfaceDto, AgentStatus, CapabilityDto, ProtocolFeature } from '@ioa/protocol';
import { epochMs } from '../../foundation/persistence/columns';

@Entity('agents')
export class AgentEntity {
  @PrimaryColumn({ type: 'varchar', length: 36 })
  id: string;

  @Index({ unique: true })
  @Column({ type: 'varchar', length: 63 })
  name: string;

  @Column({ type: 'text' })
  description: string;

  @Column({ type: 'simple-json' })
  capabilities: CapabilityDto[];

  @Column({ type: 'simple-json' })
  skills: string[];

  @Column({ type: 'varchar', length: 64, nullable: true })
  version: string | null;

  @Index()
  @Column({ type: 'varchar', length: 200, nullable: true })
  owner: string | null;

  @Column({ type: 'simple-json', nullable: true })
  interface: AgentInterfaceDto | null;

  @Column({ type: 'simple-json' })
  metadata: Record<string, unknown>;

  @Column({ type: 'boolean' })
  acceptingInvites: boolean;

  @Column({ type: 'integer' })
  maxConcurrentGroups: number;

  /** Whether the agent coordinates goals (its card says so; agents from before the field coordinate). */
  @Column({ type: 'boolean', default: false })
  coordinates: boolean;

  /** Optional protocol features its client implements (`rollback_ack`); null on agents from before: none. */
  @Column({ type: 'simple-json', nullable: true })
  features: ProtocolFeature[] | null;

  /** `online`/`offline` follow the agent's socket; `disabled` is set by an admin and blocks its tokens. */
  @Index()
  @Column({ type: 'varchar', length: 16 })
  status: AgentStatus;

  @Column({ type: 'bigint', nullable: true, transformer: epochMs })
  lastSeen: number | null;

  @Column({ type: 'bigint', transformer: epochMs })
  createdAt: number;

  @Column({ type: 'bigint', transformer: epochMs })
  updatedAt: number;
}
