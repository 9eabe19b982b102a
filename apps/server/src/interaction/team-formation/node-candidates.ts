import type { NeedRecord, TeamDecision } from '../../data/groups/group.entity';
import type { TaskEntity } from '../../data/tasks/task.entity';

/**
 * The need a graph node's assignees were found for, under `policy: "reassign"`: the latest slot of the decision that
 * was opened for this node, or one whose invite an agent the node had (`tried`) accepted. Null when they were named
 * (an admin's group, or members named by id): a named agent has no ranked candidates to follow it.
 */
export function needOf(decision: TeamDecision | null, task: Pick<TaskEntity, 'id' | 'tried'>): NeedRecord | null {
  const had = new Set(task.tried ?? []);
  const slots = (decision?.needs ?? []).filter((s) => s.need !== null && (s.task_id === task.id || s.invites.some((i) => i.status === 'accepted' && had.has(i.agent_id))));
  return slots.at(-1) ?? null;
}

/**
 * The next candidate for the node, in the need's ranked order, as team formation asks the next: never an agent the
 * node had or was offered to, never the coordinator (who assigns it), never one with an invite to the group pending,
 * and never one the need already asked that did not stay (declined, let its invite expire, was withdrawn, or joined
 * and has left or was removed since).
 */
export function nextCandidate(slot: NeedRecord, task: Pick<TaskEntity, 'tried'>, decision: TeamDecision, group: { coordinator: string; members: readonly string[] }): string | null {
  const members = new Set(group.members);
  const askedForNeed = decision.needs.filter((s) => s === slot || (s.need !== null && s.need === slot.need)).flatMap((s) => s.invites);
  const skip = new Set([
    ...(task.tried ?? []), group.coordinator,
    ...decision.needs.flatMap((s) => s.invites.filter((i) => i.status === 'pending').map((i) => i.agent_id)),
    ...askedForNeed.filter((i) => i.status !== 'accepted' || !members.has(i.agent_id)).map((i) => i.agent_id),
  ]);
  return slot.candidates.find((c) => !skip.has(c.agent_id))?.agent_id ?? null;
}
