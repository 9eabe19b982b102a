import { Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { AgentRegistry } from '../../data/registry/agent-registry.service';
import { ConfigService } from '../../foundation/config/config.service';
import { KeyedQueue } from '../../foundation/runtime/keyed-queue';
import { Clock } from '../../foundation/runtime/runtime.module';
import { TaskEntity } from '../../data/tasks/task.entity';
import { Batch, LiveGroup } from './live-group';
import { SessionEngine } from './session-engine';
import { SessionService } from './session.service';
import { resumeTask, suspendTask } from './task-book';

/**
 * Which agents are connected. An agent's last socket closing marks it offline and suspends its open tasks; a
 * suspended task resumes when the agent comes back, or fails once the grace period passes (see SessionTimers).
 * A restart counts as everyone disconnecting: open tasks are suspended at start-up and resume as assignees return.
 */
@Injectable()
export class PresenceService implements OnApplicationBootstrap {
  private readonly logger = new Logger('presence');
  private readonly sockets = new Map<string, number>();
  private readonly queue = new KeyedQueue();

  constructor(
    private readonly sessions: SessionService,
    private readonly engine: SessionEngine,
    private readonly registry: AgentRegistry,
    private readonly clock: Clock,
    private readonly config: ConfigService,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    await this.registry.markAllOffline();
    await this.sessions.loaded;
    const assignees = new Set<string>();
    for (const live of this.sessions.live.values()) {
      for (const t of live.tasks.values()) if (isOpen(t)) t.assignee.forEach((a) => assignees.add(a));
    }
    // Everyone is offline already (markAllOffline): only the tasks follow, and an agent's last_seen stays as it was.
    for (const agentId of assignees) {
      await this.reconcile(agentId, 'not connected since the server restarted', false)
        .catch((e: Error) => this.logger.error(`agent ${agentId}: suspending its tasks at start-up failed: ${e.message}`));
    }
    if (assignees.size) this.logger.log(`reconciled the open tasks of ${assignees.size} assignees with their connections`);
  }

  connected(agentId: string): Promise<void> {
    const count = (this.sockets.get(agentId) ?? 0) + 1;
    this.sockets.set(agentId, count);
    return count === 1 ? this.reconcile(agentId, 'disconnected') : Promise.resolve();
  }

  disconnected(agentId: string): Promise<void> {
    const count = (this.sockets.get(agentId) ?? 1) - 1;
    if (count > 0) {
      this.sockets.set(agentId, count);
      return Promise.resolve();
    }
    this.sockets.delete(agentId);
    return this.reconcile(agentId, 'disconnected');
  }

  isOnline(agentId: string): boolean {
    return this.sockets.has(agentId);
  }

  /**
   * Brings an agent's status and tasks in line with whether it is connected now. One agent's changes run one at a
   * time and read the connection count when they run, not when they were asked for: a disconnect's suspension can
   * never land after the reconnect that followed it (a flaky network, a client switching nodes).
   */
  private reconcile(agentId: string, why: string, markPresence = true): Promise<void> {
    return this.queue.run(agentId, async () => {
      const online = this.sockets.has(agentId);
      if (markPresence || online) await this.registry.markPresence(agentId, online);
      if (online) {
        await this.forEachTaskOf(agentId, 'suspended', (task, live, batch) => {
          resumeTask(task, this.clock.now());
          this.engine.system(live, batch, 'task_resumed', `task ${task.id} resumed: ${agentId} reconnected`, { task_id: task.id });
        });
        return;
      }
      const graceMs = this.config.values.sessions.suspendGraceS * 1000;
      await this.forEachTaskOf(agentId, 'open', (task, live, batch) => {
        suspendTask(task, graceMs, this.clock.now());
        this.engine.system(live, batch, 'task_suspended', `task ${task.id} suspended: ${agentId} ${why}`, { task_id: task.id });
      });
    });
  }

  private async forEachTaskOf(agentId: string, which: 'open' | 'suspended', change: (task: TaskEntity, live: LiveGroup, batch: Batch) => void): Promise<void> {
    const matches = (t: TaskEntity) =>
      t.assignee.includes(agentId) && (which === 'suspended' ? t.state === 'suspended' : isOpen(t));
    for (const [groupId, live] of this.sessions.live) {
      if (![...live.tasks.values()].some(matches)) continue;
      await this.sessions.run(groupId, (l, batch) => {
        for (const task of [...l.tasks.values()].filter(matches)) {
          change(task, l, batch);
          batch.writeTask(task);
          batch.deliveries.push(() => this.engine.emitTask(l, task));
        }
      }).catch((e: Error) => this.logger.warn(`group ${groupId}: presence step failed: ${e.message}`));
    }
  }
}

/** A task its assignee is working on or has yet to accept: what a disconnection suspends. */
function isOpen(t: TaskEntity): boolean {
  return t.state === 'submitted' || t.state === 'running';
}
