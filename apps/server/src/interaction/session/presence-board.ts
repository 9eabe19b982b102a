import type { Redis } from '../../foundation/cluster/redis';

const key = {
  agent: (agentId: string) => `ioa:online:${agentId}`,
  node: (holder: string) => `ioa:node-agents:${holder}`,
  nodes: 'ioa:presence-nodes',
};

/**
 * Where agents are connected across the cluster: per agent, a Redis hash of node (holder) → sockets there, and per
 * node the set of agents connected to it, so that when a node dies its agents can be struck off at once. An agent is
 * online while any node lists it. Each node keeps its own socket counts and writes only its own fields.
 */
export class PresenceBoard {
  constructor(private readonly redis: Redis, private readonly holder: string) {}

  /** This node's first socket of the agent opened. */
  async add(agentId: string): Promise<void> {
    await this.redis.multi().hSet(key.agent(agentId), this.holder, '1').sAdd(key.node(this.holder), agentId).sAdd(key.nodes, this.holder).exec();
  }

  /** This node's last socket of the agent closed. */
  async remove(agentId: string): Promise<void> {
    await this.redis.multi().hDel(key.agent(agentId), this.holder).sRem(key.node(this.holder), agentId).exec();
  }

  async online(agentId: string): Promise<boolean> {
    return (await this.redis.hLen(key.agent(agentId))) > 0;
  }

  /** Nodes that have listed agents (to find the dead ones among them). */
  nodes(): Promise<string[]> {
    return this.redis.sMembers(key.nodes);
  }

  /** Strikes a dead node's agents off; returns them (each may now be offline everywhere). */
  async forget(holder: string): Promise<string[]> {
    const agents = await this.redis.sMembers(key.node(holder));
    const forget = this.redis.multi();
    for (const agentId of agents) forget.hDel(key.agent(agentId), holder);
    await forget.del(key.node(holder)).sRem(key.nodes, holder).exec();
    return agents;
  }
}
