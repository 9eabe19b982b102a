import { Column, Entity, Index, PrimaryColumn } from 'typeorm';
import type { ObserverScopeDto, Role, TokenKind } from '@ioa/protocol';
import { epochMs } from '../persistence/columns';

/** Every issued JWT has a row keyed by its `jti`, so that it can be listed, counted (enrollments) and revoked. */
@Entity('tokens')
export class TokenEntity {
  @PrimaryColumn({ type: 'varchar', length: 36 })
  jti: string;

  @Column({ type: 'varchar', length: 16 })
  kind: TokenKind;

  @Column({ type: 'varchar', length: 16 })
  role: Role | 'enrollment';

  /** The agent an access or refresh token is bound to. */
  @Index()
  @Column({ type: 'varchar', length: 36, nullable: true })
  subject: string | null;

  @Column({ type: 'varchar', length: 200, nullable: true })
  label: string | null;

  @Column({ type: 'simple-json', nullable: true })
  scope: ObserverScopeDto | null;

  @Column({ type: 'integer', nullable: true })
  maxUses: number | null;

  @Column({ type: 'integer' })
  uses: number;

  /** The refresh token that this access token was issued with, so a rotation revokes its pair. */
  @Column({ type: 'varchar', length: 36, nullable: true })
  pairJti: string | null;

  @Column({ type: 'bigint', transformer: epochMs })
  expiresAt: number;

  @Column({ type: 'bigint', nullable: true, transformer: epochMs })
  revokedAt: number | null;

  @Column({ type: 'bigint', transformer: epochMs })
  createdAt: number;
}
