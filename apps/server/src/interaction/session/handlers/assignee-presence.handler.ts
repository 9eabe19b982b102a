import { Injectable } from '@nestjs/common';
import { ConfigService } from '../../../foundation/config/config.service';
import { Clock } from '../../../foundation/runtime/runtime.module';
import { CommandHandler, CommandOf } from '../commands';
import { deadlineBase } from '../deadlines';
import { Batch, LiveGroup } from '../live-group';
import { SessionEngine } from '../session-engine';
import { isOpen, resumeTask, suspendTask } from '../task-book';
import { acknowledge } from '../rollback-acks';

/**
 * An assignee's connection changed: offline suspends its open tasks in the group (they fail once the grace period
 * passes, a deadline like any other); online resumes its suspended ones. A person's (a human member's) are not
 * suspended.
 */
@Injectable()
export class AssigneePresenceHandler implements CommandHandler<'assignee_presence'> {
  readonly type = 'assignee_presence';

  constructor(private readonly engine: SessionEngine, private readonly clock: Clock, private readonly config: ConfigService) {}

  handle(live: LiveGroup, batch: Batch, { agent_id: agent, online, why }: CommandOf<'assignee_presence'>): void {
    // A person's tasks wait for her (her deadlines and the coordinator bound the wait): never suspended.
    if (!online && live.row.humans?.includes(agent)) return;
    const now = this.clock.now();
    // Back online, a member late with a rollback's acknowledgement counts as connected again, as it would after a drop.
    if (online) acknowledge(this.engine, live, batch, agent, null, now);
    for (const task of live.tasks.values()) {
      if (!task.assignee.includes(agent)) continue;
      if (online && task.state === 'suspended') {
        resumeTask(task, now);
        this.engine.system(live, batch, 'task_resumed', `task ${task.id} resumed: ${agent} reconnected`, { task_id: task.id });
      } else if (!online && isOpen(task)) {
        suspendTask(task, this.config.values.sessions.suspendGraceS * 1000, now, deadlineBase(live.row, now));
        this.engine.system(live, batch, 'task_suspended', `task ${task.id} suspended: ${agent} ${why}`, { task_id: task.id });
      } else {
        continue;
      }
      this.engine.writeTask(live, batch, task);
    }
  }
}

