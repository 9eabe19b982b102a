import type { GroupEntity } from '../../data/groups/group.entity';

/**
 * Ends the pending invites of a group as `withdrawn` (only `agentId`'s when given): an invite must not outlive the
 * situation it was sent in — the group closed, or the agent was added or removed by someone else meanwhile — or an
 * old invite would let an agent (back) in that the group no longer asks for. Returns whether any invite changed.
 */
export function withdrawInvites(row: GroupEntity, reason: string, now: number, agentId?: string): boolean {
  let changed = false;
  for (const slot of row.decision?.needs ?? []) {
    for (const i of slot.invites) {
      if (i.status !== 'pending' || (agentId !== undefined && i.agent_id !== agentId)) continue;
      Object.assign(i, { status: 'withdrawn', reason, answered_at: now });
      changed = true;
    }
  }
  return changed;
}
