import { Injectable, Logger } from '@nestjs/common';
import { GoalEntity } from '../../data/goals/goal.entity';
import { GoalRepository } from '../../data/goals/goal-repository';
import { Emitter, ROOM } from '../../foundation/network/emitter.port';
import { goalView } from './goal-view';

/**
 * `goal_changed` to the people watching goals: admins and observers whose scope is everything or names the goal.
 * Sent when a goal is submitted, passes to another coordinator, gets its team, and settles, when a sub-team forms
 * or closes in its tree, and when its coordinator asks its requester or the requester writes; never the tree itself
 * (a goal's groups have their own events).
 */
@Injectable()
export class GoalWatchers {
  private readonly logger = new Logger('goals');

  private readonly listeners: Array<(goal: GoalEntity) => void> = [];

  constructor(private readonly goals: GoalRepository, private readonly emitter: Emitter) {}

  /** Also tells `listener` of each change announced on this node (the node that made it): A2A push notifications. */
  listen(listener: (goal: GoalEntity) => void): void {
    this.listeners.push(listener);
  }

  /** The goal as it is in `goal` (just written by the caller). */
  announce(goal: GoalEntity): void {
    this.emitter.emit({ rooms: [ROOM.allGoals(), ROOM.goal(goal.id)] }, 'goal_changed', goalView(goal));
    for (const listener of this.listeners) listener(goal);
  }

  /** The goal as stored now, after a change someone else wrote (a group step's commit). */
  changed(goalId: string): void {
    this.goals.get(goalId).then((goal) => goal && this.announce(goal), (e: Error) => this.logger.error(`goal ${goalId}: ${e.message}`));
  }
}
