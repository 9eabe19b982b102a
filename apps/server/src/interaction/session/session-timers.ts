import { Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { GroupStore } from '../../data/groups/group-store';
import { ConfigService } from '../../foundation/config/config.service';
import { Clock } from '../../foundation/runtime/runtime.module';
import { Batch, LiveGroup } from './live-group';
import { SessionEngine } from './session-engine';
import { SessionService } from './session.service';
import { endTask, isSettled, nextTaskDeadline } from './task-book';

const MAX_DELAY_MS = 2 ** 31 - 1;

/**
 * Deadlines are data on the group and task rows; this scheduler keeps one timer per group that fires no later than
 * the earliest of them, checked after every step and at start-up. A heartbeat records that the server is alive, so
 * that after a restart the downtime is added to every deadline: time the server was down counts against nobody.
 */
@Injectable()
export class SessionTimers implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('session-timers');
  private readonly timers = new Map<string, { timer: NodeJS.Timeout; due: number }>();
  private heartbeat: NodeJS.Timeout | null = null;

  constructor(
    private readonly sessions: SessionService,
    private readonly engine: SessionEngine,
    private readonly store: GroupStore,
    private readonly clock: Clock,
    private readonly config: ConfigService,
  ) {
    sessions.onCommitted = (live) => this.arm(live);
  }

  async onApplicationBootstrap(): Promise<void> {
    // Nest runs one module's start-up hooks concurrently: the open groups (and the downtime shift, which reads the
    // last heartbeat before the first new one is written) are ready only once the session service says so.
    await this.sessions.loaded;
    for (const live of this.sessions.live.values()) this.arm(live);
    await this.beat();
    this.heartbeat = setInterval(() => void this.beat(), this.config.values.sessions.heartbeatMs);
    this.heartbeat.unref();
  }

  async onApplicationShutdown(): Promise<void> {
    if (this.heartbeat) clearInterval(this.heartbeat);
    for (const { timer } of this.timers.values()) clearTimeout(timer);
    this.timers.clear();
    await this.beat();
  }

  /**
   * Keeps the group's timer at or before its earliest deadline. Most steps move a deadline later (a new turn), so the
   * armed timer stays and, when it fires early, re-arms for what is due then; only an earlier deadline replaces it.
   */
  arm(live: LiveGroup): void {
    const id = live.row.id;
    const due = live.row.state === 'closed' ? null : this.nextDeadline(live);
    const armed = this.timers.get(id);
    if (armed && due !== null && armed.due <= due) return;
    if (armed) clearTimeout(armed.timer);
    this.timers.delete(id);
    if (due === null) return;
    const timer = setTimeout(() => this.fire(id), Math.min(Math.max(0, due - this.clock.now()), MAX_DELAY_MS));
    timer.unref();
    this.timers.set(id, { timer, due });
  }

  private fire(id: string): void {
    this.timers.delete(id);
    const live = this.sessions.live.get(id);
    if (!live) return;
    const due = this.nextDeadline(live);
    if (due !== null && due > this.clock.now()) return this.arm(live);
    this.sessions.run(id, (l, batch) => this.expire(l, batch)).catch((e: Error) => this.logger.warn(`group ${id}: timer step failed: ${e.message}`));
  }

  private nextDeadline(live: LiveGroup): number | null {
    const invites = live.row.decision?.needs.flatMap((n) => n.invites.filter((i) => i.status === 'pending').map((i) => i.deadline)) ?? [];
    const candidates = [live.row.turnDeadline, live.row.conclusionDeadline, live.row.formingDeadline, nextTaskDeadline(live.tasks.values()), ...invites]
      .filter((d): d is number => d !== null);
    return candidates.length ? Math.min(...candidates) : null;
  }

  /** Everything whose deadline has passed, in one step. */
  private expire(live: LiveGroup, batch: Batch): void {
    const now = this.clock.now();
    const row = live.row;
    if (live.state === 'forming') return this.sessions.onFormingDeadline(live, batch);
    for (const task of live.tasks.values()) {
      if (isSettled(task)) continue;
      const late = task.deadline !== null && task.deadline <= now;
      const lost = task.state === 'suspended' && task.graceDeadline !== null && task.graceDeadline <= now;
      if (!late && !lost) continue;
      endTask(task, 'failed', late ? 'deadline passed' : 'assignee did not reconnect in time', now);
      batch.touch(task);
      batch.deliveries.push(() => this.engine.emitTask(live, task));
      this.engine.system(live, batch, 'task_failed', `task ${task.id} failed: ${task.reason}`, { task_id: task.id, reason: task.reason });
      this.engine.send(live, batch, { type: 'TASK_SETTLED', taskId: task.id }, 'system');
    }
    if (row.conclusionDeadline !== null && row.conclusionDeadline <= now && live.state === 'conclusion') {
      this.engine.send(live, batch, { type: 'CONCLUSION_TIMEOUT' }, 'system');
    }
    if (row.turnDeadline !== null && row.turnDeadline <= now && live.state === 'discussion') {
      const { holders, coordinator } = live.context;
      const coordinatorSilent = holders.length === 1 && holders[0] === coordinator;
      const handOver = coordinatorSilent && live.actor.getSnapshot().can({ type: 'COORDINATOR_TIMEOUT' });
      if (!coordinatorSilent) this.engine.system(live, batch, 'turn_timeout', `${holders.join(', ')} did not speak in time; the turn returns to the coordinator`, { holders });
      this.engine.send(live, batch, handOver ? { type: 'COORDINATOR_TIMEOUT' } : { type: 'TURN_TIMEOUT' }, 'system');
    }
  }

  private async beat(): Promise<void> {
    await this.store.setAliveAt(this.clock.now()).catch((e: Error) => this.logger.warn(`heartbeat failed: ${e.message}`));
  }
}
