import { Injectable } from '@nestjs/common';
import { ApprovalView, ErrorCode } from '@ioa/protocol';
import { ApiError } from '../../../foundation/http/api-error';
import { Clock } from '../../../foundation/runtime/runtime.module';
import { iso } from '../../../foundation/runtime/time';
import { assertAllowed } from '../../access/access';
import { ApprovalSteps } from '../approval-steps';
import { approvalState, approvalView, awaitsDecision, isApproval } from '../approvals';
import { CommandHandler, CommandOf } from '../commands';
import { Batch, LiveGroup } from '../live-group';

/** An admin or a participant approves or rejects an approval node that waits for a decision. */
@Injectable()
export class DecideApprovalHandler implements CommandHandler<'decide_approval'> {
  readonly type = 'decide_approval';

  constructor(private readonly approvals: ApprovalSteps, private readonly clock: Clock) {}

  handle(live: LiveGroup, batch: Batch, { by, task_id, decision, comment }: CommandOf<'decide_approval'>): ApprovalView {
    const task = live.tasks.get(task_id);
    if (!task || !isApproval(task)) throw ApiError.notFound('approval', task_id);
    assertAllowed(by, { action: 'approval.decide', approvers: task.approvers, group: { id: live.row.id, goalId: live.row.goalId } });
    if (!awaitsDecision(task)) {
      throw new ApiError(ErrorCode.CONFLICT, `approval ${task_id} is ${approvalState(task)}: it waits for no decision now`);
    }
    // A paused group moves on nothing until its operator resumes it.
    if (live.row.pause) throw new ApiError(ErrorCode.GROUP_PAUSED, 'the group is paused by an operator; decide once it resumes');
    // Past its expiry it counts as rejected, even if the timer has not said so yet (it does in its own step).
    if (task.deadline !== null && task.deadline <= this.clock.now()) throw new ApiError(ErrorCode.CONFLICT, `approval ${task_id} expired at ${iso(task.deadline)}`);
    this.approvals.decide(live, batch, task, decision, by.id, comment ?? null);
    return approvalView(task, live.row);
  }
}
