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

  async onApplicationShutdown(): Promise<void> {
    await this.redis?.close().catch(() => undefined);
  }
}
