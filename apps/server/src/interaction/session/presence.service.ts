import { Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { AgentRegistry } from '../../data/registry/agent-registry.service';
import { ConfigService } from '../../foundation/config/config.service';
import { Emitter, ROOM } from '../../foundation/network/emitter.port';
import { KeyedQueue } from '../../foundation/runtime/keyed-queue';
import { GroupHost } from './group-host';
import { isOpen } from './handlers/assignee-presence.handler';

/**
 * Which agents are connected. An agent's last socket closing marks it offline and suspends its open tasks; a
 * suspended task resumes when the agent comes back, or fails once the grace period passes (see SessionTimers).
 * A restart counts as everyone disconnecting: open tasks are suspended at start-up and resume as assignees return.
 */
@Injectable()
export class PresenceService implements OnApplicationBootstrap {
  private readonly logger = new Logger('presence');
  private readonly sockets = new Map<string, number>();
  private readonly queue = new KeyedQueue();

  constructor(
    private readonly host: GroupHost,
    private readonly registry: AgentRegistry,
    private readonly emitter: Emitter,
    private readonly config: ConfigService,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    // On several nodes, agents marked online may be connected to another node: a node starting leaves them be.
    // (Cluster-wide presence, where a dead node's agents go offline once its heartbeat lapses, is still to come.)
    if (!this.config.values.cluster) await this.registry.markAllOffline();
    await this.host.loaded;
    const assignees = new Set<string>();
    for (const group of this.host.groups()) {
      for (const t of group.tasks.values()) if (isOpen(t)) t.assignee.forEach((a) => assignees.add(a));
    }
    // Everyone is offline already (markAllOffline): only the tasks follow, and an agent's last_seen stays as it was.
    for (const agentId of assignees) {
      await this.reconcile(agentId, 'not connected since the server restarted', false)
        .catch((e: Error) => this.logger.error(`agent ${agentId}: suspending its tasks at start-up failed: ${e.message}`));
    }
    if (assignees.size) this.logger.log(`reconciled the open tasks of ${assignees.size} assignees with their connections`);
  }

  connected(agentId: string): Promise<void> {
    const count = (this.sockets.get(agentId) ?? 0) + 1;
    this.sockets.set(agentId, count);
    return count === 1 ? this.reconcile(agentId, 'disconnected') : Promise.resolve();
  }

  disconnected(agentId: string): Promise<void> {
    const count = (this.sockets.get(agentId) ?? 1) - 1;
    if (count > 0) {
      this.sockets.set(agentId, count);
      return Promise.resolve();
    }
    this.sockets.delete(agentId);
    return this.reconcile(agentId, 'disconnected');
  }

  isOnline(agentId: string): boolean {
    return this.sockets.has(agentId);
  }

  /**
   * Brings an agent's status and tasks in line with whether it is connected now. One agent's changes run one at a
   * time and read the connection count when they run, not when they were asked for: a disconnect's suspension can
   * never land after the reconnect that followed it (a flaky network, a client switching nodes).
   */
  private reconcile(agentId: string, why: string, markPresence = true): Promise<void> {
    return this.queue.run(agentId, async () => {
      const online = this.sockets.has(agentId);
      if (markPresence || online) {
        await this.registry.markPresence(agentId, online);
        // People watching a group see its members come and go (agents have no other way to learn it either).
        for (const g of this.host.groups()) {
          if (g.row.members.includes(agentId)) this.emitter.emit({ rooms: [ROOM.group(g.row.id)] }, 'member_presence', { group_id: g.row.id, agent_id: agentId, online });
        }
      }
      // Only the groups where something changes get a step.
      const affected = [...this.host.groups()].filter((g) => [...g.tasks.values()].some((t) =>
        t.assignee.includes(agentId) && (online ? t.state === 'suspended' : isOpen(t))));
      for (const group of affected) {
        // A group that closed meanwhile has nothing left to suspend or resume.
        if (!this.host.isOpen(group.row.id)) continue;
        await this.host.execute({ type: 'assignee_presence', group_id: group.row.id, agent_id: agentId, online, why })
          .catch((e: Error) => this.logger.warn(`group ${group.row.id}: presence step failed: ${e.message}`));
      }
    });
  }
}
