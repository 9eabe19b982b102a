import type { GoalStatus } from '@ioa/protocol';
import type { GoalEntity } from './goal.entity';

/**
 * A goal row moved by a group step, written in that step's transaction: applied only while the goal is still in
 * `from` (a goal canceled meanwhile keeps its cancellation; a second root team never replaces the first).
 */
export interface GoalChange {
  id: string;
  from: GoalStatus;
  set: Partial<Pick<GoalEntity, 'status' | 'rootGroupId' | 'result' | 'reason' | 'updatedAt'>>;
}
