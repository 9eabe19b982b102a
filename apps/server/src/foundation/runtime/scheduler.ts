import type { Clock } from './runtime.module';

/** setTimeout's longest delay; a later time is reached in several steps. */
const MAX_DELAY_MS = 2 ** 31 - 1;

/**
 * Runs work at a time of the injected `Clock`: the port every deadline goes through, so that tests drive time by hand
 * (a named double, `test/doubles/manual-time.ts`) instead of sleeping.
 */
export abstract class Scheduler {
  /** Runs `work` once, never before `at` by the clock; the returned function cancels it. */
  abstract at(at: number, work: () => void): () => void;
}

export class TimerScheduler extends Scheduler {
  constructor(private readonly clock: Clock) {
    super();
  }

  at(at: number, work: () => void): () => void {
    let timer: NodeJS.Timeout;
    const arm = () => {
      const wait = at - this.clock.now();
      if (!(wait > 0)) return work(); // due, or not a number: run once rather than spin
      // Timers may fire a little early, and long waits are split: check the clock again before running.
      timer = setTimeout(arm, Math.min(wait, MAX_DELAY_MS));
      timer.unref();
    };
    timer = setTimeout(arm, Math.min(Math.max(0, at - this.clock.now()) || 0, MAX_DELAY_MS));
    timer.unref();
    return () => clearTimeout(timer);
  }
}
