import { ErrorCode } from '@ioa/protocol';
import { BeforeApplicationShutdown, Inject, Injectable, Logger, OnApplicationBootstrap, Optional, OnApplicationShutdown } from '@nestjs/common';
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
import { GroupSpec, newGroupRow } from './group-spec';
import { GroupMoved, GroupNotOpen } from './group-errors';
import { GroupRouter } from './group-router';
import { GroupTakeover } from './group-takeover';
import { Batch, GroupRead, LiveGroup } from './live-group';
import { SessionEngine } from './session-engine';
import { isSettled } from './task-book';
import { SessionEventMap, SessionEvents } from './session-events';

/** How long a graceful stop waits for a takeover round; after how long a node with no beat and no group is forgotten. */
const RELEASE_WAIT_MS = 5_000;
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
  private readonly handlers = new Map<CommandType, CommandHandler<CommandType>>();
  /** What this process records as its groups' holder and beats as: node id and boot id (see `NodeIdentity`). */
  readonly holder: string;
  /** Resolves once the open groups are loaded at start-up (timers and presence wait for it). */
  readonly loaded: Promise<void>;
  /** The same, as a flag (readiness). */
  isLoaded = false;
  private markLoaded: () => void = () => undefined;
  private readonly cluster: AppConfig['cluster'];
  private releasing = false;
  /** On several nodes: commands between this node and the nodes that run their groups. */
  private readonly router: GroupRouter | null;
  private readonly takeover: GroupTakeover;

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
    this.router = redis && this.cluster && emitter
      ? new GroupRouter(store, metrics, this.holder, {
        runs: (id) => this.live.has(id),
        releasing: () => this.releasing,
        adopt: () => this.adopt(),
        runHere: <K extends CommandType>(command: CommandOf<K> & { type: K }) => this.runHere<K>(command),
        replayed: (groupId, agentId, socketId) => {
          const group = this.live.get(groupId);
          if (group) this.tell('replayedElsewhere', groupId, group, agentId, socketId);
        },
      }, { redis, emitter, timeoutMs: this.cluster.forwardTimeoutMs })
      : null;
    const node = { id: config.values.nodeId, holder: this.holder, bootedAt: clock.now(), cluster: this.cluster };
    this.takeover = new GroupTakeover(store, clock, metrics, this.logger, node, this.live, {
      taken: (live) => this.notify(live, 'taken'),
      lost: (live, why) => this.lose(live, why),
      releasing: () => this.releasing,
    });
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

  /** How many open groups each agent is a member of (against its `max_concurrent_groups`), on every node. */
  memberships(): Map<string, number> {
    return this.takeover.memberships();
  }

  /**
   * Runs a command on its group under the group's lock; commits what it changed, then delivers in order. On several
   * nodes, a command for a group another node runs is forwarded to it, and a group this node lost (found at a refused
   * commit) is forwarded from then on.
   */
  async execute<K extends CommandType>(command: CommandOf<K> & { type: K }): Promise<ResultOf<K>> {
    if (this.releasing) throw new ApiError(ErrorCode.UNAVAILABLE, 'this node is shutting down; send again (to another node)');
    if (this.router && !this.live.has(command.group_id)) return this.router.route<K>(command);
    try {
      return await this.runHere<K>(command);
    } catch (e) {
      if (e instanceof GroupMoved && this.router) return this.router.route<K>(command);
      throw e;
    }
  }

  /** Runs a command on a group this node runs, under its lock; commits its batch unless the handler only reads. */
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
    if (this.router) {
      await this.router.start();
      this.logger.log(`one of several nodes, as ${this.holder}: commands for groups other nodes run are forwarded to them`);
    }
    // Beat before taking anything: a crash while loading must not leave a taken group with no heartbeat to measure from.
    await this.store.setAliveAt(this.holder, this.clock.now());
    const taken = await this.adopt();
    if (taken.length) this.logger.log(`resumed ${taken.length} open groups; their deadlines moved by their node's downtime (up to ${Math.max(...taken.map((t) => t.downtime))} ms)`);
    await this.store.forgetIdleNodes(this.holder, this.clock.now() - FORGET_NODES_AFTER_MS);
    this.markLoaded();
  }

  /** A takeover round (`GroupTakeover`): at start-up, on several nodes at every heartbeat (`next` false: none if one runs). */
  adopt(next = true): Promise<Array<{ id: string; downtime: number }>> {
    return this.takeover.adopt(next);
  }

  /**
   * Graceful shutdown on several nodes: refuses new commands, lets a takeover round (up to 5 s) and the steps under way
   * finish, and releases every group this node runs, so that another node takes them at once instead of after the lapse.
   */
  async release(): Promise<number> {
    this.releasing = true;
    for (const until = Date.now() + RELEASE_WAIT_MS; this.takeover.busy && Date.now() < until; ) await new Promise((resolve) => setTimeout(resolve, 20));
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

  /** On several nodes, a graceful stop hands the groups over before the sockets close (their clients move too). */
  async beforeApplicationShutdown(): Promise<void> {
    if (!this.cluster) return;
    const released = await this.release().catch((e: Error) => (this.logger.error(`releasing groups failed: ${e.message}`), 0));
    if (released) this.logger.log(`released ${released} open groups to the other nodes`);
    this.router?.stop();
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
    this.engine.endStep(live, batch);
    try {
      await this.store.commit(
        { group: live.row, created, decisionUnchanged: !batch.decisionChanged, messages: batch.messages, tasks: [...batch.tasks.values()], audit: batch.audit, checkpoints: batch.checkpoints, goals: batch.goals },
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
      await this.takeover.reload(live.row.id);
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
    this.tell(event, live.row.id, live);
  }

  /** Tells the followers of a group; a failing one is logged (the step stands). */
  private tell<E extends keyof SessionEventMap>(event: E, groupId: string, ...args: Parameters<SessionEventMap[E]>): void {
    try {
      this.events.emit(event, ...args);
    } catch (e) {
      this.logger.error(`group ${groupId}: a ${event} handler failed: ${(e as Error).stack ?? e}`);
    }
  }
}
