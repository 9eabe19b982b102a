import { Injectable } from '@nestjs/common';
import type { ServerEvents } from '@ioa/protocol';
import { Server } from 'socket.io';
import { Emitter, Target } from './emitter.port';

/** The Emitter over socket.io; the gateway attaches the server once it exists. */
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

  leave(of: string, rooms: string[]): void {
    this.server?.in(of).socketsLeave(rooms);
  }

  disconnect(...rooms: string[]): void {
    if (rooms.length) this.server?.in(rooms).disconnectSockets(true);
  }
}
