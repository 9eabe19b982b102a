import { Injectable, OnModuleInit } from '@nestjs/common';
import { TaskEntity } from '../../data/tasks/task.entity';
import { Emitter, ROOM } from '../../foundation/network/emitter.port';
import { Clock } from '../../foundation/runtime/runtime.module';
import { approvalView } from './approvals';
import { Batch, GroupRead, LiveGroup } from './live-group';
import { SessionEngine } from './session-engine';
import { SessionEvents } from './session-events';
import { decideApproval, isSettled, wasDispatched } from './task-book';

/**
 * Approval nodes within a session step: a decision (a person's, or the expiry's) is stored, announced by the system
 * message `approval_decided` and audited, and its node settles (approved, it completes; otherwise its failure policy
 * applies). Every change of an approval reaches those who may decide it as the event `approval`.
 */
@Injectable()
export class ApprovalSteps implements OnModuleInit {
  constructor(private readonly engine: SessionEngine, private readonly events: SessionEvents, private readonly emitter: Emitter, private readonly clock: Clock) {}

  onModuleInit(): void {
    this.events.on('approvalChanged', (live, task) => this.notify(live, task));
  }

  decide(live: LiveGroup, batch: Batch, task: TaskEntity, decision: 'approve' | 'reject' | 'expire', by: string, comment: string | null): void {
    decideApproval(task, decision, by, comment, this.clock.now());
    this.engine.writeTask(live, batch, task);
    const outcome = decision === 'approve' ? 'approved' : decision === 'reject' ? 'rejected' : 'expired';
    const text = decision === 'expire' ? `approval "${task.nodeKey}" expired: nobody decided in time, which counts as rejected` : `${by} ${outcome} "${task.nodeKey}"${comment ? `: ${comment}` : ''}`;
    this.engine.system(live, batch, 'approval_decided', text, { approval_id: task.id, graph_id: task.graphId, key: task.nodeKey, decision: outcome, by, comment });
    this.engine.audit(batch, by, 'approval_decided', live.row.id, { approval_id: task.id, decision: outcome, comment });
    this.engine.settleTask(live, batch, task, by);
  }

  /**
   * To admins, and to the participants whose scope covers the approval's group (its goal or the group itself); of
   * those, when it names people, only to them.
   */
  private notify(live: GroupRead, task: TaskEntity): void {
    // Not before its graph asks for it (nobody can decide it until then), and not when it ends without being asked.
    if (!wasDispatched(task) || (task.nodeState === 'ready' && !isSettled(task))) return;
    const { row } = live;
    const scopes = [`group:${row.id}` as const, ...(row.goalId ? [`goal:${row.goalId}` as const] : [])];
    const rooms = [ROOM.approvals('all'), ...scopes.flatMap((s) => (task.approvers ? task.approvers.map((p) => ROOM.approvals(s, p)) : [ROOM.approvals(s)]))];
    this.emitter.emit({ rooms }, 'approval', approvalView(task, row));
  }
}
