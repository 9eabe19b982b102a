import { Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import type { GoalEvent, GoalUpdateEvent } from '@ioa/protocol';
import { GoalEntity } from '../../data/goals/goal.entity';
import { GoalRepository } from '../../data/goals/goal-repository';
import { Emitter, ROOM } from '../../foundation/network/emitter.port';
import { ConfigService } from '../../foundation/config/config.service';
import { Clock } from '../../foundation/runtime/runtime.module';
import { Scheduler } from '../../foundation/runtime/scheduler';
import { iso } from '../../foundation/runtime/time';
import { goalAcceptAfterStart, goalAcceptDeadline } from '../session/deadlines';
import { CoordinatorFinder } from './coordinator-finder';
import { handoverViews } from './goal-view';
import { GoalWatchers } from './goal-watchers';

const RETRY_MS = 5_000;

/**
 * A goal never waits on a coordinator forever: one that has not formed the root team by the goal's accept deadline
 * loses it to the next online coordinator (a goal whose coordinator was named has no next one), and when none is
 * left the goal fails with the reason. Each hand-over is kept on the goal. The moves are conditional updates, so a
 * team formed meanwhile (or a cancel, or another node's hand-over) wins and the hand-over changes nothing.
 */
@Injectable()
export class GoalHandovers implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('goals');
  private readonly armed = new Map<string, () => void>();
  private sweeper: NodeJS.Timeout | null = null;

  constructor(
    private readonly goals: GoalRepository,
    private readonly finder: CoordinatorFinder,
    private readonly emitter: Emitter,
    private readonly scheduler: Scheduler,
    private readonly clock: Clock,
    private readonly config: ConfigService,
    private readonly watchers: GoalWatchers,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    const now = this.clock.now();
    for (const goal of await this.goals.pending()) {
      // A goal from before accept deadlines takes the server's timeout, not the column's default.
      const acceptTimeoutS = goal.acceptDeadline === null ? this.config.values.teams.goalAcceptTimeoutS : goal.acceptTimeoutS;
      // On several nodes, another node kept running while this one was down: its deadlines stand as they are.
      const at = this.config.values.cluster && goal.acceptDeadline !== null ? goal.acceptDeadline : goalAcceptAfterStart({ ...goal, acceptTimeoutS }, now);
      if (at !== goal.acceptDeadline) await this.goals.update(goal.id, { acceptDeadline: at, acceptTimeoutS });
      this.arm(goal.id, at);
    }
    if (this.config.values.cluster) {
      // The node that armed a goal may die with its timer: every node also looks for goals past their deadline, and
      // the conditional update lets exactly one pass each on.
      this.sweeper = setInterval(() => void this.claimDue().catch((e: Error) => this.logger.warn(`looking for due goals failed: ${e.message}`)), this.config.values.sessions.heartbeatMs);
      this.sweeper.unref();
    }
  }

  private async claimDue(): Promise<void> {
    const now = this.clock.now();
    for (const goal of await this.goals.pending()) if (goal.acceptDeadline !== null && goal.acceptDeadline <= now && !this.armed.has(goal.id)) this.arm(goal.id, now);
  }

  onApplicationShutdown(): void {
    if (this.sweeper) clearInterval(this.sweeper);
    for (const cancel of this.armed.values()) cancel();
    this.armed.clear();
  }

  /** The `goal` event its coordinator gets (again when it reconnects, while the goal waits on it). */
  event(goal: GoalEntity): GoalEvent {
    return { goal_id: goal.id, goal: goal.goal, max_turns: goal.maxTurns, team_up_depth: goal.teamUpDepth, accept_deadline: iso(goal.acceptDeadline) as string };
  }

  /** Sends the goal to its coordinator and waits for the team until its deadline. */
  deliver(goal: GoalEntity): void {
    this.emitter.emit({ rooms: [ROOM.agent(goal.coordinator)] }, 'goal', this.event(goal));
    if (goal.acceptDeadline !== null) this.arm(goal.id, goal.acceptDeadline);
  }

  private arm(goalId: string, at: number): void {
    this.armed.get(goalId)?.();
    this.armed.set(goalId, this.scheduler.at(at, () => void this.expire(goalId).catch((e: Error) => {
      // Tried again shortly: a goal must not stay pending for want of one failed read or write.
      this.logger.error(`goal ${goalId}: hand-over failed, retrying in ${RETRY_MS} ms: ${e.stack ?? e}`);
      this.arm(goalId, this.clock.now() + RETRY_MS);
    })));
  }

  private async expire(goalId: string): Promise<void> {
    this.armed.delete(goalId);
    const goal = await this.goals.get(goalId);
    const due = goal && goalAcceptDeadline(goal);
    if (!goal || due === null || due === undefined) return;
    const now = this.clock.now();
    if (due > now) return this.arm(goalId, due);
    const tried = [...(goal.handovers ?? []).map((h) => h.from), goal.coordinator];
    const why = `${goal.coordinator} did not form a team within ${goal.acceptTimeoutS} s`;
    const next = goal.coordinatorChoice.by === 'named' ? null : await this.finder.pick(goal.goal, tried);
    const where = { status: 'pending' as const, coordinator: goal.coordinator };
    if (!next) {
      const reason = `no coordinator formed a team in time (${tried.length === 1 ? why : `tried ${tried.join(', ')}, each for ${goal.acceptTimeoutS} s`})`;
      if (!(await this.goals.updateWhere(goal.id, where, { status: 'failed', reason, acceptDeadline: null, updatedAt: now }))) return;
      this.logger.log(`goal ${goal.id} failed: ${reason}`);
      this.announce({ ...goal, status: 'failed', reason, acceptDeadline: null, updatedAt: now }, goal.coordinator);
      return;
    }
    const moved: Partial<GoalEntity> = {
      coordinator: next.coordinator, coordinatorChoice: next.choice, acceptDeadline: now + goal.acceptTimeoutS * 1000, updatedAt: now,
      handovers: [...(goal.handovers ?? []), { from: goal.coordinator, to: next.coordinator, at: now, reason: why }],
    };
    if (!(await this.goals.updateWhere(goal.id, where, moved))) return;
    this.logger.log(`goal ${goal.id}: ${why}; passed to ${next.coordinator}`);
    const updated = { ...goal, ...moved } as GoalEntity;
    this.deliver(updated);
    this.announce(updated, goal.coordinator);
  }

  /** `goal_update` to the coordinator the goal passed from (or failed with) and to its creator, when an agent made it. */
  private announce(goal: GoalEntity, from: string): void {
    const event: GoalUpdateEvent = {
      goal_id: goal.id, status: goal.status, coordinator: goal.coordinator, reason: goal.reason,
      handovers: handoverViews(goal),
    };
    this.emitter.emit({ rooms: [...new Set([from, goal.createdBy])].map(ROOM.agent) }, 'goal_update', event);
    this.watchers.announce(goal);
  }
}
