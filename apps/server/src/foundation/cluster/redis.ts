import { Logger } from '@nestjs/common';
import { createClient } from 'redis';

export type Redis = ReturnType<typeof createClient>;

/** The Redis connection of a node of a cluster; null on a single node (no `IOA_REDIS_URL`). */
export const REDIS = Symbol('REDIS');

/**
 * Connects to Redis and stays connected: the client reconnects by itself (with backoff) after Redis restarts, and
 * commands sent meanwhile wait in its queue. Start-up fails if Redis cannot be reached at all.
 */
export async function connectRedis(url: string, name: string): Promise<Redis> {
  const logger = new Logger('redis');
  const client = createClient({ url, name, socket: { reconnectStrategy: (retries) => Math.min(50 * 2 ** retries, 2000), connectTimeout: 5000 } });
  let down = false;
  client.on('error', (e: Error) => {
    if (!down) logger.warn(`connection lost, reconnecting: ${e.message}`);
    down = true;
  });
  client.on('ready', () => {
    if (down) logger.log('connection back');
    down = false;
  });
  await client.connect();
  return client;
}
