import { Inject, Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown, Optional } from '@nestjs/common';
import { GroupStore } from '../../data/groups/group-store';
import { TaskEntity } from '../../data/tasks/task.entity';
import { Redis, REDIS } from '../../foundation/cluster/redis';
import { AppConfig } from '../../foundation/config/config';
import { AgentRegistry } from '../../data/registry/agent-registry.service';
import { ConfigService } from '../../foundation/config/config.service';
import { Emitter, ROOM } from '../../foundation/network/emitter.port';
import { KeyedQueue } from '../../foundation/runtime/keyed-queue';
import { Clock } from '../../foundation/runtime/runtime.module';
import { GroupHost } from './group-host';
import { isOpen } from './task-book';
import { PresenceBoard } from './presence-board';

/**
 * Which agents are connected. An agent's last socket closing marks it offline and suspends its open tasks; a
 * suspended task resumes when the agent comes back, or fails once the grace period passes (see SessionTimers).
 * A restart counts as everyone disconnecting: open tasks are suspended at start-up and resume as assignees return.
 *
 * On several nodes an agent is online while connected to any node (`PresenceBoard`, in Redis); the groups and tasks it
 * touches are read from the database and their steps forwarded to the nodes that run them. When a node dies, its
 * agents are struck off once its heartbeat lapses (`IOA_NODE_LAPSE_S`), not before, by whichever node sees it first.
 */
@Injectable()
export class PresenceService implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('presence');
  private readonly sockets = new Map<string, number>();
  private readonly queue = new KeyedQueue();
  private readonly board: PresenceBoard | null;
  private sweeper: NodeJS.Timeout | null = null;
  private sweeping = false;

  constructor(
    private readonly host: GroupHost,
    private readonly registry: AgentRegistry,
    private readonly emitter: Emitter,
    private readonly config: ConfigService,
    private readonly store: GroupStore,
    private readonly clock: Clock,
    @Optional() @Inject(REDIS) redis: Redis | null = null,
  ) {
    this.board = redis && config.values.cluster ? new PresenceBoard(redis, host.holder) : null;
    // A Redis that restarted without persistence forgot who is connected where: this node lists its agents again.
    let lost = false;
    redis?.on('error', () => (lost = true));
    redis?.on('ready', () => {
      if (!lost || !this.board) return;
      lost = false;
      for (const agentId of this.sockets.keys()) void this.board.add(agentId).catch((e: Error) => this.logger.warn(`agent ${agentId}: presence not restored: ${e.message}`));
    });
  }

  async onApplicationBootstrap(): Promise<void> {
    if (this.board) {
      // Agents marked online may be connected to other nodes: a node starting leaves them be, and strikes off only
      // the agents of nodes that died.
      await this.host.loaded;
      this.sweeper = setInterval(() => void this.sweep().catch((e: Error) => this.logger.warn(`presence sweep failed: ${e.message}`)), this.config.values.sessions.heartbeatMs);
      this.sweeper.unref();
      return;
    }
    await this.registry.markAllOffline();
    await this.host.loaded;
    const assignees = new Set<string>();
    for (const group of this.host.groups()) {
      for (const t of group.tasks.values()) if (isOpen(t)) t.assignee.filter((a) => !group.row.humans?.includes(a)).forEach((a) => assignees.add(a));
    }
    // Everyone is offline already (markAllOffline): only the tasks follow, and an agent's last_seen stays as it was.
    for (const agentId of assignees) {
      await this.reconcile(agentId, 'not connected since the server restarted', false)
        .catch((e: Error) => this.logger.error(`agent ${agentId}: suspending its tasks at start-up failed: ${e.message}`));
    }
    if (assignees.size) this.logger.log(`reconciled the open tasks of ${assignees.size} assignees with their connections`);
  }

  onApplicationShutdown(): void {
    if (this.sweeper) clearInterval(this.sweeper);
  }

  /** An agent's or a person's socket (a person has no registry row: only `member_presence` follows her). */
  async connected(agentId: string): Promise<void> {
    const count = (this.sockets.get(agentId) ?? 0) + 1;
    this.sockets.set(agentId, count);
    if (count > 1) return;
    await this.board?.add(agentId);
    await this.reconcile(agentId, 'disconnected');
  }

  async disconnected(agentId: string): Promise<void> {
    const count = (this.sockets.get(agentId) ?? 1) - 1;
    if (count > 0) {
      this.sockets.set(agentId, count);
      return;
    }
    this.sockets.delete(agentId);
    // Shutting down on several nodes: this node's groups are handed over and it takes no more steps; its agents stay
    // listed until its heartbeat lapses, and the node that sees that reconciles them (they may reconnect elsewhere).
    if (this.board && this.host.isReleasing) return;
    await this.board?.remove(agentId);
    await this.reconcile(agentId, 'disconnected');
  }

  /** Whether the agent has a socket on this node. */
  isOnline(agentId: string): boolean {
    return this.sockets.has(agentId);
  }

  /** Strikes off the agents of nodes whose heartbeat lapsed (several nodes). */
  private async sweep(): Promise<void> {
    if (this.sweeping) return;
    this.sweeping = true;
    try {
      await this.sweepOnce();
    } finally {
      this.sweeping = false;
    }
  }

  private async sweepOnce(): Promise<void> {
    const board = this.board as PresenceBoard;
    const listed = await board.nodes();
    // Struck off while this node was paused or could not beat: list its agents again.
    if (this.sockets.size && !listed.includes(this.host.holder)) {
      for (const agentId of this.sockets.keys()) {
        await board.add(agentId);
        await this.reconcile(agentId, 'disconnected');
      }
      this.logger.warn(`this node's ${this.sockets.size} connected agents were struck off (it missed its heartbeats): listed again`);
    }
    const alive = await this.store.lastAlive();
    const lapseMs = (this.config.values.cluster as NonNullable<AppConfig['cluster']>).nodeLapseS * 1000;
    const now = this.clock.now();
    for (const holder of listed) {
      const beat = alive.get(holder);
      if (holder === this.host.holder || (beat !== undefined && now - beat <= lapseMs)) continue;
      const agents = await board.forget(holder);
      if (agents.length) this.logger.log(`node ${holder} stopped beating: ${agents.length} agents connected there are offline unless connected elsewhere`);
      for (const agentId of agents) await this.reconcile(agentId, `was connected to node ${holder}, which stopped`);
    }
  }

  /**
   * Brings an agent's status and tasks in line with whether it is connected now. One agent's changes run one at a
   * time and read the connection count when they run, not when they were asked for: a disconnect's suspension can
   * never land after the reconnect that followed it (a flaky network, a client switching nodes).
   */
  private reconcile(agentId: string, why: string, markPresence = true): Promise<void> {
    return this.queue.run(agentId, async () => {
      // On several nodes another node may change the agent's presence while this one applies what it read (a
      // disconnect here racing a connect there): read again once applied, and apply again if it moved meanwhile.
      for (let applied: boolean | null = null, rounds = 0; rounds < 3; rounds++) {
        const online = await this.onlineAnywhere(agentId);
        if (online === applied) return;
        await this.apply(agentId, online, why, markPresence || rounds > 0);
        if (!this.board) return;
        applied = online;
      }
    });
  }

  private async onlineAnywhere(agentId: string): Promise<boolean> {
    return this.sockets.has(agentId) || (!!this.board && (await this.board.online(agentId)));
  }

  private async apply(agentId: string, online: boolean, why: string, markPresence: boolean): Promise<void> {
    if (markPresence || online) {
      await this.registry.markPresence(agentId, online);
      // People watching a group see its members come and go (agents have no other way to learn it either).
      for (const groupId of await this.groupsOf(agentId)) this.emitter.emit({ rooms: [ROOM.group(groupId)] }, 'member_presence', { group_id: groupId, agent_id: agentId, online });
    }
    // Only the groups where something changes get a step (a person's tasks are not suspended: the step says so).
    for (const groupId of await this.affected(agentId, online)) {
      await this.host.execute({ type: 'assignee_presence', group_id: groupId, agent_id: agentId, online, why })
        .catch((e: Error) => this.logger.warn(`group ${groupId}: presence step failed: ${e.message}`));
    }
  }

  /** The open groups the agent is a member of: this node's, or on several nodes every node's. */
  private async groupsOf(agentId: string): Promise<string[]> {
    if (this.board) return this.store.openGroupsOf(agentId);
    return [...this.host.groups()].filter((g) => g.row.members.includes(agentId)).map((g) => g.row.id);
  }

  /** The open groups where the agent's coming (suspended tasks resume) or going (open tasks suspend) changes a task. */
  private async affected(agentId: string, online: boolean): Promise<string[]> {
    const changes = (t: TaskEntity) => t.assignee.includes(agentId) && (online ? t.state === 'suspended' : isOpen(t));
    if (this.board) return [...new Set((await this.store.unsettledTasksOf(agentId)).filter(changes).map((t) => t.groupId))];
    return [...this.host.groups()].filter((g) => [...g.tasks.values()].some(changes)).map((g) => g.row.id);
  }
}
