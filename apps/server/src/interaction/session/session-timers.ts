import { Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { GroupStore } from '../../data/groups/group-store';
import { ConfigService } from '../../foundation/config/config.service';
import { Clock } from '../../foundation/runtime/runtime.module';
import { Scheduler } from '../../foundation/runtime/scheduler';
import { Batch, LiveGroup } from './live-group';
import { SessionEngine } from './session-engine';
import { SessionEvents } from './session-events';
import { SessionService } from './session.service';
import { DeadlineSubject, dueAt, nextDue } from './deadlines';
import { endTask, isSettled } from './task-book';

/**
 * Deadlines are data on the group and task rows (kinds and expiries in `deadlines.ts`); this keeps one scheduled wake-up
 * per group no later than the earliest of them, checked after every step and at start-up. A heartbeat records that
 * this node is alive, so that after a restart the downtime is added to the deadlines of the groups it held.
 */
/** How soon a failed deadline step is tried again. */
const RETRY_MS = 1000;

@Injectable()
export class SessionTimers implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('session-timers');
  private readonly wakeUps = new Map<string, { cancel: () => void; due: number }>();
  private heartbeat: NodeJS.Timeout | null = null;

  constructor(
    private readonly sessions: SessionService,
    private readonly engine: SessionEngine,
    private readonly store: GroupStore,
    private readonly clock: Clock,
    private readonly scheduler: Scheduler,
    private readonly config: ConfigService,
    private readonly events: SessionEvents,
  ) {
    events.on('committed', (live) => this.arm(live));
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
    for (const { cancel } of this.wakeUps.values()) cancel();
    this.wakeUps.clear();
    await this.beat();
  }

  /**
   * Keeps the group's wake-up at or before its earliest deadline. Most steps move a deadline later (a new turn), so
   * the armed wake-up stays and, when it comes early, re-arms for what is due then; only an earlier deadline replaces it.
   */
  arm(live: LiveGroup): void {
    this.armAt(live.row.id, nextDue(subject(live)));
  }

  private armAt(id: string, due: number | null): void {
    const armed = this.wakeUps.get(id);
    if (armed && due !== null && armed.due <= due) return;
    armed?.cancel();
    this.wakeUps.delete(id);
    if (due === null) return;
    this.wakeUps.set(id, { cancel: this.scheduler.at(due, () => this.wake(id)), due });
  }

  private wake(id: string): void {
    this.wakeUps.delete(id);
    const live = this.sessions.live.get(id);
    if (!live) return;
    const due = nextDue(subject(live));
    if (due !== null && due > this.clock.now()) return this.arm(live);
    this.sessions.run(id, (l, batch) => this.expire(l, batch)).catch((e: Error) => {
      // Nothing changed, so the deadlines are still due: try again rather than leave the group waiting forever.
      this.logger.warn(`group ${id}: deadline step failed, retrying in ${RETRY_MS} ms: ${e.message}`);
      this.armAt(id, this.clock.now() + RETRY_MS);
    });
  }

  /** Everything whose deadline has passed, in one step. */
  private expire(live: LiveGroup, batch: Batch): void {
    const now = this.clock.now();
    const due = dueAt(subject(live), now);
    const forming = due.filter((d) => d.kind === 'invite' || d.kind === 'forming');
    if (forming.length) this.events.emit('formingDue', live, batch, forming);
    for (const d of due) {
      switch (d.kind) {
        case 'task':
        case 'task_grace': {
          const task = live.tasks.get(d.taskId);
          if (!task || isSettled(task)) break;
          endTask(task, 'failed', d.kind === 'task' ? 'deadline passed' : 'assignee did not reconnect in time', now);
          batch.writeTask(task);
          batch.deliveries.push(() => this.engine.emitTask(live, task));
          this.engine.system(live, batch, 'task_failed', `task ${task.id} failed: ${task.reason}`, { task_id: task.id, reason: task.reason });
          this.engine.send(live, batch, { type: 'TASK_SETTLED', taskId: task.id }, 'system');
          break;
        }
        case 'conclusion':
          if (live.state === 'conclusion') this.engine.send(live, batch, { type: 'CONCLUSION_TIMEOUT' }, 'system');
          break;
        case 'turn':
        case 'coordinator': {
          if (live.state !== 'discussion') break;
          const { holders } = live.context;
          const handOver = d.kind === 'coordinator' && live.actor.getSnapshot().can({ type: 'COORDINATOR_TIMEOUT' });
          if (d.kind === 'turn') this.engine.system(live, batch, 'turn_timeout', `${holders.join(', ')} did not speak in time; the turn returns to the coordinator`, { holders });
          this.engine.send(live, batch, handOver ? { type: 'COORDINATOR_TIMEOUT' } : { type: 'TURN_TIMEOUT' }, 'system');
          break;
        }
        case 'invite':
        case 'forming':
          break; // team formation's step above
      }
    }
  }

  private async beat(): Promise<void> {
    await this.store.setAliveAt(this.sessions.holder, this.clock.now()).catch((e: Error) => this.logger.warn(`heartbeat failed: ${e.message}`));
  }
}

/** A live group as the deadlines module reads it. */
export function subject(live: LiveGroup): DeadlineSubject {
  return { row: live.row, state: live.state, holders: live.context.holders, tasks: live.tasks.values() };
}
