import type { Envelope } from './envelope.dto';
import type { ErrorBody } from './errors';
import type { RollbackAckDto, RollbackView } from './checkpoint';
import type { GroupPauseEvent } from './views';
import type { FailurePolicy, NodeKind, NodeState } from './graph';
import type { ApprovalDecideDto, ApprovalView } from './people';
import type { GroupState, TaskState } from './session';
import type { GoalEvent, InviteEvent } from './teams.dto';
import type { GoalHandover, GoalStatus, GoalView } from './views';

export type Ack<T extends object = object> = ({ ok: true } & T) | { ok: false; error: ErrorBody };

export interface MessageAck {
  seq: number;
  message_id: string;
  /** Server-made ids of the tasks a `task_assignment` created, in order. */
  task_ids?: string[];
}

export interface SubscribeRequest {
  group_id: string;
  /** Replay every message after this seq before live ones (0 or absent: the whole history). */
  after_seq?: number;
}

export interface SubscribeAck {
  group_id: string;
  state: GroupState;
  /** The last seq at the moment of subscribing; replayed messages run up to it, live ones follow. */
  seq: number;
}

/** A task's outcome: its `task_result` (or its sub-team's conclusion). */
export class TaskResultView {
  status: string;
  task_conclusion: string;
  task_abstract: string;
}

/** A task as its assignees, the coordinator and admins see it (event `task`, task lists). */
export class TaskView {
  id: string;
  group_id: string;
  state: TaskState;
  mode: 'sync' | 'async';
  task_abstract: string;
  /** Absent for members who are neither assignee nor coordinator (context minimisation). */
  task_desc?: string;
  assignee: string[];
  progress: number;
  deadline: string | null;
  result: TaskResultView | null;
  reason: string | null;
  history: { at: string; state: string; by: string; note?: string }[];
  created_at: string;
  updated_at: string;
  // A node of a task graph (added within `ioa/1`; absent on a plain task): its graph (the assignment's message_id),
  // key, edges, failure policy and place in the graph, beside `state`.
  graph_id?: string;
  key?: string;
  depends_on?: string[];
  when?: Record<string, string>;
  policy?: FailurePolicy;
  node_state?: NodeState;
  /** Under `policy: "retry"`: the runs left, and when a node waiting to run again (`ready`) runs; under `"reassign"`: the assignees left. */
  retries_left?: number;
  retry_at?: string | null;
  /** Once dispatched, to its assignees and the coordinator: the results of the nodes it depends on. */
  inputs?: NodeInput[];
  /** An approval node (`deadline` is when it expires); its approvers, null for every participant covering the group. */
  kind?: NodeKind;
  approvers?: string[] | null;
}

/** A predecessor's result, as the node that depends on it receives it. */
export class NodeInput {
  key: string;
  task_id: string;
  state: TaskState;
  task_abstract: string | null;
  task_conclusion: string | null;
}

/** Event `turn`: who may speak now in a group. */
export interface TurnEvent {
  group_id: string;
  holders: string[];
  /** When the turn times out; null outside `discussion`. */
  deadline: string | null;
  /**
   * The group's last seq after the step that gave the turn (as in `group_state`): the messages up to it came before
   * the turn, later ones after it, so a client can order the turn against the messages it has. Added within `ioa/1`.
   */
  seq: number;
}

/** Events the client emits; each takes an acknowledgement callback. */
export interface ClientEvents {
  message: (envelope: unknown, ack: (a: Ack<MessageAck>) => void) => void;
  subscribe: (req: SubscribeRequest, ack: (a: Ack<SubscribeAck>) => void) => void;
  unsubscribe: (req: { group_id: string }, ack: (a: Ack) => void) => void;
  invite_reply: (req: { invite_id: string; accept: boolean; reason?: string }, ack: (a: Ack<{ group_id: string }>) => void) => void;
  /** A fresh access token for the same principal; the socket keeps its subscriptions. Added within `ioa/1`. */
  auth: (req: { token: string }, ack: (a: Ack<{ expires_at: string | null }>) => void) => void;
  /** An admin or participant decides an approval, as `POST /v1/approvals/:id` does. Added within `ioa/1`. */
  approval_decide: (req: ApprovalDecideDto, ack: (a: Ack<ApprovalView>) => void) => void;
  /** A member whose card declares `rollback_ack` has the `rollback` event. Added within `ioa/1`. */
  rollback_ack: (req: RollbackAckDto, ack: (a: Ack<{ group_id: string; checkpoint_id: string }>) => void) => void;
}

/** Every event a client may emit, for code that must cover them all (tests, documentation). */
export const CLIENT_EVENT_NAMES = ['message', 'subscribe', 'unsubscribe', 'invite_reply', 'auth', 'approval_decide', 'rollback_ack'] as const satisfies ReadonlyArray<keyof ClientEvents>;

/** Event `replayed`: the end of a subscription's replay; messages after `up_to_seq` are live. */
export interface ReplayedEvent {
  group_id: string;
  up_to_seq: number;
  /** The group's state where live delivery begins (`closed`: nothing live follows). */
  state: GroupState;
}

/** Event `auth_expiring`: the socket's token expires soon; send `auth` with a new one before `expires_at` plus `grace_s`. */
export interface AuthExpiringEvent {
  expires_at: string;
  /** After `expires_at`, the socket stays open this long for an `auth`; then it is closed. */
  grace_s: number;
}

/**
 * Event `group_turn`: who holds a group's turn now, to everyone subscribed to the group (observers included), on every
 * change of holders or state; `holders` is empty while tasks are waited for. Added within `ioa/1`.
 */
export interface GroupTurnEvent extends TurnEvent {
  turns_used: number;
  max_turns: number;
}

export interface GoalUpdateEvent {
  goal_id: string;
  status: GoalStatus;
  coordinator: string;
  reason: string | null;
  handovers: GoalHandover[];
}

/** Events the server emits. */
export interface ServerEvents {
  message: (envelope: Envelope) => void;
  /** To the agents who may speak next. */
  turn: (e: TurnEvent) => void;
  /** A task's full text, to its assignees and the coordinator. */
  task: (task: TaskView) => void;
  group_state: (e: { group_id: string; state: GroupState; seq: number }) => void;
  /**
   * To admins and to observers whose scope is everything or names the goal: the goal (without its tree) whenever it is
   * submitted, passes to another coordinator, gets its team, or settles. Added within `ioa/1`.
   */
  goal_changed: (goal: GoalView) => void;
  /** To the subscribers of each open group the agent is a member of: it connected (first socket) or left (last). */
  member_presence: (e: { group_id: string; agent_id: string; online: boolean }) => void;
  /** To the group's subscribers: who holds the turn now, and how many turns are used. */
  group_turn: (e: GroupTurnEvent) => void;
  /** To a goal's coordinator. */
  goal: (e: GoalEvent) => void;
  /**
   * To the coordinator a goal passed from and to the goal's creator (an agent): the goal moved to another
   * coordinator, or failed because nobody formed its team in time. Added within `ioa/1`.
   */
  goal_update: (e: GoalUpdateEvent) => void;
  /** To an agent invited into a forming group. */
  invite: (e: InviteEvent) => void;
  /** To a socket whose token expires soon. Added within `ioa/1`. */
  auth_expiring: (e: AuthExpiringEvent) => void;
  /** To a subscriber, once its replay is over: messages after `up_to_seq` are live. Added within `ioa/1`. */
  replayed: (e: ReplayedEvent) => void;
  /**
   * To the group's members and subscribers: a rollback returned the group's tasks to a checkpoint; `invalidated` names
   * the results produced since (what an agent did outside ioa for them is its own to undo). Added within `ioa/1`.
   */
  rollback: (e: RollbackView) => void;
  /**
   * To the group's members and subscribers: an operator paused the group (members' messages are refused with
   * `GROUP_PAUSED` until it resumes) or resumed it. Added within `ioa/1`.
   */
  group_pause: (e: GroupPauseEvent) => void;
  /**
   * To admins and the people who may decide it (named approvers, or participants whose token covers the group): an
   * approval began to wait for a decision, or was decided, expired or canceled. Added within `ioa/1`.
   */
  approval: (e: ApprovalView) => void;
}
