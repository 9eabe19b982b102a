import { Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown, Provider, Type } from '@nestjs/common';
import { GroupEntity } from '../../data/groups/group.entity';
import { GroupStore } from '../../data/groups/group-store';
import { ApiError } from '../../foundation/http/api-error';
import { AppConfig } from '../../foundation/config/config';
import { ConfigService } from '../../foundation/config/config.service';
import { Clock, IdGenerator } from '../../foundation/runtime/runtime.module';
import { KeyedQueue } from '../../foundation/runtime/keyed-queue';
import { Metrics } from '../../foundation/metrics/metrics';
import { Command, CommandHandler, CommandOf, CommandType, ResultOf } from './commands';
import { shiftDeadlines } from './deadlines';
import { GroupSpec, newGroupRow } from './group-spec';
import { Batch, GroupRead, LiveGroup, MESSAGE_IDS_KEPT } from './live-group';
import { SessionEngine } from './session-engine';
import { SessionEvents } from './session-events';
import { SESSION_MACHINE_VERSION } from './session.machine';

const SETTLED = new Set(['completed', 'failed', 'canceled']);

/** A node that has not beaten for this long and holds no open group is forgotten. */
const FORGET_NODES_AFTER_MS = 60_000;

/**
 * Hosts the open groups of this node: the live map, one queue per group, loading at start-up, and the step cycle
 * (run one command's handler → commit its batch → deliver in order → tell the followers). It is the only place that
 * holds a `LiveGroup`; everyone else sends it commands (`commands.ts`) and reads `GroupRead`s.
 */
@Injectable()
export class GroupHost implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('sessions');
  private readonly live = new Map<string, LiveGroup>();
  private readonly queue = new KeyedQueue();
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
  private readonly nodeId: string;

  constructor(
    private readonly store: GroupStore,
    private readonly engine: SessionEngine,
    private readonly clock: Clock,
    private readonly events: SessionEvents,
    ids: IdGenerator,
    config: ConfigService,
    private readonly metrics: Metrics,
  ) {
    this.holder = `${config.values.nodeId}/${ids.next().slice(0, 8)}`;
    this.cluster = config.values.cluster;
    this.nodeId = config.values.nodeId;
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

  /** Every open group of this node. */
  groups(): IterableIterator<GroupRead> {
    return this.live.values();
  }

  /** How many open groups of this node each agent is a member of (against its `max_concurrent_groups`). */
  memberships(): Map<string, number> {
    const counts = new Map<string, number>();
    for (const group of this.live.values()) for (const m of group.members) counts.set(m, (counts.get(m) ?? 0) + 1);
    return counts;
  }

  /** Runs a command on its group under the group's lock; commits what it changed, then delivers in order. */
  execute<K extends CommandType>(command: CommandOf<K> & { type: K }): Promise<ResultOf<K>> {
    return this.queue.run(command.group_id, async () => {
      const live = this.live.get(command.group_id);
      if (!live) throw ApiError.notFound('open group', command.group_id);
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
    const row = newGroupRow(spec, this.clock.now(), this.holder);
    const live = new LiveGroup(row, new Map(), { input: { coordinator: spec.coordinator, members: spec.members, maxTurns: row.maxTurns, forming: !!spec.forming } });
    this.live.set(row.id, live);
    const out = await this.queue.run(row.id, async () => {
      const batch = new Batch();
      this.engine.audit(batch, spec.createdBy, 'group_created', row.id, { coordinator: spec.coordinator, members: spec.members, forming: !!spec.forming });
      const result = first ? await this.handle(live, batch, first) : undefined;
      if (!spec.forming) this.engine.open(live, batch);
      batch.decisionChanged = true;
      await this.commit(live, batch);
      return result;
    }).catch((e) => {
      this.live.delete(row.id);
      throw e;
    });
    return { group: live, first: out };
  }

  /**
   * Loads every open group this node can run and takes it: its deadlines move by the downtime of the node that held
   * it (time nobody ran the group counts against nobody), stored with this node as its holder. On several nodes, only
   * the groups whose holder stopped beating more than `IOA_NODE_LAPSE_S` ago, each taken by compare and set: a group
   * another node runs is left to it, its deadlines untouched.
   */
  async onApplicationBootstrap(): Promise<void> {
    const now = this.clock.now();
    const alive = await this.store.lastAlive();
    // Beat before taking anything: a crash while loading must not leave a taken group with no heartbeat to measure from.
    await this.store.setAliveAt(this.holder, now);
    const lapseMs = this.cluster ? this.cluster.nodeLapseS * 1000 : null;
    let longest = 0;
    for (const row of await this.store.openGroups()) {
      if (row.machineVersion !== SESSION_MACHINE_VERSION) {
        this.logger.error(`group ${row.id}: snapshot of machine version ${row.machineVersion} (this server runs ${SESSION_MACHINE_VERSION}) refused; the group stays unloaded`);
        continue;
      }
      // A group held by an earlier boot of this node (same IOA_NODE_ID) is this node's again at once.
      const mine = row.heldBy?.startsWith(`${this.nodeId}/`);
      const beat = alive.get(row.heldBy);
      if (lapseMs !== null && !mine && beat !== undefined && now - beat <= lapseMs) continue;
      if (lapseMs !== null && !(await this.store.take(row.id, row.heldBy, this.holder))) continue;
      const live = await this.load(row);
      const downtime = Math.max(0, now - (alive.get(row.heldBy) ?? now));
      shiftDeadlines(live.row, live.tasks.values(), downtime);
      live.row.heldBy = this.holder;
      await this.store.commit({ group: live.row, tasks: [...live.tasks.values()] }, { holder: this.holder });
      this.live.set(row.id, live);
      longest = Math.max(longest, downtime);
    }
    if (this.live.size) this.logger.log(`resumed ${this.live.size} open groups; their deadlines moved by their node's downtime (up to ${longest} ms)`);
    await this.store.forgetIdleNodes(this.holder, now - FORGET_NODES_AFTER_MS);
    this.markLoaded();
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
  private async commit(live: LiveGroup, batch: Batch): Promise<void> {
    this.engine.snapshotIntoRow(live);
    try {
      await this.store.commit(
        { group: live.row, decisionUnchanged: !batch.decisionChanged, messages: batch.messages, tasks: [...batch.tasks.values()], audit: batch.audit, goals: batch.goals },
        { holder: this.holder },
      );
    } catch (e) {
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
    for (const t of batch.tasks.values()) if (SETTLED.has(t.state)) this.metrics.tasks.observe({ state: t.state }, (now - t.createdAt) / 1000);
  }

  private notify(live: LiveGroup, event: 'committed' | 'closed'): void {
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
