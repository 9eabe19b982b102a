import { Global, Inject, Module, OnApplicationShutdown } from '@nestjs/common';
import { ConfigService } from '../config/config.service';
import { connectRedis, Redis, REDIS } from './redis';

/** What several nodes share: the Redis connection (null on a single node). */
@Global()
@Module({
  providers: [{ provide: REDIS, inject: [ConfigService], useFactory: (config: ConfigService) => (config.values.cluster ? connectRedis(config.values.cluster.redisUrl, `ioa-${config.values.nodeId}`) : null) }],
  exports: [REDIS],
})
export class ClusterModule implements OnApplicationShutdown {
  constructor(@Inject(REDIS) private readonly redis: Redis | null) {}

  /** Waits a moment for queued commands, never for a Redis that is away. */
  async onApplicationShutdown(): Promise<void> {
    if (!this.redis) return;
    const redis = this.redis;
    await Promise.race([redis.close().catch(() => undefined), new Promise((resolve) => setTimeout(resolve, 1000).unref())]);
    if (redis.isOpen) redis.destroy();
  }
}
