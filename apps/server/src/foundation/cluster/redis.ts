import { Logger } from '@nestjs/common';
import { createClient } from 'redis';

export type Redis = ReturnType<typeof createClient>;

/** The Redis connection of a node of a cluster; null on a single node (no `IOA_REDIS_URL`). */
export const REDIS = Symbol('REDIS');

/** Attempts at the first connection before start-up fails (about 10 s). */
const FIRST_ATTEMPTS = 8;

/**
 * Connects to Redis and stays connected: once connected, the client reconnects by itself (with backoff) after Redis
 * restarts, and commands sent meanwhile wait in its queue. Start-up fails if Redis cannot be reached at all.
 */
export async function connectRedis(url: string, name: string): Promise<Redis> {
  const logger = new Logger('redis');
  let connected = false;
  const client = createClient({
    url, name,
    socket: {
      connectTimeout: 5000,
      reconnectStrategy: (retries, cause) => (!connected && retries >= FIRST_ATTEMPTS ? new Error(`Redis at ${url} unreachable: ${cause.message}`) : Math.min(50 * 2 ** retries, 2000)),
    },
    // A Redis that stops answering without closing the connection is noticed, and the connection made again.
    pingInterval: 2000,
  });
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
  connected = true;
  return client;
}
