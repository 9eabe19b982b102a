import { BeforeApplicationShutdown, Inject, Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { AgentRegistry } from '../../data/registry/agent-registry.service';
import { Redis, REDIS } from '../../foundation/cluster/redis';
import { ConfigService } from '../../foundation/config/config.service';
import { AgentSearchService } from './agent-search.service';

const STREAM = 'ioa:registry';
/** About a day of registrations at 10 per second: far more than a node is ever away for. */
const KEPT = 1_000_000;
/** A node starting (or reconnecting) reads back this far, so a change made while it built its indexes is not missed. */
const OVERLAP_MS = 60_000;
const BLOCK_MS = 1000;

/**
 * Keeps the search indexes of every node in step on several nodes. Each node's lexical index and embedded vector
 * index live in its memory; the node that changes an agent (registers, updates, disables, enables, deletes it) adds
 * the agent's id to a Redis stream, and every other node reads the stream and re-indexes that agent from the shared
 * database. Entries carry ids only: the database stays the one source of truth, and applying an entry twice is
 * harmless. A node whose reader lost Redis re-indexes every agent changed since shortly before it lost it (a deleted
 * agent missed that way stays in its index but is dropped from results, which are read from the database).
 */
@Injectable()
export class RegistryFeed implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger('registry-feed');
  private reader: Redis | null = null;
  private stopped = false;
  private loop: Promise<void> = Promise.resolve();
  /** This process in the entries it writes (unique even if two nodes were given the same IOA_NODE_ID). */
  private readonly origin: string;

  constructor(
    @Inject(REDIS) private readonly redis: Redis | null,
    private readonly search: AgentSearchService,
    private readonly registry: AgentRegistry,
    config: ConfigService,
  ) {
    this.origin = `${config.values.nodeId}/${randomUUID()}`;
  }

  /** Tells the other nodes that this one changed an agent; never fails the change (the entry waits for Redis). */
  changed(agentId: string): void {
    if (!this.redis) return;
    this.redis
      .xAdd(STREAM, '*', { node: this.origin, agent: agentId }, { TRIM: { strategy: 'MAXLEN', strategyModifier: '~', threshold: KEPT } })
      .catch((e: Error) => this.logger.error(`agent ${agentId}: change not announced to other nodes: ${e.message}`));
  }

  /** Whether this node follows the other nodes' registry changes now (readiness, on several nodes). */
  get isReading(): boolean {
    return !!this.reader?.isReady && !this.stopped;
  }

  async onApplicationBootstrap(): Promise<void> {
    if (!this.redis) return;
    this.reader = this.redis.duplicate();
    let lostAt: number | null = null;
    this.reader.on('error', () => (lostAt ??= Date.now()));
    this.reader.on('ready', () => {
      if (lostAt === null) return;
      const since = lostAt - OVERLAP_MS;
      lostAt = null;
      void this.catchUp(since);
    });
    await this.reader.connect();
    // Stream ids are Redis's clock in ms: start a little before now by that clock, not this node's.
    const [seconds] = await this.reader.time();
    this.loop = this.read(`${Number(seconds) * 1000 - OVERLAP_MS}-0`);
  }

  async beforeApplicationShutdown(): Promise<void> {
    this.stopped = true;
    await this.loop;
    this.reader?.destroy();
  }

  private async read(from: string): Promise<void> {
    let after = from;
    while (!this.stopped) {
      try {
        const batches = await this.reader!.xRead({ key: STREAM, id: after }, { BLOCK: BLOCK_MS, COUNT: 500 });
        for (const { messages } of (batches as Array<{ messages: Array<{ id: string; message: Record<string, string> }> }> | null) ?? []) {
          for (const { id, message } of messages) {
            after = id;
            if (message.node !== this.origin) await this.apply(message.agent);
          }
        }
      } catch (e) {
        if (this.stopped) return;
        // Redis is away: the client reconnects by itself; `catchUp` covers what was missed meanwhile.
        await new Promise((resolve) => setTimeout(resolve, BLOCK_MS));
      }
    }
  }

  private async catchUp(since: number): Promise<void> {
    try {
      const ids = await this.registry.changedSince(since);
      for (const id of ids) await this.apply(id);
      this.logger.log(`Redis back: re-indexed ${ids.length} agents changed since ${new Date(since).toISOString()}`);
    } catch (e) {
      this.logger.error(`catching up on registry changes failed: ${(e as Error).message}`);
    }
  }

  private async apply(agentId: string): Promise<void> {
    await this.search.refresh(agentId).catch((e: Error) => this.logger.error(`agent ${agentId}: re-indexing failed: ${e.message}`));
  }
}
