import { Injectable } from '@nestjs/common';
import type { ServerEvents } from '@ioa/protocol';
import { Server } from 'socket.io';
import { ConfigService } from '../config/config.service';
import { Emitter, Target } from './emitter.port';

/** The server-side event (between nodes, over the Redis adapter) that carries a delivery to the other nodes. */
const DELIVER = 'ioa:deliver';
/** The same for a change of rooms (a socket on another node joining a group's rooms at the end of its replay). */
const ROOMS = 'ioa:rooms';

/**
 * The Emitter over socket.io; the gateway attaches the server once it exists.
 *
 * On several nodes, a delivery goes to this node's sockets at once (`server.local`) and to the other nodes as a
 * server-side event that each delivers to its own sockets. Not through a plain `to(room).emit()`: the cluster adapter
 * delivers a broadcast locally only after its round trip to Redis, while a socket's own replay (`socket.emit`) and
 * its joining of rooms take effect at once; a subscription could then see a message in its replay and again live.
 * Both paths keep order: locally by call order, between nodes by the order of the adapter's stream.
 */
@Injectable()
export class SocketEmitter extends Emitter {
  private server: Server | null = null;
  private readonly clustered: boolean;

  constructor(config: ConfigService) {
    super();
    this.clustered = !!config.values.cluster;
  }

  attach(server: Server): void {
    this.server = server;
    if (!this.clustered) return;
    server.on(DELIVER, (target: Target, event: keyof ServerEvents, args: unknown[]) => this.local(target, event, args));
    server.on(ROOMS, (change: 'join' | 'leave', of: string, rooms: string[]) => this.rooms(change, of, rooms, true));
  }

  emit<E extends keyof ServerEvents>(target: Target, event: E, ...args: Parameters<ServerEvents[E]>): void {
    if (!this.server || target.rooms.length === 0) return;
    this.local(target, event, args);
    if (this.clustered) this.server.serverSideEmit(DELIVER, target, event, args);
  }

  private local(target: Target, event: keyof ServerEvents, args: unknown[]): void {
    if (!this.server) return;
    let op = (this.clustered ? this.server.local : this.server).to(target.rooms);
    if (target.except?.length) op = op.except(target.except);
    op.emit(event, ...(args as []));
  }

  join(of: string, rooms: string[]): void {
    this.rooms('join', of, rooms);
  }

  leave(of: string, rooms: string[]): void {
    this.rooms('leave', of, rooms);
  }

  /** Joins or leaves rooms here at once and on the other nodes in order with the deliveries (see the class). */
  private rooms(change: 'join' | 'leave', of: string, rooms: string[], fromOtherNode = false): void {
    if (!this.server) return;
    const sockets = (this.clustered ? this.server.local : this.server).in(of);
    if (change === 'join') sockets.socketsJoin(rooms);
    else sockets.socketsLeave(rooms);
    if (this.clustered && !fromOtherNode) this.server.serverSideEmit(ROOMS, change, of, rooms);
  }

  disconnect(...rooms: string[]): void {
    if (rooms.length) this.server?.in(rooms).disconnectSockets(true);
  }
}
