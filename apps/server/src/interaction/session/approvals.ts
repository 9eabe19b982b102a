import { ApprovalState, ApprovalView } from '@ioa/protocol';
import type { GroupEntity } from '../../data/groups/group.entity';
import type { TaskEntity } from '../../data/tasks/task.entity';
import { iso } from '../../foundation/runtime/time';
import { EXPIRED, isSettled, wasDispatched } from './task-book';

/** Approval nodes: graph nodes of kind `approval` that people decide (`POST /v1/approvals/:id`), read as approvals. */

export const isApproval = (t: Pick<TaskEntity, 'kind'>): boolean => t.kind === 'approval';

/** An approval dispatched by its graph and not decided yet. */
export const awaitsDecision = (t: Pick<TaskEntity, 'kind' | 'nodeState' | 'state'>): boolean => isApproval(t) && t.nodeState === 'dispatched' && !isSettled(t);

/** Where an approval stands, from its task: its last run's decision (a retry asks again). */
export function approvalState(t: TaskEntity): ApprovalState {
  if (!isSettled(t)) return 'pending';
  if (t.state === 'completed') return 'approved';
  if (t.state === 'canceled') return 'canceled';
  return t.history.at(-1)?.note === EXPIRED && t.history.at(-1)?.by === 'system' ? 'expired' : 'rejected';
}

/** An approval as those who may decide it see it (its text included: deciding needs it). */
export function approvalView(t: TaskEntity, group: Pick<GroupEntity, 'goalId'>): ApprovalView {
  const state = approvalState(t);
  const decided = state === 'pending' ? null : t.history.at(-1) ?? null;
  const requested = [...t.history].reverse().find((h) => h.by === 'system' && h.note === 'dispatched');
  return {
    id: t.id, group_id: t.groupId, goal_id: group.goalId, graph_id: t.graphId as string, key: t.nodeKey as string,
    what: t.abstract, detail: t.description, approvers: t.approvers, state, expires_at: state === 'pending' ? iso(t.deadline) : null,
    decided_by: decided?.by ?? null, comment: decided && state !== 'expired' ? decided.note ?? null : null, decided_at: iso(decided?.at ?? null),
    requested_at: iso(requested?.at ?? (wasDispatched(t) ? t.updatedAt : t.createdAt)) as string,
  };
}
