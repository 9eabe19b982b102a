import { Injectable } from '@nestjs/common';
import { ErrorCode } from '@ioa/protocol';
import { ApiError } from '../../../foundation/http/api-error';
import { Clock } from '../../../foundation/runtime/runtime.module';
import { CommandHandler, CommandOf } from '../../session/commands';
import { goalProgress } from '../../session/goal-progress';
import { GoalWatchers } from '../goal-watchers';
import { Batch, LiveGroup } from '../../session/live-group';
import { SessionEngine } from '../../session/session-engine';
import { FormingSteps } from '../forming-steps';

/**
 * The first step of a group team formation creates: the request is its first message and the first invites go out.
 * A formation whose invites cannot go out fails in this same step, and a goal's row follows its root team in it.
 */
@Injectable()
export class StartFormingHandler implements CommandHandler<'start_forming'> {
  readonly type = 'start_forming';

  constructor(
    private readonly engine: SessionEngine,
    private readonly forming: FormingSteps,
    private readonly clock: Clock,
    private readonly watchers: GoalWatchers,
  ) {}

  handle(live: LiveGroup, batch: Batch, c: CommandOf<'start_forming'>): { seq: number } {
    if (live.row.lastSeq !== 0 || live.state !== 'forming') throw new ApiError(ErrorCode.CONFLICT, 'start_forming is the first step of a forming group only');
    const { seq } = this.engine.append(live, batch, { type: 'team_formation', sender: c.by, payload: { ...c.payload }, messageId: c.message_id, digest: c.digest });
    for (const slot of live.row.decision?.needs ?? []) this.forming.inviteNext(live, batch, slot);
    this.forming.openOrFail(live, batch);
    const change = goalProgress.formed(live.row, this.clock.now());
    if (change) {
      batch.goals.push(change);
      // A team that failed in this very step closed too: its close announces the goal (goals.service onClosed).
      if (change.set.status !== 'failed') batch.deliveries.push(() => this.watchers.changed(change.id));
    } else if (live.row.goalId && live.row.parentGroupId) {
      // A sub-team appeared in the goal's tree: pages showing the tree read it again.
      const goalId = live.row.goalId;
      batch.deliveries.push(() => this.watchers.changed(goalId));
    }
    return { seq };
  }
}
