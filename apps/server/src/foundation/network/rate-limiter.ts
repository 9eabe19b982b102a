/** How often buckets that have refilled are dropped: a full bucket is the same as none. */
const SWEEP_EVERY_MS = 60_000;

/** A token bucket per key: `ratePerS` sustained, `burst` at once. Memory stays bounded by the keys active lately. */
export class RateLimiter {
  private readonly buckets = new Map<string, { tokens: number; at: number }>();
  private sweptAt: number;

  constructor(private readonly ratePerS: number, private readonly burst: number, private readonly now: () => number) {
    this.sweptAt = now();
  }

  take(key: string): boolean {
    return this.waitFor(key) === 0;
  }

  /** Takes a token and returns 0, or returns how many ms until one is available (taking none). */
  waitFor(key: string): number {
    const now = this.now();
    if (now - this.sweptAt >= SWEEP_EVERY_MS) this.sweep(now);
    const b = this.buckets.get(key) ?? { tokens: this.burst, at: now };
    b.tokens = Math.min(this.burst, b.tokens + ((now - b.at) / 1000) * this.ratePerS);
    b.at = now;
    this.buckets.set(key, b);
    if (b.tokens < 1) return Math.ceil(((1 - b.tokens) / this.ratePerS) * 1000);
    b.tokens -= 1;
    return 0;
  }

  /** How many keys hold a bucket (for tests and metrics). */
  get size(): number {
    return this.buckets.size;
  }

  private sweep(now: number): void {
    this.sweptAt = now;
    for (const [key, b] of this.buckets) if (b.tokens + ((now - b.at) / 1000) * this.ratePerS >= this.burst) this.buckets.delete(key);
  }
}
