/** The states of a group's session machine; the five of the IoA protocol plus `forming` and `closed`. */
export const GROUP_STATES = [
  'forming',
  'discussion',
  'sync_task_assignment',
  'async_task_assignment',
  'pause_and_trigger',
  'conclusion',
  'closed',
] as const;
export type GroupState = (typeof GROUP_STATES)[number];

/** States a speaker may propose with `next_state` (the paper's Discussion `type`). */
export const PROPOSABLE_STATES = ['discussion', 'sync_task_assignment', 'async_task_assignment', 'pause_and_trigger', 'conclusion'] as const;
export type ProposableState = (typeof PROPOSABLE_STATES)[number];

export const CLOSE_REASONS = ['concluded', 'max_turns', 'failed', 'canceled', 'closed_by_admin'] as const;
export type CloseReason = (typeof CLOSE_REASONS)[number];

export const TASK_STATES = ['submitted', 'running', 'suspended', 'completed', 'canceled', 'rejected', 'failed'] as const;
export type TaskState = (typeof TASK_STATES)[number];
/** A task in one of these states is settled: it no longer holds a synchronous assignment or a trigger open. */
export const SETTLED_TASK_STATES: readonly TaskState[] = ['completed', 'canceled', 'rejected', 'failed'];

/** Message types of `ioa/1`; `system` is written only by the server. */
export const MESSAGE_TYPES = [
  'discussion',
  'task_assignment',
  'task_reply',
  'task_progress',
  'task_result',
  'task_cancel',
  'task_reassign',
  'pause_and_trigger',
  'conclusion',
  'checkpoint',
  'rollback',
  'team_formation',
  'system',
] as const;
export type MessageType = (typeof MESSAGE_TYPES)[number];
export const CLIENT_MESSAGE_TYPES = MESSAGE_TYPES.filter((t) => t !== 'system');
/** The `sender` of an admin's operator message (a `system` message): never an agent's id (protocol.md, "Operator control"). */
export const OPERATOR_SENDER = 'operator';
/** The `sender` of a goal's requester's message into its root team (event `requester_message`): never an agent's id. */
export const REQUESTER_SENDER = 'requester';

/** Session timing options of a group, with the protocol's defaults. */
export const SESSION_DEFAULTS = {
  turn_timeout_s: 120,
  coordinator_timeout_s: 300,
  conclusion_wait_s: 120,
  max_turns: 50,
  suspend_grace_s: 300,
  /** A person holding the turn (a human member) has this long to answer; agents have `turn_timeout_s`. */
  human_turn_timeout_s: 1800,
} as const;
