import { INestApplicationContext } from '@nestjs/common';
import { IoAdapter } from '@nestjs/platform-socket.io';
import { createAdapter } from '@socket.io/redis-streams-adapter';
import type { IncomingMessage } from 'node:http';
import { Server, ServerOptions } from 'socket.io';
import type { Redis } from '../cluster/redis';

/**
 * The socket.io server's settings in one place: websocket transport only, bounded frames, and no connection-state
 * recovery (`subscribe` with `after_seq` is the one replay mechanism, so nothing can arrive twice).
 * On several nodes, rooms span the cluster through socket.io's Redis Streams adapter: a stream (not pub/sub) lets a
 * node that lost Redis for a moment read on from where it stopped, so no delivery is lost to a short outage.
 */
export class SocketAdapter extends IoAdapter {
  constructor(app: INestApplicationContext, private readonly maxBytes: number, private readonly origins: string[] = [], private readonly redis: Redis | null = null) {
    super(app);
  }

  createIOServer(port: number, options?: ServerOptions): Server {
    const server: Server = super.createIOServer(port, {
      ...options,
      transports: ['websocket'],
      maxHttpBufferSize: this.maxBytes * 2,
      serveClient: false,
      // CORS does not cover websockets, so a browser page of any site could open one with a token it holds: only
      // the server's own origin and IOA_CORS_ORIGINS may. Clients outside a browser send no Origin and pass.
      allowRequest: (req: IncomingMessage, done: (err: string | null | undefined, ok: boolean) => void) =>
        done(null, this.allowedOrigin(req.headers.origin, req.headers.host)),
    });
    // Stream entries are trimmed at about 100,000: at 1,000 deliveries/s, a node may be away for over a minute.
    if (this.redis) server.adapter(createAdapter(this.redis, { streamName: 'ioa:socket.io', maxLen: 100_000 }));
    return server;
  }

  private allowedOrigin(origin: string | undefined, host: string | undefined): boolean {
    if (!origin) return true;
    if (this.origins.includes(origin)) return true;
    try {
      return new URL(origin).host === host;
    } catch {
      return false;
    }
  }
}
