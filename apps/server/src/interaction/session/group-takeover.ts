import { Logger } from '@nestjs/common';
import { GroupEntity } from '../../data/groups/group.entity';
import { GroupStore } from '../../data/groups/group-store';
import { AppConfig } from '../../foundation/config/config';
import { Clock } from '../../foundation/runtime/runtime.module';
import { Metrics } from '../../foundation/metrics/metrics';
import { shiftDeadlines } from './deadlines';
import { LiveGroup, MESSAGE_IDS_KEPT } from './live-group';
import { SESSION_MACHINE_VERSION } from './session.machine';

/** What a round reads of every open group. */
type GroupHead = Awaited<ReturnType<GroupStore['openGroups']>>[number];

/** How many open groups each agent is a member of. */
function countMembers(groups: Iterable<{ members: readonly string[] }>): Map<string, number> {
  const counts = new Map<string, number>();
  for (const g of groups) for (const m of g.members) counts.set(m, (counts.get(m) ?? 0) + 1);
  return counts;
}

/** The groups a round took, with the downtime their deadlines moved by. */
type Taken = Array<{ id: string; downtime: number }>;

/** Who this process is, as the takeover needs it. */
export interface NodeIdentity {
  /** `IOA_NODE_ID`. */
  id: string;
  /**
   * The node id plus a boot id: what the groups record as their holder and the heartbeat is beaten as, so that a node
   * restarting under the same id never overwrites the heartbeat its groups' downtime is measured from.
   */
  holder: string;
  bootedAt: number;
  cluster: AppConfig['cluster'];
}

/** What the takeover tells the host: a group taken (loaded into the live map) or lost to another node. */
export interface TakeoverEvents {
  taken(live: LiveGroup): void;
  lost(live: LiveGroup, why: string): void;
  releasing(): boolean;
}

/**
 * Takes the open groups this node may run and loads them into the host's live map: at start-up, and on several nodes
 * at every heartbeat. On one node, every open group. On several, those of earlier boots of this node's `IOA_NODE_ID`,
 * those released by a node that shut down, and those whose node stopped beating more than `IOA_NODE_LAPSE_S` ago; a
 * group another node runs is left to it. Each is taken by compare and set on its fencing token, which grows by one: of
 * two nodes taking a group one wins, and the node that held it can no longer commit to it. Its deadlines move by the
 * downtime of that node (time nobody ran the group counts against nobody).
 */
export class GroupTakeover {
  /** Groups whose snapshot this node cannot run, reported once each. */
  private readonly refused = new Set<string>();
  private current: Promise<Taken> | null = null;
  private next: Promise<Taken> | null = null;
  /** On several nodes, how many open groups each agent is a member of, as read at the last takeover round. */
  private clusterMemberships = new Map<string, number>();

  constructor(
    private readonly store: GroupStore,
    private readonly clock: Clock,
    private readonly metrics: Metrics,
    private readonly logger: Logger,
    private readonly node: NodeIdentity,
    private readonly live: Map<string, LiveGroup>,
    private readonly events: TakeoverEvents,
  ) {}

  /**
   * How many open groups each agent is a member of: this node's, or on several nodes every node's as read from the
   * database at the last round (each heartbeat).
   */
  memberships(): Map<string, number> {
    return this.node.cluster ? this.clusterMemberships : countMembers(this.live.values());
  }

  /** Whether a round is under way (a shutdown waits for it). */
  get busy(): boolean {
    return this.current !== null;
  }

  /**
   * One round. Asked while one is under way, `next` answers with the round after that one, shared by everyone who
   * asked meanwhile (the round under way may have read the groups before the one a router waits for was released);
   * without it (the heartbeat), nothing is done.
   */
  adopt(next = true): Promise<Taken> {
    if (this.events.releasing()) return Promise.resolve([]);
    if (!this.current && !this.next) return this.start();
    if (!next) return Promise.resolve([]);
    this.next ??= (this.current ?? Promise.resolve()).catch(() => undefined).then(() => {
      this.next = null;
      return this.events.releasing() ? [] : this.start();
    });
    return this.next;
  }

  private start(): Promise<Taken> {
    const round = this.takeFree().finally(() => {
      if (this.current === round) this.current = null;
    });
    this.current = round;
    return round;
  }

  private async takeFree(): Promise<Taken> {
    const cluster = this.node.cluster;
    const open = await this.store.openGroups();
    if (cluster) this.clusterMemberships = countMembers(open);
    const now = this.clock.now();
    const alive = await this.store.lastAlive();
    const taken: Taken = [];
    for (const seen of open) {
      if (this.events.releasing()) break;
      const mine = this.live.get(seen.id);
      if (mine) {
        // Taken from this node while it was paused or cut off, and not yet found out at a commit: let go now.
        // (Numbers compared as numbers: TypeORM may leave PostgreSQL's bigint on the row as a string after a write.)
        if (cluster && (seen.heldBy !== this.node.holder || Number(seen.fence) !== Number(mine.row.fence))) {
          this.events.lost(mine, `${seen.heldBy} holds it now (fencing token ${seen.fence})`);
        }
        continue;
      }
      if (!this.runnable(seen)) continue;
      const beat = alive.get(seen.heldBy);
      if (cluster && !this.free(seen.heldBy, beat, now, cluster.nodeLapseS * 1000)) continue;
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
    return holder.startsWith(`${this.node.id}/`) && holder !== this.node.holder && beat < this.node.bootedAt;
  }

  /** Takes one group by compare and set on its token and loads it; null if another node was faster. */
  private async takeOne(seen: GroupHead, beat: number | undefined, now: number): Promise<number | null> {
    const token = await this.store.take(seen.id, seen.fence, this.node.holder);
    if (token === null) return null;
    // Read again once taken: a step its old holder committed after the first read is part of it now.
    const row = await this.store.get(seen.id);
    if (!row || row.state === 'closed' || this.events.releasing()) return null;
    const live = await this.load(row);
    // On several nodes a group without a holder was released, handed over at once: nobody was down. (On one node it
    // was stored before holders were recorded, and the old server-wide heartbeat measures its downtime.)
    const downtime = this.node.cluster && seen.heldBy === null ? 0 : Math.max(0, now - (beat ?? now));
    // A paused group's deadlines move on at its resume, by the whole pause (downtime included).
    if (!live.row.pause) shiftDeadlines(live.row, live.tasks.values(), downtime);
    Object.assign(live.row, { heldBy: this.node.holder, fence: token });
    await this.store.commit({ group: live.row, tasks: [...live.tasks.values()] }, { token });
    this.live.set(row.id, live);
    if (this.node.cluster && seen.heldBy) {
      this.metrics.takeovers.inc();
      this.logger.log(`group ${row.id}: taken over from ${seen.heldBy} (fencing token ${token}), deadlines moved by ${downtime} ms`);
    }
    this.events.taken(live);
    return downtime;
  }

  /** Whether this node can run the group's snapshot (a rolling upgrade leaves newer snapshots to newer nodes). */
  private runnable(row: GroupHead): boolean {
    if (row.machineVersion === SESSION_MACHINE_VERSION) return true;
    if (!this.refused.has(row.id)) {
      this.refused.add(row.id);
      this.logger.error(`group ${row.id}: snapshot of machine version ${row.machineVersion} (this server runs ${SESSION_MACHINE_VERSION}) refused; the group stays unloaded here`);
    }
    return false;
  }

  /** Replaces a live group by what the database holds (after a failed commit: memory must not run ahead of it). */
  async reload(groupId: string): Promise<void> {
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
