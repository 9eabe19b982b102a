import { Injectable, Logger } from '@nestjs/common';
import { AgentRegistry } from '../../data/registry/agent-registry.service';
import { ConfigService } from '../../foundation/config/config.service';
import { Clock } from '../../foundation/runtime/runtime.module';
import { TaskEntity } from '../../data/tasks/task.entity';
import { Batch, LiveGroup } from './live-group';
import { SessionEngine } from './session-engine';
import { SessionService } from './session.service';
import { resumeTask, suspendTask } from './task-book';

/**
 * Which agents are connected. An agent's last socket closing marks it offline and suspends its open tasks; a
 * suspended task resumes when the agent comes back, or fails once the grace period passes (see SessionTimers).
 */
@Injectable()
export class PresenceService {
  private readonly logger = new Logger('presence');
  private readonly sockets = new Map<string, number>();

  constructor(
    private readonly sessions: SessionService,
    private readonly engine: SessionEngine,
    private readonly registry: AgentRegistry,
    private readonly clock: Clock,
    private readonly config: ConfigService,
  ) {}

  async connected(agentId: string): Promise<void> {
    const count = (this.sockets.get(agentId) ?? 0) + 1;
    this.sockets.set(agentId, count);
    if (count > 1) return;
    await this.registry.markPresence(agentId, true);
    await this.forEachTaskOf(agentId, 'suspended', (task, live, batch) => {
      resumeTask(task, this.clock.now());
      this.engine.system(live, batch, 'task_resumed', `task ${task.id} resumed: ${agentId} reconnected`, { task_id: task.id });
    });
  }

  async disconnected(agentId: string): Promise<void> {
    const count = (this.sockets.get(agentId) ?? 1) - 1;
    if (count > 0) return void this.sockets.set(agentId, count);
    this.sockets.delete(agentId);
    await this.registry.markPresence(agentId, false);
    const graceMs = this.config.values.sessions.suspendGraceS * 1000;
    await this.forEachTaskOf(agentId, 'open', (task, live, batch) => {
      suspendTask(task, graceMs, this.clock.now());
      this.engine.system(live, batch, 'task_suspended', `task ${task.id} suspended: ${agentId} disconnected`, { task_id: task.id });
    });
  }

  isOnline(agentId: string): boolean {
    return this.sockets.has(agentId);
  }

  private async forEachTaskOf(agentId: string, which: 'open' | 'suspended', change: (task: TaskEntity, live: LiveGroup, batch: Batch) => void): Promise<void> {
    const matches = (t: TaskEntity) =>
      t.assignee.includes(agentId) && (which === 'suspended' ? t.state === 'suspended' : t.state === 'submitted' || t.state === 'running');
    for (const [groupId, live] of this.sessions.live) {
      if (![...live.tasks.values()].some(matches)) continue;
      await this.sessions.run(groupId, (l, batch) => {
        for (const task of [...l.tasks.values()].filter(matches)) {
          change(task, l, batch);
          batch.touch(task);
          batch.deliveries.push(() => this.engine.emitTask(l, task));
        }
      }).catch((e: Error) => this.logger.warn(`group ${groupId}: presence step failed: ${e.message}`));
    }
  }
}
