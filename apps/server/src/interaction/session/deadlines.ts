import { GroupState, SESSION_DEFAULTS } from '@ioa/protocol';
import type { GoalEntity } from '../../data/goals/goal.entity';
import type { GroupEntity } from '../../data/groups/group.entity';
import type { TaskEntity } from '../../data/tasks/task.entity';
import type { GroupRead } from './live-group';
import { isSettled } from './task-book';

/**
 * Every kind of deadline a group can wait on, as data: the one list of kinds, when each is due and (by its comment)
 * what its expiry does. A deadline kind that a later feature adds goes here, with a row in `deadlines.spec.ts`.
 */
export type Deadline =
  /** A member holds the turn in `discussion` and stays silent: the turn returns to the coordinator. */
  | { kind: 'turn'; at: number }
  /** The coordinator holds the turn in `discussion` and stays silent: the role passes to another member. */
  | { kind: 'coordinator'; at: number }
  /** A person (a human member) among the holders let `human_turn_timeout_s` pass: the turn returns to the coordinator. */
  | { kind: 'human_turn'; at: number }
  /** `max_turns` was reached and no summary came: the group closes (`max_turns`). */
  | { kind: 'conclusion'; at: number }
  /** A forming team is not complete in time: it opens with whoever accepted, or fails. */
  | { kind: 'forming'; at: number }
  /** An invitee does not answer: the invite expires; in a forming group the next candidate for the need is asked. */
  | { kind: 'invite'; at: number; inviteId: string }
  /** An open task passes its `deadline_s`: it fails. */
  | { kind: 'task'; at: number; taskId: string }
  /** A suspended task's assignee does not reconnect within the grace period: the task fails. */
  | { kind: 'task_grace'; at: number; taskId: string }
  /** A task graph's node that failed under `retry` waited its delay: it runs again. */
  | { kind: 'node_retry'; at: number; taskId: string }
  /** Members asked to acknowledge a rollback did not by `IOA_ROLLBACK_ACK_S`: they count as disconnected assignees. */
  | { kind: 'rollback_ack'; at: number }
  /** An approval node nobody decided by its `expires_in_s`: it counts as rejected. */
  | { kind: 'approval'; at: number; taskId: string };

export type DeadlineKind = Deadline['kind'];

/** What of a group the deadlines are read from: its row (deadline columns, invites) and its tasks. */
export interface DeadlineSubject {
  row: Pick<GroupEntity, 'state' | 'coordinator' | 'turnDeadline' | 'conclusionDeadline' | 'formingDeadline' | 'decision'>
    & { pause?: GroupEntity['pause']; humans?: GroupEntity['humans']; rollbackAcks?: GroupEntity['rollbackAcks'] };
  /** The machine's state (`row.state` is its mirror as of the last commit). */
  state: GroupState;
  holders: readonly string[];
  tasks: Iterable<TaskEntity>;
}

/**
 * The deadlines a group is waiting on now (a time that is not a finite number, from a damaged row, is none), in the order their expiries apply when several are due together: tasks
 * first (a settled sync task may end the assignment state), then invites and forming, then conclusion and turn.
 */
export function deadlinesOf(g: DeadlineSubject): Deadline[] {
  const { row, state } = g;
  // A paused group waits on nothing: its resume moves every deadline on by the time it was paused.
  if (state === 'closed' || row.pause) return [];
  const out: Deadline[] = [];
  const push = (d: Deadline) => Number.isFinite(d.at) && out.push(d);
  for (const t of g.tasks) {
    if (t.nodeState === 'ready' && t.retryAt !== null) push({ kind: 'node_retry', at: t.retryAt, taskId: t.id });
    if (isSettled(t)) continue;
    if (t.deadline !== null) push({ kind: t.kind === 'approval' ? 'approval' : 'task', at: t.deadline, taskId: t.id });
    if (t.state === 'suspended' && t.graceDeadline !== null) push({ kind: 'task_grace', at: t.graceDeadline, taskId: t.id });
  }
  if (row.rollbackAcks?.waiting.length) push({ kind: 'rollback_ack', at: row.rollbackAcks.deadline });
  // Invites wait in every open state: those of a forming team, and those the coordinator sends into an open group.
  for (const need of row.decision?.needs ?? []) {
    for (const i of need.invites) if (i.status === 'pending') push({ kind: 'invite', at: i.deadline, inviteId: i.invite_id });
  }
  if (state === 'forming' && row.formingDeadline !== null) push({ kind: 'forming', at: row.formingDeadline });
  if (state === 'conclusion' && row.conclusionDeadline !== null) push({ kind: 'conclusion', at: row.conclusionDeadline });
  if (state === 'discussion' && row.turnDeadline !== null) {
    const coordinatorHolds = g.holders.length === 1 && g.holders[0] === row.coordinator;
    push({ kind: coordinatorHolds ? 'coordinator' : humanTurn(row, g.holders) ? 'human_turn' : 'turn', at: row.turnDeadline });
  }
  return out;
}

/** Whether a person (a human member) holds the turn: it then has `human_turn_timeout_s`, not the agents' timeout. */
export const humanTurn = (row: { humans?: string[] | null }, holders: readonly string[]): boolean => holders.some((h) => row.humans?.includes(h));

/** A group's `human_turn_timeout_s` (groups from before it have the default). */
export const humanTurnTimeoutS = (row: { options: GroupEntity['options'] }): number => row.options.human_turn_timeout_s ?? SESSION_DEFAULTS.human_turn_timeout_s;

/**
 * The time a new deadline of the group runs from: now, or while an operator has it paused, the moment it was paused
 * (its resume moves every deadline on by the whole pause, so one set during it must not start later).
 */
export const deadlineBase = (row: { pause?: GroupEntity['pause'] }, now: number): number => row.pause?.at ?? now;

/** When the group's next deadline falls due, or null when it waits on none. */
export function nextDue(g: DeadlineSubject): number | null {
  let next: number | null = null;
  for (const d of deadlinesOf(g)) if (next === null || d.at < next) next = d.at;
  return next;
}

/** The deadlines that have passed at `now`, in the order their expiries apply. */
export function dueAt(g: DeadlineSubject, now: number): Deadline[] {
  return deadlinesOf(g).filter((d) => d.at <= now);
}

/**
 * Moves every deadline of an open group `ms` later, in memory (the caller stores the row and tasks): time the node
 * holding the group was down counts against nobody. Settled tasks and answered invites keep theirs, as history.
 */
export function shiftDeadlines(row: GroupEntity, tasks: Iterable<TaskEntity>, ms: number): void {
  if (ms <= 0 || row.state === 'closed') return;
  const later = (at: number | null) => (at === null ? null : at + ms);
  row.turnDeadline = later(row.turnDeadline);
  row.conclusionDeadline = later(row.conclusionDeadline);
  row.formingDeadline = later(row.formingDeadline);
  if (row.rollbackAcks) row.rollbackAcks = { ...row.rollbackAcks, deadline: row.rollbackAcks.deadline + ms };
  for (const need of row.decision?.needs ?? []) for (const i of need.invites) if (i.status === 'pending') i.deadline += ms;
  for (const t of tasks) {
    if (t.nodeState === 'ready') t.retryAt = later(t.retryAt);
    if (isSettled(t)) continue;
    t.deadline = later(t.deadline);
    t.graceDeadline = later(t.graceDeadline);
  }
}

/** An open group as the deadlines are read from it. */
export function subject(g: GroupRead): DeadlineSubject {
  return { row: g.row, state: g.state, holders: g.holders, tasks: g.tasks.values() };
}

/** How long before its token expires a socket is warned (`auth_expiring`). */
export const SOCKET_AUTH_WARNING_MS = 60_000;

/**
 * A socket's own deadlines, from its token: the warning, and the close once the grace after expiry has passed too
 * (unless an `auth` event renewed the token; the gateway re-arms them then). A token with less than twice the
 * warning left is warned at half its remaining life, so that short-lived tokens are not renewed in a tight loop.
 */
export function socketAuthDeadlines(expiresAt: number, graceMs: number, now: number): { warnAt: number; closeAt: number } {
  return { warnAt: Math.max(expiresAt - SOCKET_AUTH_WARNING_MS, now + (expiresAt - now) / 2), closeAt: expiresAt + graceMs };
}

/**
 * A goal's deadline (goals are not groups, but every deadline is listed in this module): while `pending` without a
 * root team, its coordinator forms the team before `acceptDeadline`, or the goal passes to the next coordinator
 * (`goal-handovers.ts`); null when it waits on nothing.
 */
export function goalAcceptDeadline(goal: Pick<GoalEntity, 'status' | 'rootGroupId' | 'acceptDeadline'>): number | null {
  return goal.status === 'pending' && goal.rootGroupId === null && Number.isFinite(goal.acceptDeadline) ? goal.acceptDeadline : null;
}

/**
 * A pending goal's deadline when a server starts: at least its full timeout from now, since every agent is offline
 * until it reconnects and its coordinator had no server to form the team on meanwhile; a later deadline stays.
 */
export function goalAcceptAfterStart(goal: Pick<GoalEntity, 'acceptDeadline' | 'acceptTimeoutS'>, now: number): number {
  return Math.max(goal.acceptDeadline ?? 0, now + goal.acceptTimeoutS * 1000);
}
