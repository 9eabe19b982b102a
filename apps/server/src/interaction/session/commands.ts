import type { ApprovalDecision, ApprovalView, CheckpointView, Envelope, RollbackView, GroupState, InviteView, MessageAck, SessionEnvelope, SubscribeAck, TeamFormationPayload } from '@ioa/protocol';
import type { Principal } from '../../foundation/security/principal';
import type { GroupSpec } from './group-spec';
import type { Batch, LiveGroup } from './live-group';
import type { GroupView } from './views';

/**
 * Everything that changes an open group, as plain data: what a node that does not own the group would forward to
 * its owner. Each command names its group and is handled by exactly one handler, under that group's lock, in one
 * batch (`GroupHost.execute`).
 */
export interface CommandMap {
  /** A protocol message from a member (the envelope parsed and its digest computed at the edge). */
  send_message: { command: { type: 'send_message'; group_id: string; by: Principal; envelope: SessionEnvelope; digest: string }; result: MessageAck };
  /** REST: the coordinator adds or removes a member; a member leaves. */
  /** `human`: the one added is a person (an admin adds people; the coordinator invites them). */
  change_members: { command: { type: 'change_members'; group_id: string; by: Principal; add?: string; remove?: string; human?: boolean }; result: GroupView };
  /** Closed from outside the protocol: an admin, a canceled goal. */
  close: { command: { type: 'close'; group_id: string; reason: 'closed_by_admin' | 'canceled'; actor: string; note?: string }; result: GroupView };
  /** An admin takes a checkpoint of the group. */
  checkpoint: { command: { type: 'checkpoint'; group_id: string; by: Principal }; result: CheckpointView };
  /** An admin returns the group's tasks to a checkpoint. */
  rollback: { command: { type: 'rollback'; group_id: string; by: Principal; checkpoint_id: string }; result: RollbackView };
  /** An operator (admin) pauses the group (`paused: true`) or resumes it. */
  pause: { command: { type: 'pause'; group_id: string; by: Principal; paused: boolean; note?: string }; result: GroupView };
  /** An operator (admin) writes into the group: every member sees it as the operator's. */
  operator_message: { command: { type: 'operator_message'; group_id: string; by: Principal; text: string }; result: MessageAck };
  /** A goal's requester writes to its root team's coordinator (`to`): an answer to `ask_requester`, say. */
  requester_message: { command: { type: 'requester_message'; group_id: string; by: Principal; text: string }; result: MessageAck };
  /** An admin or a participant decides an approval node of the group (its id is its task's). */
  decide_approval: { command: { type: 'decide_approval'; group_id: string; by: Principal; task_id: string; decision: ApprovalDecision; comment?: string }; result: ApprovalView };
  /** A member acknowledges the rollback to `checkpoint_id` (its card declares `rollback_ack`). */
  rollback_ack: { command: { type: 'rollback_ack'; group_id: string; by: Principal; checkpoint_id: string }; result: { group_id: string; checkpoint_id: string } };
  /** Whatever deadlines of the group have passed. */
  expire_deadlines: { command: { type: 'expire_deadlines'; group_id: string }; result: void };
  /** An assignee came or went: its open tasks in the group are suspended, or its suspended ones resume. */
  assignee_presence: { command: { type: 'assignee_presence'; group_id: string; agent_id: string; online: boolean; why: string }; result: void };
  /** A sub-team closed: the task it served in this (parent) group completes with its conclusion, or fails. */
  settle_parent_task: {
    /** `subteam_since`: when the sub-team was formed (a rollback of its task since makes its result stale). */
    command: { type: 'settle_parent_task'; group_id: string; task_id: string; subteam: string; subteam_since?: number; concluded: boolean; summary: string | null; close_reason: string | null };
    result: void;
  };
  /**
   * The end of a subscription's replay, under the lock: the messages after `after_seq` (what arrived since the replay
   * outside the lock caught up), the rooms joined, `replayed` sent, so that the replay ends where live delivery
   * begins. `sink` is the one part that is not data: the socket the replay is written to.
   */
  subscribe: { command: { type: 'subscribe'; group_id: string; by: Principal; after_seq: number; sink: SubscriptionSink }; result: void };
  /** The first step of a group created by team formation: the request is its first message; invites go out. */
  start_forming: {
    command: { type: 'start_forming'; group_id: string; by: string; payload: TeamFormationPayload; message_id: string; digest: string };
    result: { seq: number };
  };
  /** The coordinator invites an agent into the open group: it joins once it accepts. */
  /** `human`: the invitee is a person (her invite waits `human_turn_timeout_s`, not the agents' invite timeout). */
  invite_member: { command: { type: 'invite_member'; group_id: string; by: Principal; agent_id: string; human?: boolean }; result: InviteView };
  /** An invitee answers. */
  reply_invite: {
    /** `max_groups`: the invitee's `max_concurrent_groups`, read before the step (an accept beyond it is refused in it). */
    command: { type: 'reply_invite'; group_id: string; by: Principal; invite_id: string; accept: boolean; reason?: string; max_groups: number };
    result: { group_id: string };
  };
  /** Creates a sub-team for an open task of this (parent) group and announces it there, in one step on the parent. */
  start_subteam: { command: { type: 'start_subteam'; group_id: string; task_id: string; requester: string; subteam: SubteamStart }; result: { seq: number } };
}

export type CommandType = keyof CommandMap;
export type Command = { [K in CommandType]: CommandMap[K]['command'] }[CommandType];
export type CommandOf<K extends CommandType> = CommandMap[K]['command'];
export type ResultOf<K extends CommandType> = CommandMap[K]['result'];

/** One command's logic: runs on the live group under its lock; what it writes into the batch is committed after it. */
export interface CommandHandler<K extends CommandType> {
  readonly type: K;
  /** A handler that changes nothing (a subscription) skips the commit. */
  readonly readOnly?: boolean;
  handle(group: LiveGroup, batch: Batch, command: CommandOf<K>): ResultOf<K> | Promise<ResultOf<K>>;
}

/** Where a subscription's rooms are joined and its replay is written (a socket, in practice). */
export interface SubscriptionSink {
  /** The socket's id, so that a node running the group elsewhere can write to it (`forwarding.ts`). */
  socketId?: string;
  join(rooms: string[]): void;
  ack(result: SubscribeAck): void;
  send(envelope: Envelope): void;
  /** Resolves when what was sent so far has left for the network: the replay reads its next page only then. */
  drained(): Promise<void>;
  replayed(upToSeq: number, state: GroupState): void;
}

/** A new group and the command that is its first step (both plain data). */
export interface SubteamStart {
  spec: GroupSpec;
  first: CommandOf<'start_forming'>;
}
