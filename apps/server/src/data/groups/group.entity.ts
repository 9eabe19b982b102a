import { Column, Entity, Index, PrimaryColumn } from 'typeorm';
import type { CloseReason, GroupState, RollbackView, TeamDecision } from '@ioa/protocol';
import { epochMs } from '../../foundation/persistence/columns';

// The team-up decision is part of the REST API (`GET /v1/teams/:id/decision`): its shape is the protocol's.
export type { InviteRecord, NeedRecord, TeamDecision } from '@ioa/protocol';

export interface RollbackAcks {
  checkpoint_id: string;
  deadline: number;
  waiting: string[];
  late: string[];
  /** Tasks suspended because an assignee was late: resumed once no assignee of theirs is late any more. */
  suspended: string[];
  /** The rollback as members were told (sent again to those who still owe an acknowledgement when they connect). */
  view: Omit<RollbackView, 'acks'>;
}

export interface GroupOptions {
  turn_timeout_s: number;
  coordinator_timeout_s: number;
  conclusion_wait_s: number;
  /** Absent on groups created before people could be members: the default applies. */
  human_turn_timeout_s?: number;
}

/**
 * A group chat and its session. The machine's persisted snapshot is the source of truth for state, turn and
 * coordinator; `state`, `coordinator`, `members` and the counters are mirrored into columns for queries.
 * Deadlines are data (not machine delays) so that a scheduler re-arms them after a restart.
 */
@Entity('groups')
export class GroupEntity {
  @PrimaryColumn({ type: 'varchar', length: 36 })
  id: string;

  @Column({ type: 'text' })
  goal: string;

  /** Agent id of the creator, or `admin`. */
  @Column({ type: 'varchar', length: 36 })
  createdBy: string;

  @Column({ type: 'varchar', length: 36 })
  coordinator: string;

  @Column({ type: 'simple-json' })
  members: string[];

  @Column({ type: 'varchar', length: 32 })
  state: GroupState;

  @Column({ type: 'integer' })
  machineVersion: number;

  @Column({ type: 'simple-json' })
  snapshot: unknown;

  @Column({ type: 'integer' })
  lastSeq: number;

  @Column({ type: 'integer' })
  turnsUsed: number;

  @Column({ type: 'integer' })
  maxTurns: number;

  @Column({ type: 'simple-json' })
  options: GroupOptions;

  /** When the current turn holders lose the turn (or the coordinator its role). */
  @Column({ type: 'bigint', nullable: true, transformer: epochMs })
  turnDeadline: number | null;

  /** When a group waiting in `conclusion` closes without a summary. */
  @Column({ type: 'bigint', nullable: true, transformer: epochMs })
  conclusionDeadline: number | null;

  @Column({ type: 'varchar', length: 32, nullable: true })
  closeReason: CloseReason | null;

  /** The goal this group works on (every group of a team tree carries its root's goal). */
  @Index()
  @Column({ type: 'varchar', length: 36, nullable: true })
  goalId: string | null;

  @Index()
  @Column({ type: 'varchar', length: 36, nullable: true })
  parentGroupId: string | null;

  /** The task in the parent group whose assignee formed this sub-team; this group's conclusion is its result. */
  @Column({ type: 'varchar', length: 36, nullable: true })
  parentTaskId: string | null;

  /** Depth in the team tree: 0 for a root team. */
  @Column({ type: 'integer', default: 0 })
  level: number;

  /** Levels still allowed below this group: 0 means its members may not team up again. */
  @Column({ type: 'integer', default: 0 })
  teamUpDepth: number;

  /** While `forming`: when the group opens with whoever accepted, or fails. */
  @Column({ type: 'bigint', nullable: true, transformer: epochMs })
  formingDeadline: number | null;

  /**
   * The node that runs the group's session; its heartbeat tells how long the group was unattended after a restart
   * (null: written before nodes were recorded, the server-wide heartbeat in `meta` stands for it).
   */
  @Column({ type: 'varchar', length: 128, nullable: true })
  heldBy: string | null;

  /**
   * Grows by one each time a node takes the group; a step's commit is refused unless the group still has the token
   * its writer took it with (`GroupCommitter`), so a node that lost the group writes nothing more to it.
   */
  @Column({ type: 'bigint', default: 0, transformer: epochMs })
  fence: number;

  /** While an operator has the group paused: since when, by whom, why (deadlines frozen, members' messages refused). */
  @Column({ type: 'simple-json', nullable: true })
  pause: { at: number; by: string; note: string | null } | null;

  /** The members who are people rather than agents (null on groups from before people could be members: none). */
  @Column({ type: 'simple-json', nullable: true })
  humans: string[] | null;

  /**
   * The last rollback's acknowledgements: the members asked who have not acknowledged yet (`waiting`, until
   * `deadline`), and those whose deadline passed (`late`: their open tasks were suspended until they acknowledge).
   */
  @Column({ type: 'simple-json', nullable: true })
  rollbackAcks: RollbackAcks | null;

  /** The team-up decision: needs, candidates with scores, invites and answers. */
  @Column({ type: 'simple-json', nullable: true })
  decision: TeamDecision | null;

  @Column({ type: 'bigint', transformer: epochMs })
  createdAt: number;

  @Column({ type: 'bigint', transformer: epochMs })
  updatedAt: number;
}
