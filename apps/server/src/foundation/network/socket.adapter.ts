import { INestApplicationContext } from '@nestjs/common';
import { IoAdapter } from '@nestjs/platform-socket.io';
import type { IncomingMessage } from 'node:http';
import { Server, ServerOptions } from 'socket.io';

/**
 * The socket.io server's settings in one place: websocket transport only, bounded frames, and no connection-state
 * recovery (`subscribe` with `after_seq` is the one replay mechanism, so nothing can arrive twice).
 * A later step plugs the Redis adapter in here to run several nodes.
 */
export class SocketAdapter extends IoAdapter {
  constructor(app: INestApplicationContext, private readonly maxBytes: number, private readonly origins: string[] = []) {
    super(app);
  }

  createIOServer(port: number, options?: ServerOptions): Server {
    return super.createIOServer(port, {
      ...options,
      transports: ['websocket'],
      maxHttpBufferSize: this.maxBytes * 2,
      serveClient: false,
      // CORS does not cover websockets, so a browser page of any site could open one with a token it holds: only
      // the server's own origin and IOA_CORS_ORIGINS may. Clients outside a browser send no Origin and pass.
      allowRequest: (req: IncomingMessage, done: (err: string | null | undefined, ok: boolean) => void) =>
        done(null, this.allowedOrigin(req.headers.origin, req.headers.host)),
    });
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
