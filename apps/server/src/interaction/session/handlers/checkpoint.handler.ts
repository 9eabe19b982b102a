import { Injectable } from '@nestjs/common';
import { CheckpointView, ErrorCode } from '@ioa/protocol';
import { ApiError } from '../../../foundation/http/api-error';
import { Checkpoints } from '../checkpoints';
import { CommandHandler, CommandOf } from '../commands';
import { Batch, LiveGroup } from '../live-group';
import { SessionEngine } from '../session-engine';

/** An admin takes a checkpoint of an open group (`POST /v1/groups/:id/checkpoints`). */
@Injectable()
export class CheckpointHandler implements CommandHandler<'checkpoint'> {
  readonly type = 'checkpoint';

  constructor(private readonly engine: SessionEngine, private readonly checkpoints: Checkpoints) {}

  handle(live: LiveGroup, batch: Batch, { by }: CommandOf<'checkpoint'>): CheckpointView {
    if (live.state === 'forming') throw new ApiError(ErrorCode.ILLEGAL_IN_STATE, 'a forming group has nothing to checkpoint yet');
    const checkpoint = this.checkpoints.take(live, batch, 'admin', by.id);
    this.engine.audit(batch, by.id, 'checkpoint', live.row.id, { checkpoint_id: checkpoint.id, seq: checkpoint.seq });
    return this.checkpoints.view(checkpoint);
  }
}
