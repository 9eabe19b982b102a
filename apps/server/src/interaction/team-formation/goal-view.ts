import type { GoalHandover, GoalView } from '@ioa/protocol';
import { GoalEntity } from '../../data/goals/goal.entity';
import { iso } from '../../foundation/runtime/time';
import { goalAcceptDeadline } from '../session/deadlines';

/** A goal's hand-overs as the API shows them (in REST views and `goal_update` events). */
export function handoverViews(goal: Pick<GoalEntity, 'handovers'>): GoalHandover[] {
  return (goal.handovers ?? []).map((h) => ({ ...h, at: iso(h.at) as string }));
}

/** A goal as REST and the `goal_changed` event show it (without its tree). */
export function goalView(g: GoalEntity): GoalView {
  return {
    id: g.id, goal: g.goal, status: g.status, coordinator: g.coordinator, coordinator_choice: g.coordinatorChoice, max_turns: g.maxTurns,
    team_up_depth: g.teamUpDepth, root_group_id: g.rootGroupId, result: g.result, reason: g.reason, accept_deadline: iso(goalAcceptDeadline(g)),
    accept_timeout_s: g.acceptTimeoutS, handovers: handoverViews(g), created_by: g.createdBy,
    created_at: iso(g.createdAt) as string, updated_at: iso(g.updatedAt) as string,
  };
}
