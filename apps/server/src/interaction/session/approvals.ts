import { ApprovalState, ApprovalView } from '@ioa/protocol';
import type { GroupEntity } from '../../data/groups/group.entity';
import type { TaskEntity, TaskHistoryEntry } from '../../data/tasks/task.entity';
import { iso } from '../../foundation/runtime/time';
import { DISPATCHED, EXPIRED, isSettled } from './task-book';

/** Approval nodes: graph nodes of kind `approval` that people decide (`POST /v1/approvals/:id`), read as approvals. */

export const isApproval = (t: Pick<TaskEntity, 'kind'>): boolean => t.kind === 'approval';

/** An approval dispatched by its graph and not decided yet. */
export const awaitsDecision = (t: Pick<TaskEntity, 'kind' | 'nodeState' | 'state'>): boolean => isApproval(t) && t.nodeState === 'dispatched' && !isSettled(t);

/**
 * The history entry that decided the approval's last run: a person's or an admin's approval or rejection, or its
 * expiry (by `system`); a rollback's own entries (by `system`) are not decisions. Null while undecided or canceled.
 */
function decisionOf(t: TaskEntity): TaskHistoryEntry | null {
  if (t.state !== 'completed' && t.state !== 'rejected') return null;
  return [...t.history].reverse().find((h) => h.state === t.state && (h.by !== 'system' || h.note === EXPIRED)) ?? null;
}

/** Where an approval stands: `waiting` until its graph asks for it, then `pending` until its last run is decided. */
export function approvalState(t: TaskEntity): ApprovalState {
  if (!isSettled(t)) return t.nodeState === 'dispatched' ? 'pending' : 'waiting';
  if (t.state === 'completed') return 'approved';
  if (t.state !== 'rejected') return 'canceled';
  const decision = decisionOf(t);
  return decision?.by === 'system' ? 'expired' : 'rejected';
}

/** An approval as those who may decide it see it (its text included: deciding needs it). */
export function approvalView(t: TaskEntity, group: Pick<GroupEntity, 'goalId'>): ApprovalView {
  const state = approvalState(t);
  const decided = decisionOf(t);
  const requested = [...t.history].reverse().find((h) => h.by === 'system' && h.note === DISPATCHED);
  return {
    id: t.id, group_id: t.groupId, goal_id: group.goalId, graph_id: t.graphId as string, key: t.nodeKey as string,
    what: t.abstract, detail: t.description, approvers: t.approvers, state, expires_at: state === 'pending' ? iso(t.deadline) : null,
    decided_by: decided?.by ?? null, comment: decided && state !== 'expired' ? decided.note ?? null : null, decided_at: iso(decided?.at ?? null),
    requested_at: iso(requested?.at ?? null),
  };
}
