import { Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { GroupStore } from '../../data/groups/group-store';
import { ConfigService } from '../../foundation/config/config.service';
import { Clock } from '../../foundation/runtime/runtime.module';
import { Scheduler } from '../../foundation/runtime/scheduler';
import { nextDue, subject } from './deadlines';
import { GroupHost } from './group-host';
import { GroupRead } from './live-group';
import { SessionEvents } from './session-events';

/** How soon a failed deadline step is tried again. */
const RETRY_MS = 1000;

/**
 * Deadlines are data on the group and task rows (kinds and expiries in `deadlines.ts`); this keeps one scheduled wake-up
 * per group no later than the earliest of them, checked after every step and at start-up, and sends the group an
 * `expire_deadlines` command when it comes. A heartbeat records that this node is alive, so that after a restart the
 * downtime is added to the deadlines of the groups it held.
 */
@Injectable()
export class SessionTimers implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('session-timers');
  private readonly wakeUps = new Map<string, { cancel: () => void; due: number }>();
  private heartbeat: NodeJS.Timeout | null = null;
  private stopping = false;

  constructor(
    private readonly host: GroupHost,
    private readonly store: GroupStore,
    private readonly clock: Clock,
    private readonly scheduler: Scheduler,
    private readonly config: ConfigService,
    events: SessionEvents,
  ) {
    events.on('committed', (group) => this.arm(group));
    events.on('taken', (group) => this.arm(group));
    events.on('lost', (group) => this.armAt(group.row.id, null));
  }

  async onApplicationBootstrap(): Promise<void> {
    // Nest runs one module's start-up hooks concurrently: the open groups (and the downtime shift, which reads the
    // last heartbeat before the first new one is written) are ready only once the host says so.
    await this.host.loaded;
    for (const group of this.host.groups()) this.arm(group);
    await this.beat();
    this.heartbeat = setInterval(() => void this.beat(), this.config.values.sessions.heartbeatMs);
    this.heartbeat.unref();
  }

  async onApplicationShutdown(): Promise<void> {
    this.stopping = true;
    if (this.heartbeat) clearInterval(this.heartbeat);
    for (const { cancel } of this.wakeUps.values()) cancel();
    this.wakeUps.clear();
    await this.beat();
  }

  /**
   * Keeps the group's wake-up at or before its earliest deadline. Most steps move a deadline later (a new turn), so
   * the armed wake-up stays and, when it comes early, re-arms for what is due then; only an earlier deadline replaces it.
   */
  arm(group: GroupRead): void {
    this.armAt(group.row.id, nextDue(subject(group)));
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
    const group = this.host.get(id);
    if (!group) return;
    const due = nextDue(subject(group));
    if (due !== null && due > this.clock.now()) return this.arm(group);
    this.host.execute({ type: 'expire_deadlines', group_id: id }).catch((e: Error) => {
      // Nothing changed, so the deadlines are still due: try again rather than leave the group waiting forever.
      this.logger.warn(`group ${id}: deadline step failed, retrying in ${RETRY_MS} ms: ${e.message}`);
      this.armAt(id, this.clock.now() + RETRY_MS);
    });
  }

  /** Records that this node is alive; on several nodes, then takes the groups of nodes that are not. */
  private async beat(): Promise<void> {
    await this.store.setAliveAt(this.host.holder, this.clock.now()).catch((e: Error) => this.logger.warn(`heartbeat failed: ${e.message}`));
    if (this.config.values.cluster && !this.stopping) await this.host.adopt(false).catch((e: Error) => this.logger.warn(`taking over groups failed: ${e.message}`));
  }
}
