import { Clock } from '../../apps/server/src/foundation/runtime/runtime.module';
import { Scheduler } from '../../apps/server/src/foundation/runtime/scheduler';

/** Test double of the clock: time moves only when the test says so. */
export class ManualClock extends Clock {
  constructor(public t = 1_000_000) {
    super();
  }

  now(): number {
    return this.t;
  }
}

/** Test double of the scheduler: runs what is due, in time order, as the test advances its clock. */
export class ManualScheduler extends Scheduler {
  private jobs: Array<{ at: number; work: () => void; live: boolean }> = [];

  constructor(private readonly clock: ManualClock) {
    super();
  }

  at(at: number, work: () => void): () => void {
    const job = { at, work, live: true };
    this.jobs.push(job);
    return () => void (job.live = false);
  }

  /** Jobs scheduled and not yet run or cancelled. */
  get pending(): number[] {
    return this.jobs.filter((j) => j.live).map((j) => j.at).sort((a, b) => a - b);
  }

  /** Moves the clock `ms` on, stopping at each job due on the way to run it (and whatever it schedules). */
  async advance(ms: number): Promise<void> {
    const end = this.clock.t + ms;
    for (let runs = 0; ; runs++) {
      // A job that keeps re-scheduling itself for a time already passed would spin a real server too.
      if (runs > 10_000) throw new Error('ManualScheduler: more than 10,000 jobs in one advance; something re-arms a passed deadline');
      const next = this.jobs.filter((j) => j.live && j.at <= end).sort((a, b) => a.at - b.at)[0];
      if (!next) break;
      this.clock.t = Math.max(this.clock.t, next.at);
      next.live = false;
      next.work();
      // Let the work's promises settle before the next job: a session step waits for a group commit (setImmediate).
      for (let i = 0; i < 5; i++) await new Promise((r) => setImmediate(r));
    }
    this.clock.t = end;
    this.jobs = this.jobs.filter((j) => j.live);
  }
}
