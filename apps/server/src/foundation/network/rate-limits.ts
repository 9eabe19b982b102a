import { Inject, Injectable, Logger } from '@nestjs/common';
import { Redis, REDIS } from '../cluster/redis';
import { Clock } from '../runtime/runtime.module';
import { RateLimiter } from './rate-limiter';

/** A token bucket per key: resolves to 0 when a token was taken, else to the ms until one is available. */
export interface Limiter {
  waitFor(key: string): Promise<number>;
}

/**
 * The same token bucket as `RateLimiter`, kept in Redis so that it holds across the nodes of a cluster, with Redis's
 * clock (one clock for every node). A bucket left alone expires once it would be full again.
 */
const TAKE = `
local now = redis.call('TIME')
local ms = tonumber(now[1]) * 1000 + math.floor(tonumber(now[2]) / 1000)
local rate, burst = tonumber(ARGV[1]), tonumber(ARGV[2])
local b = redis.call('HMGET', KEYS[1], 't', 'at')
local tokens = math.min(burst, (tonumber(b[1]) or burst) + math.max(0, ms - (tonumber(b[2]) or ms)) / 1000 * rate)
local wait = 0
if tokens < 1 then wait = math.ceil((1 - tokens) / rate * 1000) else tokens = tokens - 1 end
redis.call('HSET', KEYS[1], 't', tostring(tokens), 'at', tostring(ms))
redis.call('PEXPIRE', KEYS[1], math.ceil(burst / rate * 1000) + 1000)
return wait`;

/** Longer than any healthy round trip to Redis; past it, the event is counted on this node instead. */
const ANSWER_MS = 250;

function withTimeout<T>(work: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error(`no answer in ${ms} ms`)), ms)));
  return Promise.race([work, late]).finally(() => clearTimeout(timer));
}

/** Makes rate limiters: in this process's memory on one node, in Redis on several. */
@Injectable()
export class RateLimits {
  private readonly logger = new Logger('rate-limits');
  private degradedSince: number | null = null;

  constructor(@Inject(REDIS) private readonly redis: Redis | null, private readonly clock: Clock) {}

  /** A limiter named `name` (its buckets are `ioa:rate:<name>:<key>` in Redis): `ratePerS` sustained, `burst` at once. */
  create(name: string, ratePerS: number, burst: number): Limiter {
    const local = new RateLimiter(ratePerS, burst, () => this.clock.now());
    const redis = this.redis;
    if (!redis) return { waitFor: async (key) => local.waitFor(key) };
    return {
      // While Redis is away its client queues commands until it is back, and a Redis that hangs answers nothing:
      // count here rather than hold every event.
      waitFor: async (key) => !redis.isReady ? this.degrade('reconnecting', local, key) :
        withTimeout(redis.eval(TAKE, { keys: [`ioa:rate:${name}:${key}`], arguments: [String(ratePerS), String(burst)] }), ANSWER_MS).then(
          (wait) => {
            if (this.degradedSince !== null) this.logger.log('Redis back: rate limits hold across the cluster again');
            this.degradedSince = null;
            return Number(wait);
          },
          (e: Error) => this.degrade(e.message, local, key),
        ),
    };
  }

  /** Redis away: each node limits on its own meanwhile, rather than refusing everyone or no one. */
  private degrade(why: string, local: RateLimiter, key: string): number {
    if (this.degradedSince === null) this.logger.warn(`Redis unreachable (${why}): rate limits count per node until it is back`);
    this.degradedSince ??= this.clock.now();
    return local.waitFor(key);
  }
}
