import { Injectable } from '@nestjs/common';
import { Clock } from '../../../foundation/runtime/runtime.module';
import { CommandHandler } from '../commands';
import { deadlineBase, dueAt, subject } from '../deadlines';
import { ackDeadlinePassed } from '../rollback-acks';
import { ConfigService } from '../../../foundation/config/config.service';
import { Batch, LiveGroup } from '../live-group';
import { SessionEngine } from '../session-engine';
import { SessionEvents } from '../session-events';
import { endTask, isSettled } from '../task-book';
import { ApprovalSteps } from '../approval-steps';
import { awaitsDecision } from '../approvals';

/** Everything whose deadline has passed, in one step (`deadlines.ts` lists the kinds; this is what expiry does). */
@Injectable()
export class ExpireDeadlinesHandler implements CommandHandler<'expire_deadlines'> {
  readonly type = 'expire_deadlines';

  constructor(
    private readonly engine: SessionEngine,
    private readonly events: SessionEvents,
    private readonly approvals: ApprovalSteps,
    private readonly config: ConfigService,
    private readonly clock: Clock,
  ) {}

  handle(live: LiveGroup, batch: Batch): void {
    const now = this.clock.now();
    const due = dueAt(subject(live), now);
    const forming = due.filter((d) => d.kind === 'invite' || d.kind === 'forming');
    if (forming.length) this.events.emit('invitesDue', live, batch, forming);
    for (const d of due) {
      switch (d.kind) {
        case 'task':
        case 'task_grace': {
          const task = live.tasks.get(d.taskId);
          if (!task || isSettled(task)) break;
          endTask(task, 'failed', d.kind === 'task' ? 'deadline passed' : 'assignee did not reconnect in time', now);
          this.engine.writeTask(live, batch, task);
          this.engine.system(live, batch, 'task_failed', `task ${task.id} failed: ${task.reason}`, { task_id: task.id, reason: task.reason });
          this.engine.settleTask(live, batch, task, 'system');
          break;
        }
        case 'approval': {
          const task = live.tasks.get(d.taskId);
          if (task && awaitsDecision(task)) this.approvals.decide(live, batch, task, 'expire', 'system', null);
          break;
        }
        case 'rollback_ack':
          ackDeadlinePassed(this.engine, live, batch, this.config.values.sessions.suspendGraceS * 1000, now, deadlineBase(live.row, now));
          break;
        case 'node_retry': {
          const task = live.tasks.get(d.taskId);
          if (task?.nodeState === 'ready') this.engine.rerunNode(live, batch, task);
          break;
        }
        case 'conclusion':
          if (live.state === 'conclusion') this.engine.send(live, batch, { type: 'CONCLUSION_TIMEOUT' }, 'system');
          break;
        case 'turn':
        case 'human_turn':
        case 'coordinator': {
          if (live.state !== 'discussion') break;
          const { holders } = live.context;
          // People are members but never coordinators: the role passes over them.
          const timeout = { type: 'COORDINATOR_TIMEOUT' as const, skip: live.row.humans ?? [] };
          const handOver = d.kind === 'coordinator' && live.actor.getSnapshot().can(timeout);
          if (d.kind !== 'coordinator') this.engine.system(live, batch, 'turn_timeout', `${holders.join(', ')} did not speak in time; the turn returns to the coordinator`, { holders });
          this.engine.send(live, batch, handOver ? timeout : { type: 'TURN_TIMEOUT' }, 'system');
          break;
        }
        case 'invite':
        case 'forming':
          break; // team formation's step above
      }
    }
  }
}
