import { Column, Entity, Index, PrimaryColumn } from 'typeorm';
import type { GoalStatus } from '@ioa/protocol';
import { epochMs } from '../../foundation/persistence/columns';

export interface GoalA2a {
  /** `Task.toJSON` of the A2A SDK (its history, the last status an update gave). */
  task: unknown;
}

/**
 * A goal submitted to the platform: its coordinator forms the root team; the root's conclusion is its result.
 * Indexed by coordinator: an agent's connection reads the goals still pending on it.
 */
@Entity('goals')
@Index(['coordinator', 'status'])
@Index(['createdBy', 'a2aContextId'])
export class GoalEntity {
  @PrimaryColumn({ type: 'varchar', length: 36 })
  id: string;

  @Column({ type: 'text' })
  goal: string;

  @Column({ type: 'varchar', length: 36 })
  createdBy: string;

  @Column({ type: 'varchar', length: 36 })
  coordinator: string;

  /** Why this coordinator: named by the submitter, or the best registry match with its score. */
  @Column({ type: 'simple-json' })
  coordinatorChoice: Record<string, unknown>;

  @Column({ type: 'integer' })
  maxTurns: number;

  @Column({ type: 'integer' })
  teamUpDepth: number;

  @Column({ type: 'varchar', length: 16 })
  status: GoalStatus;

  @Column({ type: 'varchar', length: 36, nullable: true })
  rootGroupId: string | null;

  @Column({ type: 'text', nullable: true })
  result: string | null;

  @Column({ type: 'text', nullable: true })
  reason: string | null;

  /** While `pending`: the coordinator forms the root team before this time, or the goal passes on. */
  @Column({ type: 'bigint', nullable: true, transformer: epochMs })
  acceptDeadline: number | null;

  @Column({ type: 'integer', default: 120 })
  acceptTimeoutS: number;

  /** Coordinators the goal passed from, in order (`at` in ms). */
  @Column({ type: 'simple-json', nullable: true })
  handovers: { from: string; to: string; at: number; reason: string }[] | null;

  /**
   * Of a goal submitted over A2A: the A2A context and what the A2A task keeps besides what the goal says (its history
   * and the last status an update gave), as the A2A SDK's JSON (`interop/a2a/goal-task.ts`).
   */
  @Column({ type: 'simple-json', nullable: true })
  a2a: GoalA2a | null;

  /** Of a goal submitted over A2A: its A2A context, by which `ListTasks` filters. */
  @Column({ type: 'varchar', length: 64, nullable: true })
  a2aContextId: string | null;

  /** When the requester last wrote to the root team (`requester_message`): a question asked before is answered. */
  @Column({ type: 'bigint', nullable: true, transformer: epochMs })
  requesterMessageAt: number | null;

  /** The root team's coordinator's last question to the requester (`ask_requester`), and when it asked. */
  @Column({ type: 'text', nullable: true })
  requesterQuestion: string | null;

  @Column({ type: 'bigint', nullable: true, transformer: epochMs })
  requesterAskedAt: number | null;

  @Column({ type: 'bigint', transformer: epochMs })
  createdAt: number;

  @Column({ type: 'bigint', transformer: epochMs })
  updatedAt: number;
}

/** A running goal whose coordinator asked its requester something the requester has not answered since. */
export const isAsked = (goal: GoalEntity): boolean =>
  goal.status === 'running' && goal.requesterAskedAt !== null && (goal.requesterMessageAt === null || goal.requesterMessageAt < goal.requesterAskedAt);
