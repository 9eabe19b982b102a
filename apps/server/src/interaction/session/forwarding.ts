import { Logger } from '@nestjs/common';
import { ErrorBody, ErrorCode, GroupState } from '@ioa/protocol';
import { ApiError } from '../../foundation/http/api-error';
import { toApiError } from '../../foundation/http/error.filter';
import type { Redis } from '../../foundation/cluster/redis';
import { Emitter } from '../../foundation/network/emitter.port';
import type { Principal } from '../../foundation/security/principal';
import { Command, SubscriptionSink } from './commands';

/** A command as it travels between nodes: data only (a subscription's sink becomes the id of its socket). */
export type WireCommand = Exclude<Command, { type: 'subscribe' }> | (Omit<Extract<Command, { type: 'subscribe' }>, 'sink'> & { socket_id: string });

interface Request {
  id: string;
  from: string;
  command: WireCommand;
}

type Reply = { id: string; ok: true; result: unknown } | { id: string; ok: false; error: ErrorBody };

const channel = {
  commands: (holder: string) => `ioa:commands:${holder}`,
  replies: (holder: string) => `ioa:replies:${holder}`,
};

/**
 * Carries a command for a group to the node that runs it, and its answer back: Redis pub/sub, one channel per node
 * (per boot) for requests and one for replies. At most once on purpose: a command lost with a node, or answered after
 * the sender gave up, is sent again by its client with the same `message_id`, and the owner answers a resend with the
 * original ack; a durable queue (a stream) would only add commands executed long after their sender stopped waiting.
 * One hop: a node that does not run the group it is asked about answers `UNAVAILABLE` rather than pass it on.
 */
export class Forwarding {
  private readonly logger = new Logger('forwarding');
  private readonly waiting = new Map<string, { done: (reply: Reply) => void; timer: NodeJS.Timeout }>();
  private subscriber: Redis | null = null;
  private next = 0;

  constructor(
    private readonly redis: Redis,
    private readonly holder: string,
    private readonly timeoutMs: number,
    private readonly emitter: Emitter,
    /** Runs a forwarded command here, or refuses it if this node does not run its group. */
    private readonly run: (command: Command) => Promise<unknown>,
    /** A forwarded subscription's replay ended (under the group's lock). */
    private readonly replayed: (groupId: string, by: Principal, socketId: string) => void,
  ) {}

  async start(): Promise<void> {
    const subscriber = this.redis.duplicate();
    subscriber.on('error', () => undefined); // the client reconnects and subscribes again by itself
    await subscriber.connect();
    await subscriber.subscribe(channel.commands(this.holder), (text) => void this.serve(JSON.parse(text) as Request));
    await subscriber.subscribe(channel.replies(this.holder), (text) => this.answered(JSON.parse(text) as Reply));
    this.subscriber = subscriber;
  }

  stop(): void {
    this.subscriber?.destroy();
    for (const [id, { done, timer }] of this.waiting) {
      clearTimeout(timer);
      done({ id, ok: false, error: new ApiError(ErrorCode.UNAVAILABLE, 'this node is shutting down; send again').toBody() });
    }
  }

  /** Sends `command` to the node `holder` and resolves with its result (or rejects with its error, code unchanged). */
  send(holder: string, command: Command): Promise<unknown> {
    const id = `${this.holder}#${++this.next}`;
    const request: Request = { id, from: this.holder, command: toWire(command) };
    return new Promise<Reply>((resolve) => {
      const timer = setTimeout(() => {
        this.waiting.delete(id);
        resolve({ id, ok: false, error: new ApiError(ErrorCode.UNAVAILABLE, `the node running group ${command.group_id} did not answer in ${this.timeoutMs} ms; send again`).toBody() });
      }, this.timeoutMs);
      this.waiting.set(id, { done: resolve, timer });
      this.redis.publish(channel.commands(holder), JSON.stringify(request)).then(
        (receivers) => receivers === 0 && this.settle({ id, ok: false, error: new ApiError(ErrorCode.UNAVAILABLE, `the node running group ${command.group_id} is not reachable; send again`).toBody() }),
        (e: Error) => this.settle({ id, ok: false, error: new ApiError(ErrorCode.UNAVAILABLE, `forwarding failed (${e.message}); send again`).toBody() }),
      );
    }).then((reply) => {
      if (reply.ok) return reply.result;
      throw new ApiError(reply.error.code, reply.error.message, reply.error.fields);
    });
  }

  private async serve(request: Request): Promise<void> {
    let reply: Reply;
    try {
      reply = { id: request.id, ok: true, result: (await this.run(this.fromWire(request.command))) ?? null };
    } catch (e) {
      const error = toApiError(e);
      if (error.code === ErrorCode.INTERNAL) this.logger.error(`forwarded ${request.command.type} for group ${request.command.group_id}: ${(e as Error).stack ?? e}`);
      reply = { id: request.id, ok: false, error: error.toBody() };
    }
    await this.redis.publish(channel.replies(request.from), JSON.stringify(reply)).catch((e: Error) => this.logger.warn(`reply to ${request.from} lost: ${e.message}`));
  }

  private answered(reply: Reply): void {
    this.settle(reply);
  }

  private settle(reply: Reply): void {
    const waiting = this.waiting.get(reply.id);
    if (!waiting) return;
    clearTimeout(waiting.timer);
    this.waiting.delete(reply.id);
    waiting.done(reply);
  }

  /** A subscription asked on another node: its replay's end is written to that socket through the rooms' adapter. */
  private fromWire(command: WireCommand): Command {
    if (command.type !== 'subscribe') return command;
    const { socket_id: socketId, ...rest } = command;
    const sink = remoteSink(this.emitter, socketId, command.group_id);
    return {
      ...rest,
      sink: { ...sink, replayed: (upToSeq, state) => (sink.replayed(upToSeq, state), this.replayed(command.group_id, command.by, socketId)) },
    };
  }
}

function toWire(command: Command): WireCommand {
  if (command.type !== 'subscribe') return command;
  const { sink, ...rest } = command;
  if (!sink.socketId) throw new Error('a subscription without a socket cannot be forwarded');
  return { ...rest, socket_id: sink.socketId };
}

/**
 * A socket on another node as a subscription's sink: every socket is in a room named by its id, and the adapter
 * carries what is sent there, in order with the group's own deliveries from this node.
 */
function remoteSink(emitter: Emitter, socketId: string, groupId: string): SubscriptionSink {
  return {
    socketId,
    join: (rooms) => emitter.join(socketId, rooms),
    ack: () => undefined, // acked by the node the socket is on, before the replay
    send: (envelope) => emitter.emit({ rooms: [socketId] }, 'message', envelope),
    drained: async () => undefined,
    replayed: (upToSeq: number, state: GroupState) => emitter.emit({ rooms: [socketId] }, 'replayed', { group_id: groupId, up_to_seq: upToSeq, state }),
  };
}
