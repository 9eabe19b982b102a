import { Injectable } from '@nestjs/common';
import { ErrorCode, RollbackView } from '@ioa/protocol';
import { ApiError } from '../../../foundation/http/api-error';
import { CommandHandler, CommandOf } from '../commands';
import { Batch, LiveGroup } from '../live-group';
import { RollbackSteps } from '../rollback-steps';

/** States a rollback may start from: it may return the group to a sync assignment, never out of a pause or the conclusion. */
export const ROLLBACK_STATES = ['discussion', 'sync_task_assignment'];

/**
 * An admin returns a group's tasks to a checkpoint (`rollback-steps.ts`). The step is new (seq rises, turns are not
 * refunded); the system message `rollback` and the `rollback` event say what it did.
 */
@Injectable()
export class RollbackHandler implements CommandHandler<'rollback'> {
  readonly type = 'rollback';

  constructor(private readonly rollbacks: RollbackSteps) {}

  async handle(live: LiveGroup, batch: Batch, { by, checkpoint_id: id }: CommandOf<'rollback'>): Promise<RollbackView> {
    if (!ROLLBACK_STATES.includes(live.state)) throw new ApiError(ErrorCode.ILLEGAL_IN_STATE, `a rollback starts from discussion or a sync assignment, not ${live.state}`);
    return this.rollbacks.apply(live, batch, by.id, await this.rollbacks.load(live, id, by.id));
  }
}
