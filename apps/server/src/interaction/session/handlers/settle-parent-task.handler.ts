import { Injectable } from '@nestjs/common';
import { Clock } from '../../../foundation/runtime/runtime.module';
import { CommandHandler, CommandOf } from '../commands';
import { Batch, LiveGroup } from '../live-group';
import { SessionEngine } from '../session-engine';
import { ROLLED_BACK } from '../rollback';
import { completeTask, endTask, isSettled } from '../task-book';

/** A sub-team closed: the task it served completes with the sub-team's conclusion, or fails with its close reason. */
@Injectable()
export class SettleParentTaskHandler implements CommandHandler<'settle_parent_task'> {
  readonly type = 'settle_parent_task';

  constructor(private readonly engine: SessionEngine, private readonly clock: Clock) {}

  handle(parent: LiveGroup, batch: Batch, c: CommandOf<'settle_parent_task'>): void {
    const task = parent.tasks.get(c.task_id);
    if (!task || isSettled(task)) return;
    // Formed before a rollback that restarted the task: its result is for a run that no longer counts.
    if (c.subteam_since !== undefined && task.history.some((h) => h.at >= (c.subteam_since as number) && h.note?.startsWith(ROLLED_BACK))) return;
    const now = this.clock.now();
    if (c.concluded) completeTask(task, c.summary ?? '', `sub-team ${c.subteam} concluded`, now);
    else endTask(task, 'failed', `sub-team ${c.subteam} closed: ${c.close_reason}`, now);
    this.engine.writeTask(parent, batch, task);
    this.engine.system(parent, batch, 'subteam_closed', `sub-team ${c.subteam} ${c.concluded ? 'concluded' : `closed (${c.close_reason})`}`, {
      group_id: c.subteam, task_id: task.id, state: task.state,
    });
    this.engine.settleTask(parent, batch, task, 'system');
  }
}
