import type { GroupEntity, NeedRecord } from '../../data/groups/group.entity';

/**
 * Ends the pending invites of a group as `withdrawn` (only `agentId`'s when given, only those for graph node `taskId`
 * when given): an invite must not outlive the situation it was sent in — the group closed, the agent was added or
 * removed by someone else meanwhile, or the node it was sent for no longer waits — or an old invite would let an
 * agent (back) in that the group no longer asks for. Returns the slots whose invites it withdrew.
 */
export function withdrawInvites(row: GroupEntity, reason: string, now: number, only: { agentId?: string; taskId?: string } = {}): NeedRecord[] {
  const slots: NeedRecord[] = [];
  for (const slot of row.decision?.needs ?? []) {
    if (only.taskId !== undefined && slot.task_id !== only.taskId) continue;
    for (const i of slot.invites) {
      if (i.status !== 'pending' || (only.agentId !== undefined && i.agent_id !== only.agentId)) continue;
      Object.assign(i, { status: 'withdrawn', reason, answered_at: now });
      if (!slots.includes(slot)) slots.push(slot);
    }
  }
  return slots;
}
