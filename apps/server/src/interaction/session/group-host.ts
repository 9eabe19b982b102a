import { ErrorCode } from '@ioa/protocol';
import { BeforeApplicationShutdown, Inject, Injectable, Logger, OnApplicationBootstrap, Optional, OnApplicationShutdown, Provider, Type } from '@nestjs/common';
import { GroupEntity } from '../../data/groups/group.entity';
import { FencedOff } from '../../data/groups/group-committer';
import { GroupStore } from '../../data/groups/group-store';
import { ApiError } from '../../foundation/http/api-error';
import { Redis, REDIS } from '../../foundation/cluster/redis';
import { Emitter } from '../../foundation/network/emitter.port';
import { AppConfig } from '../../foundation/config/config';
import { ConfigService } from '../../foundation/config/config.service';
import { Clock, IdGenerator } from '../../foundation/runtime/runtime.module';
import { KeyedQueue } from '../../foundation/runtime/keyed-queue';
import { Metrics } from '../../foundation/metrics/metrics';
import { Command, CommandHandler, CommandOf, CommandType, ResultOf } from './commands';
import { shiftDeadlines } from './deadlines';
import { Forwarding } from './forwarding';
import { GroupSpec, newGroupRow } from './group-spec';
import { Batch, GroupRead, LiveGroup, MESSAGE_IDS_KEPT } from './live-group';
import { SessionEngine } from './session-engine';
import { isSettled } from './task-book';
import { SessionEvents } from './session-events';
import { SESSION_MACHINE_VERSION } from './session.machine';

/** The refusals of a group that is changing nodes (the command did not run): routed again, this often, this many times. */
const MOVING = /is changing nodes/;
const MOVING_RETRY_MS = 200;
const MOVING_ATTEMPTS = 15;

/** A node that has not beaten for this long and holds no open group is forgotten. */
const FORGET_NODES_AFTER_MS = 60_000;

/**
 * Hosts the open groups of this node: the live map, one queue per group, loading at start-up, and the step cycle
 * (run one command's handler → commit its batch → deliver in order → tell the followers). It is the only place that
 * holds a `LiveGroup`; everyone else sends it commands (`commands.ts`) and reads `GroupRead`s.
 */
@Injectable()
export class GroupHost implements OnApplicationBootstrap, BeforeApplicationShutdown, OnApplicationShutdown {
  private readonly logger = new Logger('sessions');
  private readonly live = new Map<string, LiveGroup>();
  private readonly queue = new KeyedQueue();
  /** Per group, the lookups of commands forwarded to another node (they leave in the order they came). */
  private readonly routes = new KeyedQueue();
  private readonly handlers = new Map<CommandType, CommandHandler<CommandType>>();
  /**
   * What this process records as the holder of its groups and beats as: the node id plus a boot id, so that a node
   * restarting under the same id never overwrites the heartbeat its groups' downtime is measured from.
   */
  readonly holder: string;
  /** Resolves once the open groups are loaded at start-up (timers and presence wait for it). */
  readonly loaded: Promise<void>;
  /** The same, as a flag (readiness). */
  isLoaded = false;
  private markLoaded: () => void = () => undefined;
  private readonly cluster: AppConfig['cluster'];
  private readonly bootedAt: number;
  /** Groups whose snapshot this node cannot run, reported once each. */
  private readonly refused = new Set<string>();
  private releasing = false;
  /** On several nodes: how commands for groups another node runs reach it. */
  private readonly forwarding: Forwarding | null;
  private adopting = false;
  private clusterMemberships = new Map<string, number>();
  private readonly nodeId: string;

  constructor(
    private readonly store: GroupStore,
    private readonly engine: SessionEngine,
    private readonly clock: Clock,
    private readonly events: SessionEvents,
    ids: IdGenerator,
    config: ConfigService,
    private readonly metrics: Metrics,
    @Optional() @Inject(REDIS) redis: Redis | null = null,
    @Optional() @Inject(Emitter) emitter: Emitter | null = null,
  ) {
    this.holder = `${config.values.nodeId}/${ids.next().slice(0, 8)}`;
    this.cluster = config.values.cluster;
    this.nodeId = config.values.nodeId;
    this.bootedAt = clock.now();
    this.forwarding = redis && this.cluster && emitter
      ? new Forwarding(redis, this.holder, this.cluster.forwardTimeoutMs, emitter, (command) => this.runForwarded(command), (groupId, by, socketId) => {
        const group = this.live.get(groupId);
        if (group && by.role === 'agent') this.notifyReplayed(group, by.id, socketId);
      })
      : null;
    this.loaded = new Promise((resolve) => (this.markLoaded = resolve));
    void this.loaded.then(() => (this.isLoaded = true));
    metrics.gauge('ioa_open_groups', 'Open groups this node runs, by session state', ['state'], () => {
      const byState = new Map<string, number>();
      for (const g of this.live.values()) byState.set(g.state, (byState.get(g.state) ?? 0) + 1);
      return [...byState].map(([state, n]) => [{ state }, n]);
    });
  }

  /** Handlers register themselves when their module starts (team formation's live in its own module). */
  register<K extends CommandType>(handler: CommandHandler<K>): void {
    if (this.handlers.has(handler.type)) throw new Error(`two handlers for ${handler.type}`);
    this.handlers.set(handler.type, handler as unknown as CommandHandler<CommandType>);
  }

  /** Whether this node is one of several (`IOA_REDIS_URL`). */
  get clustered(): boolean {
    return this.cluster !== null;
  }

  get(id: string): GroupRead | undefined {
    return this.live.get(id);
  }

  isOpen(id: string): boolean {
    return this.live.has(id);
  }

  /** Whether the group is open on any node: run here, or (on several nodes) stored open and run elsewhere. */
  async isOpenAnywhere(id: string): Promise<boolean> {
    if (this.live.has(id)) return true;
    if (!this.cluster) return false;
    const row = await this.store.get(id);
    return !!row && row.state !== 'closed';
  }

  /** Every open group of this node. */
  groups(): IterableIterator<GroupRead> {
    return this.live.values();
  }

  /**
   * How many open groups each agent is a member of (against its `max_concurrent_groups`): this node's, or on several
   * nodes every node's as read from the database at the last heartbeat.
   */
  memberships(): Map<string, number> {
    if (this.cluster) return this.clusterMemberships;
    const counts = new Map<string, number>();
    for (const group of this.live.values()) for (const m of group.members) counts.set(m, (counts.get(m) ?? 0) + 1);
    return counts;
  }

  /**
   * Runs a command on its group under the group's lock; commits what it changed, then delivers in order. On several
   * nodes, a command for a group another node runs is forwarded to it, and a group this node lost (found at a refused
   * commit) is forwarded from then on.
   */
  async execute<K extends CommandType>(command: CommandOf<K> & { type: K }): Promise<ResultOf<K>> {
    if (this.releasing) throw new ApiError(ErrorCode.UNAVAILABLE, 'this node is shutting down; send again (to another node)');
    if (this.forwarding && !this.live.has(command.group_id)) return this.route<K>(command);
    try {
      return await this.runHere<K>(command);
    } catch (e) {
      if (e instanceof GroupMoved && this.forwarding) return this.route<K>(command);
      throw e;
    }
  }

  /** A command another node forwarded: run here if this node runs the group, never passed on (one hop). */
  private runForwarded(command: Command): Promise<unknown> {
    if (this.releasing || !this.live.has(command.group_id)) {
      return Promise.reject(new ApiError(ErrorCode.UNAVAILABLE, `group ${command.group_id} is not run by the node it was sent to (it is changing nodes); send again`));
    }
    return this.runHere(command as CommandOf<CommandType> & { type: CommandType });
  }

  /**
   * Finds the node running the group (taking it first if nobody does) and sends it the command. The lookups of one
   * group's commands run one after another, so commands leave in the order they came (a client's messages too).
   */
  private async route<K extends CommandType>(command: CommandOf<K> & { type: K }): Promise<ResultOf<K>> {
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
        await this.adopt();
        if (this.live.has(command.group_id)) return true;
        row = (await this.store.get(command.group_id)) ?? row;
      }
      if (!row.heldBy || row.heldBy === this.holder) throw new ApiError(ErrorCode.UNAVAILABLE, `group ${command.group_id} is changing nodes; send again`);
      out.sent = this.forwarding!.send(row.heldBy, command);
      return false;
    });
    if (here) return this.runHere<K>(command);
    try {
      const result = (await out.sent) as ResultOf<K>;
      this.metrics.forwarded.inc({ type: command.type, result: 'ok' });
      return result;
    } catch (e) {
      this.metrics.forwarded.inc({ type: command.type, result: e instanceof ApiError ? e.code : ErrorCode.INTERNAL });
      throw e;
    }
  }

  private runHere<K extends CommandType>(command: CommandOf<K> & { type: K }): Promise<ResultOf<K>> {
    return this.queue.run(command.group_id, async () => {
      const live = this.live.get(command.group_id);
      if (!live) throw new GroupNotOpen(command.group_id);
      const batch = new Batch();
      const result = await this.handle(live, batch, command);
      if (!this.handlers.get(command.type)?.readOnly) await this.commit(live, batch);
      return result;
    });
  }

  /**
   * Creates a group and its machine, in one step with `first` (team formation's first step) if given. Without
   * `forming` the group opens in `discussion` at once: goal posted, the coordinator's turn.
   */
  async create<K extends CommandType>(spec: GroupSpec, first?: CommandOf<K> & { type: K }): Promise<{ group: GroupRead; first?: ResultOf<K> }> {
    if (this.releasing) throw new ApiError(ErrorCode.UNAVAILABLE, 'this node is shutting down; send again (to another node)');
    const row = newGroupRow(spec, this.clock.now(), this.holder);
    const live = new LiveGroup(row, new Map(), { input: { coordinator: spec.coordinator, members: spec.members, maxTurns: row.maxTurns, forming: !!spec.forming } });
    this.live.set(row.id, live);
    const out = await this.queue.run(row.id, async () => {
      const batch = new Batch();
      this.engine.audit(batch, spec.createdBy, 'group_created', row.id, { coordinator: spec.coordinator, members: spec.members, forming: !!spec.forming });
      const result = first ? await this.handle(live, batch, first) : undefined;
      if (!spec.forming) this.engine.open(live, batch);
      batch.decisionChanged = true;
      await this.commit(live, batch, true);
      return result;
    }).catch((e) => {
      this.live.delete(row.id);
      throw e;
    });
    return { group: live, first: out };
  }

  /** Beats, takes the open groups this node may run, then says the host is loaded (timers and presence wait for it). */
  async onApplicationBootstrap(): Promise<void> {
    if (this.forwarding) {
      await this.forwarding.start();
      this.logger.log(`one of several nodes, as ${this.holder}: commands for groups other nodes run are forwarded to them`);
    }
    // Beat before taking anything: a crash while loading must not leave a taken group with no heartbeat to measure from.
    await this.store.setAliveAt(this.holder, this.clock.now());
    const taken = await this.adopt();
    if (taken.length) this.logger.log(`resumed ${taken.length} open groups; their deadlines moved by their node's downtime (up to ${Math.max(...taken.map((t) => t.downtime))} ms)`);
    await this.store.forgetIdleNodes(this.holder, this.clock.now() - FORGET_NODES_AFTER_MS);
    this.markLoaded();
  }

  /**
   * Takes the open groups this node may run and loads them: at start-up, and on several nodes at every heartbeat.
   * On one node, every open group. On several, those of earlier boots of this node's `IOA_NODE_ID`, those released by
   * a node that shut down, and those whose node stopped beating more than `IOA_NODE_LAPSE_S` ago; a group another
   * node runs is left to it. Each is taken by compare and set on its fencing token, which grows by one: of two nodes
   * taking a group one wins, and the node that held it can no longer commit to it. Its deadlines move by the downtime
   * of that node (time nobody ran the group counts against nobody).
   */
  async adopt(): Promise<Array<{ id: string; downtime: number }>> {
    if (this.releasing || this.adopting) return [];
    this.adopting = true;
    try {
      return await this.takeFree();
    } finally {
      this.adopting = false;
    }
  }

  private async takeFree(): Promise<Array<{ id: string; downtime: number }>> {
    if (this.cluster) this.clusterMemberships = await this.store.openMemberships();
    const now = this.clock.now();
    const alive = await this.store.lastAlive();
    const lapseMs = this.cluster ? this.cluster.nodeLapseS * 1000 : null;
    const taken: Array<{ id: string; downtime: number }> = [];
    for (const seen of await this.store.openGroups()) {
      const mine = this.live.get(seen.id);
      if (mine) {
        // Taken from this node while it was paused or cut off, and not yet found out at a commit: let go now.
        // (Numbers compared as numbers: TypeORM may leave PostgreSQL's bigint on the row as a string after a write.)
        if (this.cluster && (seen.heldBy !== this.holder || Number(seen.fence) !== Number(mine.row.fence))) this.lose(mine, `${seen.heldBy} holds it now (fencing token ${seen.fence})`);
        continue;
      }
      if (!this.runnable(seen)) continue;
      const beat = alive.get(seen.heldBy);
      if (lapseMs !== null && !this.free(seen.heldBy, beat, now, lapseMs)) continue;
      try {
        const downtime = await this.takeOne(seen, beat, now);
        if (downtime !== null) taken.push({ id: seen.id, downtime });
      } catch (e) {
        // One group that cannot be loaded must not keep this node from taking the others.
        this.logger.error(`group ${seen.id}: taking it failed: ${(e as Error).message}`);
      }
    }
    return taken;
  }

  /**
   * Whether a group's holder lets it go: none (released), lapsed, or an earlier boot of this node's own id (one that
   * has not beaten since this boot started: a second live process given the same id is left alone).
   */
  private free(holder: string | null, beat: number | undefined, now: number, lapseMs: number): boolean {
    if (holder === null || beat === undefined || now - beat > lapseMs) return true;
    return holder.startsWith(`${this.nodeId}/`) && holder !== this.holder && beat < this.bootedAt;
  }

  /** Takes one group by compare and set on its token and loads it; null if another node was faster. */
  private async takeOne(seen: GroupEntity, beat: number | undefined, now: number): Promise<number | null> {
    const token = await this.store.take(seen.id, seen.fence, this.holder);
    if (token === null) return null;
    // Read again once taken: a step its old holder committed after the first read is part of it now.
    const row = await this.store.get(seen.id);
    if (!row || row.state === 'closed' || this.releasing) return null;
    const live = await this.load(row);
    // On several nodes a group without a holder was released, handed over at once: nobody was down. (On one node it
    // was stored before holders were recorded, and the old server-wide heartbeat measures its downtime.)
    const downtime = this.cluster && seen.heldBy === null ? 0 : Math.max(0, now - (beat ?? now));
    shiftDeadlines(live.row, live.tasks.values(), downtime);
    Object.assign(live.row, { heldBy: this.holder, fence: token });
    await this.store.commit({ group: live.row, tasks: [...live.tasks.values()] }, { token });
    this.live.set(row.id, live);
    if (this.cluster && seen.heldBy) {
      this.metrics.takeovers.inc();
      this.logger.log(`group ${row.id}: taken over from ${seen.heldBy} (fencing token ${token}), deadlines moved by ${downtime} ms`);
    }
    this.notify(live, 'taken');
    return downtime;
  }

  /**
   * Graceful shutdown on several nodes: refuses new commands, lets a takeover and the steps under way finish, and
   * releases every group this node runs, so that another node takes them at once instead of after the lapse.
   */
  async release(): Promise<number> {
    this.releasing = true;
    while (this.adopting) await new Promise((resolve) => setTimeout(resolve, 20));
    await Promise.all([...this.live.keys()].map((id) => this.queue.run(id, async () => undefined)));
    const released = await this.store.release(this.holder);
    for (const live of this.live.values()) live.actor.stop();
    this.live.clear();
    return released;
  }

  /** Whether this node is handing its groups over (shutting down). */
  get isReleasing(): boolean {
    return this.releasing;
  }

  /** Whether this node can run the group's snapshot (a rolling upgrade leaves newer snapshots to newer nodes). */
  private runnable(row: GroupEntity): boolean {
    if (row.machineVersion === SESSION_MACHINE_VERSION) return true;
    if (!this.refused.has(row.id)) {
      this.refused.add(row.id);
      this.logger.error(`group ${row.id}: snapshot of machine version ${row.machineVersion} (this server runs ${SESSION_MACHINE_VERSION}) refused; the group stays unloaded here`);
    }
    return false;
  }

  /** On several nodes, a graceful stop hands the groups over before the sockets close (their clients move too). */
  async beforeApplicationShutdown(): Promise<void> {
    if (!this.cluster) return;
    const released = await this.release().catch((e: Error) => (this.logger.error(`releasing groups failed: ${e.message}`), 0));
    if (released) this.logger.log(`released ${released} open groups to the other nodes`);
    this.forwarding?.stop();
  }

  async onApplicationShutdown(): Promise<void> {
    for (const live of this.live.values()) live.actor.stop();
  }

  private handle<K extends CommandType>(live: LiveGroup, batch: Batch, command: CommandOf<K>): ResultOf<K> | Promise<ResultOf<K>> {
    const handler = this.handlers.get(command.type);
    if (!handler) throw new Error(`no handler for ${command.type}`);
    return handler.handle(live, batch, command as Command as never) as ResultOf<K>;
  }

  /** Stores the step (the machine's snapshot with it), then delivers in order and tells the followers. */
  private async commit(live: LiveGroup, batch: Batch, created = false): Promise<void> {
    this.engine.snapshotIntoRow(live);
    try {
      await this.store.commit(
        { group: live.row, created, decisionUnchanged: !batch.decisionChanged, messages: batch.messages, tasks: [...batch.tasks.values()], audit: batch.audit, goals: batch.goals },
        { token: Number(live.row.fence) },
      );
    } catch (e) {
      if (e instanceof FencedOff) {
        // Another node took the group (this one was paused or cut off past the lapse): nothing of the step was
        // stored; the group is that node's now.
        this.logger.warn(`group ${live.row.id}: ${e.message}; dropped here, forwarded from now on`);
        this.drop(live);
        throw new GroupMoved(live.row.id);
      }
      // The in-memory group ran ahead of what was stored: reload it from the database rather than diverge.
      this.logger.error(`group ${live.row.id}: commit failed, reloading: ${(e as Error).message}`);
      await this.reload(live.row.id);
      throw e;
    }
    this.count(batch);
    for (const deliver of batch.deliveries) deliver();
    for (const after of batch.afterDeliveries) after();
    const closed = live.row.state === 'closed';
    if (closed) {
      live.actor.stop();
      this.live.delete(live.row.id);
    }
    // The step is stored and delivered: a failing follower is logged, never turned into a refusal of the step.
    this.notify(live, 'committed');
    if (closed) this.notify(live, 'closed');
  }

  private count(batch: Batch): void {
    for (const m of batch.messages) this.metrics.messages.inc({ type: m.type });
    const now = this.clock.now();
    for (const t of batch.tasks.values()) if (isSettled(t)) this.metrics.tasks.observe({ state: t.state }, (now - t.createdAt) / 1000);
  }

  private notifyReplayed(group: LiveGroup, agentId: string, socketId: string): void {
    try {
      this.events.emit('replayedElsewhere', group, agentId, socketId);
    } catch (e) {
      this.logger.error(`group ${group.row.id}: a replayedElsewhere handler failed: ${(e as Error).stack ?? e}`);
    }
  }

  private lose(live: LiveGroup, why: string): void {
    this.logger.warn(`group ${live.row.id}: another node took it (${why}); dropped here, forwarded from now on`);
    this.drop(live);
  }

  private drop(live: LiveGroup): void {
    live.actor.stop();
    this.live.delete(live.row.id);
    this.notify(live, 'lost');
  }

  private notify(live: LiveGroup, event: 'committed' | 'closed' | 'taken' | 'lost'): void {
    try {
      this.events.emit(event, live);
    } catch (e) {
      this.logger.error(`group ${live.row.id}: a ${event} handler failed: ${(e as Error).stack ?? e}`);
    }
  }

  private async reload(groupId: string): Promise<void> {
    this.live.get(groupId)?.actor.stop();
    this.live.delete(groupId);
    const row = await this.store.get(groupId);
    if (!row || row.state === 'closed' || !row.snapshot) return;
    this.live.set(groupId, await this.load(row));
  }

  /** An open group from its stored row, with its tasks and the ids of its messages. */
  private async load(row: GroupEntity): Promise<LiveGroup> {
    const tasks = new Map((await this.store.tasksOf(row.id)).map((t) => [t.id, t]));
    const live = new LiveGroup(row, tasks, { snapshot: row.snapshot });
    live.knowMessageIds(await this.store.messageIds(row.id, MESSAGE_IDS_KEPT + 1));
    return live;
  }
}

/** The group is closed, unknown, or (on one node) not run here. */
export class GroupNotOpen extends ApiError {
  constructor(groupId: string) {
    super(ErrorCode.NOT_FOUND, `open group ${groupId} not found`);
  }
}

/** A step refused by fencing: the group runs on another node now (the command is forwarded there). */
class GroupMoved extends ApiError {
  constructor(groupId: string) {
    super(ErrorCode.UNAVAILABLE, `group ${groupId} moved to another node; send again`);
  }
}

/** A provider that registers a module's command handlers with the host as the module is built. */
export function registerHandlers(token: string, handlers: Array<Type<CommandHandler<CommandType>>>): Provider {
  return {
    provide: token,
    inject: [GroupHost, ...handlers],
    useFactory: (host: GroupHost, ...instances: Array<CommandHandler<CommandType>>) => {
      for (const h of instances) host.register(h);
      return instances.map((h) => h.type);
    },
  };
}
