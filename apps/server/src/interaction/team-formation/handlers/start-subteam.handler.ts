import { Injectable } from '@nestjs/common';
import { ErrorCode } from '@ioa/protocol';
import { ApiError } from '../../../foundation/http/api-error';
import { CommandHandler, CommandOf } from '../../session/commands';
import { GroupHost } from '../../session/group-host';
import { Batch, LiveGroup } from '../../session/live-group';
import { SessionEngine } from '../../session/session-engine';
import { isPendingNode, isSettled } from '../../session/task-book';
import { assertNotPaused } from '../../session/group-errors';

/**
 * Creates a sub-team and announces it in its parent group (system `subteam_formed`), in one step on the parent: the
 * task cannot settle in between, and the announcement precedes anything the sub-team's closing reports there.
 */
@Injectable()
export class StartSubteamHandler implements CommandHandler<'start_subteam'> {
  readonly type = 'start_subteam';

  constructor(private readonly host: GroupHost, private readonly engine: SessionEngine) {}

  async handle(parent: LiveGroup, batch: Batch, { task_id: taskId, requester, subteam }: CommandOf<'start_subteam'>): Promise<{ seq: number }> {
    // A sub-team is formed by an agent: not for a group an operator paused.
    assertNotPaused(parent.row, { role: 'agent' });
    const task = parent.tasks.get(taskId);
    if (!task || isSettled(task) || isPendingNode(task)) throw new ApiError(ErrorCode.FORBIDDEN, 'a sub-team is formed for an open task you hold');
    const { group, first } = await this.host.create(subteam.spec, subteam.first);
    this.engine.system(parent, batch, 'subteam_formed', `sub-team ${group.row.id} formed for task ${taskId}`, {
      group_id: group.row.id, task_id: taskId, coordinator: requester, goal: subteam.spec.goal,
    });
    return first as { seq: number };
  }
}
