import { Injectable } from '@nestjs/common';
import { ErrorCode } from '@ioa/protocol';
import { ApiError } from '../../../foundation/http/api-error';
import { Clock } from '../../../foundation/runtime/runtime.module';
import { CommandHandler, CommandOf } from '../commands';
import { Batch, LiveGroup } from '../live-group';
import { acknowledge } from '../rollback-acks';
import { SessionEngine } from '../session-engine';

/** A member acknowledges a rollback (`rollback-acks.ts`); sending it again, or unasked, changes nothing. */
@Injectable()
export class RollbackAckHandler implements CommandHandler<'rollback_ack'> {
  readonly type = 'rollback_ack';

  constructor(private readonly engine: SessionEngine, private readonly clock: Clock) {}

  handle(live: LiveGroup, batch: Batch, { by, checkpoint_id: checkpointId }: CommandOf<'rollback_ack'>): { group_id: string; checkpoint_id: string } {
    if (!live.members.includes(by.id)) throw new ApiError(ErrorCode.NOT_MEMBER, 'you are not a member of this group');
    acknowledge(this.engine, live, batch, by.id, checkpointId, this.clock.now());
    return { group_id: live.row.id, checkpoint_id: checkpointId };
  }
}
