import { Injectable } from '@nestjs/common';
import type { ServerEvents } from '@ioa/protocol';
import { Server } from 'socket.io';
import { ConfigService } from '../../foundation/config/config.service';
import { Emitter } from '../../foundation/network/emitter.port';
import { SessionEvents } from '../session/session-events';
import { OwedEvent, OwedEvents } from '../team-formation/owed-events';

/** The server-side event (between nodes, through the Redis adapter) asking for what an agent is owed. */
const OWED = 'ioa:owed';

/**
 * On several nodes, what an agent still owes an answer to lives with the nodes that run its groups: when its socket
 * connects, the node it connected to asks the others (socket.io's `serverSideEmit` over the Redis adapter), and each
 * sends the pending invites, turns and open tasks of the groups it runs straight to that socket. A subscription
 * replayed on the node that runs the group sends that group's turn and tasks the same way.
 */
@Injectable()
export class OwedElsewhere {
  private server: Server | null = null;

  constructor(private readonly owed: OwedEvents, private readonly emitter: Emitter, private readonly config: ConfigService, events: SessionEvents) {
    events.on('replayedElsewhere', (group, agentId, socketId) => this.send(socketId, this.owed.inGroup(agentId, group)));
  }

  attach(server: Server): void {
    if (!this.config.values.cluster) return;
    this.server = server;
    server.on(OWED, (agentId: string, socketId: string) => this.send(socketId, this.owed.inGroupsHere(agentId)));
  }

  /** Asks the other nodes to send the agent's socket what it is owed in their groups. */
  askOthers(agentId: string, socketId: string): void {
    this.server?.serverSideEmit(OWED, agentId, socketId);
  }

  private send(socketId: string, events: OwedEvent[]): void {
    for (const { event, payload } of events) (this.emitter.emit as (t: { rooms: string[] }, e: keyof ServerEvents, p: unknown) => void)({ rooms: [socketId] }, event, payload);
  }
}
