import { BeforeApplicationShutdown, Inject, Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { AgentRegistry } from '../../data/registry/agent-registry.service';
import { Redis, REDIS } from '../../foundation/cluster/redis';
import { ConfigService } from '../../foundation/config/config.service';
import { Clock, IdGenerator } from '../../foundation/runtime/runtime.module';
import { AgentSearchService } from './agent-search.service';

const STREAM = 'ioa:registry';
/** Far more entries than a node reads back (a minute's worth), at any registration rate this server sustains. */
const KEPT = 100_000;
/** A node starting (or reconnecting) reads back this far, so a change made while it built its indexes is not missed. */
const OVERLAP_MS = 60_000;
const BLOCK_MS = 1000;
/** Besides the stream, every node re-reads the agents changed lately this often: an entry lost on its way is healed. */
const RECONCILE_MS = 30_000;

interface Entry {
  id: string;
  message: Record<string, string>;
}

/**
 * Keeps the search indexes of every node in step on several nodes. Each node's lexical index and embedded vector
 * index live in its memory; the node that registers, updates or deletes an agent adds the agent's id to a Redis
 * stream, and every other node reads the stream and re-indexes that agent from the shared database. (Status changes,
 * disable and enable, need no entry: search reads status from the database.) Entries carry ids only: the database
 * stays the one source of truth, and applying an entry twice is harmless. Whatever the stream cannot promise (an
 * entry lost when its writer lost Redis, entries missed while this node's reader was away) is healed by re-indexing
 * the agents changed since shortly before, at reconnection and every 30 s. One loop applies everything, one change at
 * a time, and only after the start-up build of the indexes. A deleted agent missed that way stays in this node's
 * index but never reaches a result, which is read from the database.
 */
@Injectable()
export class RegistryFeed implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger('registry-feed');
  private reader: Redis | null = null;
  private stopped = false;
  private loop: Promise<void> = Promise.resolve();
  /** This process in the entries it writes (unique even if two nodes were given the same IOA_NODE_ID). */
  private readonly origin: string;
  /** Re-index every agent changed since then, before reading on (set when the reader lost Redis, and periodically). */
  private catchUpSince: number | null = null;
  /** Whether this node follows the other nodes' registry changes (readiness, on several nodes). */
  started = false;

  constructor(
    @Inject(REDIS) private readonly redis: Redis | null,
    private readonly search: AgentSearchService,
    private readonly registry: AgentRegistry,
    private readonly clock: Clock,
    config: ConfigService,
    ids: IdGenerator,
  ) {
    this.origin = `${config.values.nodeId}/${ids.next()}`;
  }

  /** Tells the other nodes that this one changed an agent; never fails the change (the entry waits for Redis). */
  changed(agentId: string): void {
    if (!this.redis) return;
    this.redis
      .xAdd(STREAM, '*', { node: this.origin, agent: agentId }, { TRIM: { strategy: 'MAXLEN', strategyModifier: '~', threshold: KEPT } })
      .catch((e: Error) => this.logger.error(`agent ${agentId}: change not announced to other nodes (healed within ${RECONCILE_MS / 1000} s): ${e.message}`));
  }

  async onApplicationBootstrap(): Promise<void> {
    if (!this.redis) return;
    const reader = this.redis.duplicate();
    this.reader = reader;
    let lostAt: number | null = null;
    reader.on('error', () => (lostAt ??= this.clock.now()));
    reader.on('ready', () => {
      if (lostAt !== null) this.catchUpSince = Math.min(this.catchUpSince ?? Infinity, lostAt - OVERLAP_MS);
      lostAt = null;
    });
    await reader.connect();
    // Stream ids are Redis's clock in ms: start a little before now by that clock, not this node's.
    const [seconds] = await reader.time();
    this.started = true;
    this.loop = this.search.built.then(() => this.read(`${Number(seconds) * 1000 - OVERLAP_MS}-0`));
  }

  async beforeApplicationShutdown(): Promise<void> {
    this.stopped = true;
    // Not waiting on a blocked read, nor on one queued while Redis is away.
    this.reader?.destroy();
    await this.loop;
  }

  private async read(from: string): Promise<void> {
    let after = from;
    let reconciledAt = this.clock.now();
    while (!this.stopped) {
      try {
        if (this.clock.now() - reconciledAt >= RECONCILE_MS) {
          this.catchUpSince = Math.min(this.catchUpSince ?? Infinity, reconciledAt - OVERLAP_MS);
          reconciledAt = this.clock.now();
        }
        if (this.catchUpSince !== null) await this.catchUp();
        const batches = (await this.reader!.xRead({ key: STREAM, id: after }, { BLOCK: BLOCK_MS, COUNT: 500 })) as Array<{ messages: Entry[] }> | null;
        for (const { messages } of batches ?? []) {
          for (const { id, message } of messages) {
            after = id;
            if (message.node !== this.origin) await this.apply(message.agent);
          }
        }
      } catch {
        if (this.stopped) return;
        // Redis is away: the client reconnects by itself, and the catch-up covers what was missed meanwhile.
        await new Promise((resolve) => setTimeout(resolve, BLOCK_MS));
      }
    }
  }

  private async catchUp(): Promise<void> {
    const since = this.catchUpSince as number;
    const ids = await this.registry.changedSince(since);
    for (const id of ids) await this.apply(id);
    this.catchUpSince = null;
    this.logger.debug(`re-indexed ${ids.length} agents changed since ${new Date(since).toISOString()}`);
  }

  private async apply(agentId: string): Promise<void> {
    await this.search.refresh(agentId).catch((e: Error) => this.logger.error(`agent ${agentId}: re-indexing failed: ${e.message}`));
  }
}
