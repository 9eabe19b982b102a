import type { GoalStatus } from '@ioa/protocol';
import type { GoalEntity } from './goal.entity';

/**
 * A goal row moved by a group step, written in that step's transaction, and only while the goal is still as `where`
 * says: a goal canceled meanwhile keeps its cancellation, and only the goal's own root team moves it.
 */
export interface GoalChange {
  id: string;
  /** `coordinator`: only while the goal is still this agent's (a hand-over may have passed it on meanwhile). */
  where: { status: GoalStatus; rootGroupId: string | null; coordinator?: string };
  set: Partial<Pick<GoalEntity, 'status' | 'rootGroupId' | 'result' | 'reason' | 'acceptDeadline' | 'updatedAt'>>;
}
