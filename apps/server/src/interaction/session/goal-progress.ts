import type { GoalChange } from '../../data/goals/goal-change';
import type { GroupEntity } from '../../data/groups/group.entity';

/**
 * The one place that decides how a goal's row follows its root team. Each change is written in the transaction of
 * the group step that causes it, so a goal never shows a team that was not stored, nor misses one that was.
 */
export const goalProgress = {
  /**
   * A goal's root team was created by team formation (by the goal's coordinator: a hand-over may have passed the goal
   * on meanwhile, and then this team moves nothing); it fails at once when no invite could go out.
   */
  formed(row: Readonly<GroupEntity>, now: number): GoalChange | null {
    if (!row.goalId || row.parentGroupId) return null;
    const failed = row.state === 'closed';
    return {
      id: row.goalId, where: { status: 'pending', rootGroupId: null, coordinator: row.coordinator },
      set: {
        rootGroupId: row.id, status: failed ? 'failed' : 'running', reason: failed ? `root team failed to form: ${row.decision?.reason}` : null,
        acceptDeadline: null, updatedAt: now,
      },
    };
  },

  /** A goal's root team closed: its conclusion is the goal's result, any other close fails the goal. */
  closed(row: Readonly<GroupEntity>, summary: string | null, now: number): GoalChange | null {
    if (!row.goalId || row.parentGroupId) return null;
    const concluded = row.closeReason === 'concluded';
    return {
      id: row.goalId, where: { status: 'running', rootGroupId: row.id },
      set: { status: concluded ? 'completed' : 'failed', result: concluded ? summary : null, reason: concluded ? null : `root team closed: ${row.closeReason}`, updatedAt: now },
    };
  },
};
