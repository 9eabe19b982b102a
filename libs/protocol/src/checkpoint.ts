/**
 * Checkpoints: signed records of a group's execution state (task and graph states, results, assignees, the session
 * machine's snapshot, `seq`) that a rollback can return to.
 */

/**
 * What took a checkpoint: a graph node settled (`node_settled`, unless `IOA_CHECKPOINTS=none`), an admin asked
 * (`admin`), or the coordinator did (`requested`).
 */
export const CHECKPOINT_REASONS = ['node_settled', 'admin', 'requested'] as const;
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
