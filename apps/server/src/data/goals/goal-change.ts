import type { GoalStatus } from '@ioa/protocol';
import type { GoalEntity } from './goal.entity';

/**
 * A goal row moved by a group step, written in that step's transaction, and only while the goal is still as `where`
 * says: a goal canceled meanwhile keeps its cancellation, and only the goal's own root team moves it.
 */
export interface GoalChange {
  id: string;
  where: { status: GoalStatus; rootGroupId: string | null };
  set: Partial<Pick<GoalEntity, 'status' | 'rootGroupId' | 'result' | 'reason' | 'updatedAt'>>;
}
