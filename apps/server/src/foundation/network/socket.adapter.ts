import { INestApplicationContext } from '@nestjs/common';
import { IoAdapter } from '@nestjs/platform-socket.io';
import { Server, ServerOptions } from 'socket.io';

/**
 * The socket.io server's settings in one place: websocket transport only, bounded frames, and no connection-state
 * recovery (`subscribe` with `after_seq` is the one replay mechanism, so nothing can arrive twice).
 * A later step plugs the Redis adapter in here to run several nodes.
 */
export class SocketAdapter extends IoAdapter {
  constructor(app: INestApplicationContext, private readonly maxBytes: number) {
    super(app);
  }

  createIOServer(port: number, options?: ServerOptions): Server {
    return super.createIOServer(port, {
      ...options,
      transports: ['websocket'],
      maxHttpBufferSize: this.maxBytes * 2,
      serveClient: false,
    });
  }
}
