import { Injectable } from '@nestjs/common';
import { CommandHandler, CommandOf } from '../commands';
import { Batch, LiveGroup } from '../live-group';
import { SessionEngine } from '../session-engine';
import { groupView, GroupView } from '../views';

/** Closes a group from outside the protocol (admin, goal cancellation); its open tasks are canceled with it. */
@Injectable()
export class CloseHandler implements CommandHandler<'close'> {
  readonly type = 'close';

  constructor(private readonly engine: SessionEngine) {}

  handle(live: LiveGroup, batch: Batch, { reason, actor, note }: CommandOf<'close'>): GroupView {
    this.engine.audit(batch, actor, 'group_close', live.row.id, { reason, note: note ?? null });
    this.engine.send(live, batch, { type: 'CLOSE', reason, note }, actor);
    return groupView(live.row, []);
  }
}
