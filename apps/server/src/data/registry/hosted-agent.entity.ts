import { Column, Entity, Index, PrimaryColumn } from 'typeorm';
import { epochMs } from '../../foundation/persistence/columns';

/** What a hosted agent does with an invite: the policy an admin set at import. */
export type InvitePolicy = 'accept' | 'decline';

/**
 * An A2A agent the server hosts (imported by URL): the server acts for it inside groups and sends its tasks to the
 * remote endpoint. Its registry record is an ordinary agent's; this is how to reach it.
 */
@Entity('hosted_agents')
@Index(['cardUrl'], { unique: true })
export class HostedAgentEntity {
  @PrimaryColumn({ type: 'varchar', length: 36 })
  agentId: string;

  @Column({ type: 'text' })
  cardUrl: string;

  /** The JSON-RPC endpoint the card names, and the A2A version it speaks there (`1.0` or `0.3`). */
  @Column({ type: 'text' })
  endpoint: string;

  @Column({ type: 'varchar', length: 8 })
  protocolVersion: string;

  /** The card as fetched (A2A JSON). */
  @Column({ type: 'simple-json' })
  card: Record<string, unknown>;

  /** The `Authorization` header value given at import, sealed with the data key (`DataKeys.seal`); never returned. */
  @Column({ type: 'text', nullable: true })
  secret: string | null;

  @Column({ type: 'varchar', length: 8 })
  invitePolicy: InvitePolicy;

  /** An admin allowed the endpoint to be on another origin than the card. */
  @Column({ type: 'boolean' })
  crossOrigin: boolean;

  @Column({ type: 'bigint', transformer: epochMs })
  createdAt: number;

  @Column({ type: 'bigint', transformer: epochMs })
  updatedAt: number;
}
