import { IsNotEmpty, IsString, MaxLength } from 'class-validator';

/**
 * Checkpoints: signed records of a group's execution state (task and graph states, results, assignees, the session
 * machine's snapshot, `seq`) that a rollback can return to.
 */

/**
 * What took a checkpoint: a graph node settled (`node_settled`, unless `IOA_CHECKPOINTS=none`), an admin asked
 * (`admin`), the coordinator did (`requested`), or an approval node began to wait for a person (`approval`: always,
 * whatever `IOA_CHECKPOINTS` says, so a rollback can return to the moment before the decision).
 */
export const CHECKPOINT_REASONS = ['node_settled', 'admin', 'requested', 'approval'] as const;
export type CheckpointReason = (typeof CHECKPOINT_REASONS)[number];

/** The shape of a checkpoint's state document; a checkpoint of another format is never restored. */
export const CHECKPOINT_FORMAT = 1;

/** A checkpoint as `GET /v1/groups/:id/checkpoints` lists it (its state document is not part of the view). */
export class CheckpointView {
  id: string;
  group_id: string;
  /** The graph whose node settled, for `node_settled`; null otherwise. */
  graph_id: string | null;
  /** The group's last `seq` when it was taken; its system message `checkpoint` follows at `seq + 1`. */
  seq: number;
  reason: CheckpointReason;
  /** An agent id, `admin` or `system`. */
  created_by: string;
  created_at: string;
  /** The state document's format and the session machine's version (together, the checkpoint's version). */
  format: number;
  machine_version: number;
  /** SHA-256 (hex) of the state document. */
  hash: string;
  /** The data key that signed it. */
  kid: string;
  /** Whether the stored state still matches its hash and the hash its signature by a key this server knows. */
  verified: boolean;
}

/** `POST /v1/groups/:id/rollback`: the checkpoint to return to. */
export class RollbackDto {
  @IsString() @IsNotEmpty() @MaxLength(36)
  checkpoint_id: string;
}

/** A result produced after the checkpoint, which the rollback invalidated (kept in the task's history and the group's). */
export class InvalidatedResult {
  task_id: string;
  /** The graph node's key, for a node. */
  key?: string;
  /** Who produced it: what they did outside ioa is theirs to undo. */
  assignee: string[];
  task_abstract: string | null;
}

/** What a rollback did; also the payload of the `rollback` event and of the system message `rollback`. */
export class RollbackView {
  group_id: string;
  checkpoint_id: string;
  /** The checkpoint's seq: what the group's tasks are back to. */
  at_seq: number;
  invalidated: InvalidatedResult[];
  /** Tasks back to their state at the checkpoint (a node there dispatched is dispatched again, to be accepted anew). */
  restored: string[];
  /** Tasks assigned after the checkpoint: canceled (a graph node among them is `invalidated`). */
  canceled: string[];
  /**
   * The members asked to acknowledge it (those whose card declares `rollback_ack`, but who sent it), and by when;
   * null when nobody is asked. Added within `ioa/1`.
   */
  acks: { from: string[]; deadline: string } | null;
}

/** The client event `rollback_ack`: a member has the rollback to `checkpoint_id`. */
export class RollbackAckDto {
  @IsString() @IsNotEmpty() @MaxLength(64)
  group_id: string;

  @IsString() @IsNotEmpty() @MaxLength(64)
  checkpoint_id: string;
}
