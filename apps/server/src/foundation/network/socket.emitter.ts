import { Injectable } from '@nestjs/common';
import type { ServerEvents } from '@ioa/protocol';
import { Server } from 'socket.io';
import { Emitter, Target } from './emitter.port';

/**
 * The Emitter over socket.io; the gateway attaches the server once it exists. On several nodes every delivery and room
 * change goes through the Redis Streams adapter, which publishes it to the stream first and applies it here after:
 * all of them keep one order, here and on every node. (So a subscription's last part, under its group's lock, goes
 * through here too: a socket's own `emit` or `join` would overtake deliveries still on their way to the stream.)
 */
@Injectable()
export class SocketEmitter extends Emitter {
  private server: Server | null = null;

  attach(server: Server): void {
    this.server = server;
  }

  emit<E extends keyof ServerEvents>(target: Target, event: E, ...args: Parameters<ServerEvents[E]>): void {
    if (!this.server || target.rooms.length === 0) return;
    let op = this.server.to(target.rooms);
    if (target.except?.length) op = op.except(target.except);
    op.emit(event, ...(args as unknown[]));
  }

  join(of: string, rooms: string[]): void {
    this.server?.in(of).socketsJoin(rooms);
  }

  leave(of: string, rooms: string[]): void {
    this.server?.in(of).socketsLeave(rooms);
  }

  disconnect(...rooms: string[]): void {
    if (rooms.length) this.server?.in(rooms).disconnectSockets(true);
  }
}
