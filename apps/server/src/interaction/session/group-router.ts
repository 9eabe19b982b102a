import { ErrorCode } from '@ioa/protocol';
import { GroupStore } from '../../data/groups/group-store';
import { ApiError } from '../../foundation/http/api-error';
import { KeyedQueue } from '../../foundation/runtime/keyed-queue';
import { Metrics } from '../../foundation/metrics/metrics';
import type { Redis } from '../../foundation/cluster/redis';
import { Emitter } from '../../foundation/network/emitter.port';
import { Command, CommandOf, CommandType, ResultOf } from './commands';
import { Forwarding } from './forwarding';
import { GroupNotOpen } from './group-errors';

/**
 * The refusals of a group that is changing nodes (the command did not run): routed again, this often, for up to 5 s
 * (a busy node's takeover round may take seconds; a subscription whose last step gives up closes its socket).
 */
const MOVING = /is changing nodes/;
const MOVING_RETRY_MS = 200;
const MOVING_ATTEMPTS = 25;

/** What routing needs of the host. */
export interface RoutingHost {
  runs(groupId: string): boolean;
  releasing(): boolean;
  /** A takeover round. */
  adopt(): Promise<unknown>;
  runHere<K extends CommandType>(command: CommandOf<K> & { type: K }): Promise<ResultOf<K>>;
  /** A forwarded subscription's replay ended here (under the group's lock). */
  replayed(groupId: string, agentId: string, socketId: string): void;
}

/**
 * On several nodes, commands between a node and the node that runs their group. Out: finds the node running it
 * (taking the group first if nobody does) and forwards the command (`Forwarding`); the lookups of one group's commands
 * run one after another, so commands leave in the order they came (a client's messages too). In: runs a forwarded
 * command if this node runs its group, never passes it on (one hop).
 */
export class GroupRouter {
  private readonly routes = new KeyedQueue();
  private readonly forwarding: Forwarding;

  constructor(
    private readonly store: GroupStore,
    private readonly metrics: Metrics,
    private readonly holder: string,
    private readonly host: RoutingHost,
    transport: { redis: Redis; emitter: Emitter; timeoutMs: number },
  ) {
    this.forwarding = new Forwarding(transport.redis, holder, transport.timeoutMs, transport.emitter, (command) => this.runForwarded(command), (groupId, by, socketId) => {
      if (by.role === 'agent' || by.role === 'participant') host.replayed(groupId, by.id, socketId);
    });
  }

  start(): Promise<void> {
    return this.forwarding.start();
  }

  stop(): void {
    this.forwarding.stop();
  }

  async route<K extends CommandType>(command: CommandOf<K> & { type: K }): Promise<ResultOf<K>> {
    // A group changing nodes (taken, not yet loaded) is asked again for a moment: the command did not run.
    for (let attempt = 1; ; attempt++) {
      try {
        return await this.routeOnce<K>(command);
      } catch (e) {
        if (!(e instanceof ApiError && e.code === ErrorCode.UNAVAILABLE && MOVING.test(e.message)) || attempt >= MOVING_ATTEMPTS) throw e;
        await new Promise((resolve) => setTimeout(resolve, MOVING_RETRY_MS));
      }
    }
  }

  private async routeOnce<K extends CommandType>(command: CommandOf<K> & { type: K }): Promise<ResultOf<K>> {
    const out: { sent?: Promise<unknown> } = {};
    const here = await this.routes.run(command.group_id, async () => {
      let row = await this.store.get(command.group_id);
      if (!row || row.state === 'closed') throw new GroupNotOpen(command.group_id);
      if (row.heldBy === null) {
        // The next takeover round, waited for at most as long as routing retries: past it, asked again below.
        await Promise.race([this.host.adopt(), new Promise((resolve) => setTimeout(resolve, MOVING_RETRY_MS * MOVING_ATTEMPTS).unref())]);
        if (this.host.runs(command.group_id)) return true;
        row = (await this.store.get(command.group_id)) ?? row;
      }
      if (!row.heldBy || row.heldBy === this.holder) throw new ApiError(ErrorCode.UNAVAILABLE, `group ${command.group_id} is changing nodes; send again`);
      out.sent = this.forwarding.send(row.heldBy, command);
      return false;
    });
    if (here) return this.host.runHere<K>(command);
    try {
      const result = (await out.sent) as ResultOf<K>;
      this.metrics.forwarded.inc({ type: command.type, result: 'ok' });
      return result;
    } catch (e) {
      this.metrics.forwarded.inc({ type: command.type, result: e instanceof ApiError ? e.code : ErrorCode.INTERNAL });
      throw e;
    }
  }

  private runForwarded(command: Command): Promise<unknown> {
    if (this.host.releasing() || !this.host.runs(command.group_id)) {
      return Promise.reject(new ApiError(ErrorCode.UNAVAILABLE, `group ${command.group_id} is not run by the node it was sent to (it is changing nodes); send again`));
    }
    return this.host.runHere(command as CommandOf<CommandType> & { type: CommandType });
  }
}
