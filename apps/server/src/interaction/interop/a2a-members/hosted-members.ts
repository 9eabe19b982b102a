import { BeforeApplicationShutdown, Injectable, Logger } from '@nestjs/common';
import { setTimeout as sleep } from 'node:timers/promises';
import { Client } from '@a2a-js/sdk/client';
import { AgentRun, IoAClient, runAgent } from '@ioa/client';
import { AuditLog } from '../../../data/audit/audit-log';
import { GroupStore } from '../../../data/groups/group-store';
import { AgentRegistry } from '../../../data/registry/agent-registry.service';
import { HostedAgentEntity } from '../../../data/registry/hosted-agent.entity';
import { HostedAgents } from '../../../data/registry/hosted-agents';
import { ConfigService } from '../../../foundation/config/config.service';
import { OutboundPolicy } from '../../../foundation/integration/outbound';
import { Clock } from '../../../foundation/runtime/runtime.module';
import { DataKeys } from '../../../foundation/security/data-key';
import { TokenService } from '../../../foundation/security/token.service';
import { a2aMember, remoteClient } from './a2a-member';
import { readCard, RemoteCard } from './remote-card';

/** The longest wait between two card fetches of an agent that does not answer. */
const BACKOFF_MAX_S = 600;

/**
 * Runs the A2A agents the server hosts. Each is an agent of the registry that connects to this server over loopback
 * with its own token and is run by the SDK's `runAgent`, its tasks sent to the remote endpoint (`a2aMember`). It is
 * online while its card answers and still names the endpoint it was imported with: the card is fetched every
 * `IOA_A2A_CHECK_S`, backing off while it fails, and the agent's socket is closed while it does not answer (once its
 * tasks in flight ended), so team formation passes over it. Every node reads the hosted agents again at that pace;
 * with several nodes, the live node whose id sorts first hosts them all.
 */
@Injectable()
export class HostedMembers implements BeforeApplicationShutdown {
  readonly logger = new Logger('a2a-members');
  private readonly members = new Map<string, Member>();
  private readonly stopping = new AbortController();
  readonly policy: OutboundPolicy;

  constructor(
    readonly config: ConfigService,
    readonly rows: HostedAgents,
    readonly registry: AgentRegistry,
    readonly tokens: TokenService,
    readonly keys: DataKeys,
    readonly audit: AuditLog,
    private readonly groups: GroupStore,
    private readonly clock: Clock,
  ) {
    this.policy = new OutboundPolicy(config.values.a2a.allowedHosts);
  }

  /** Called once the server listens (its loopback must answer): hosts every imported agent, and keeps up with them. */
  async start(): Promise<void> {
    await this.sync();
    void (async () => {
      while (!this.stopping.signal.aborted) {
        await sleep(this.config.values.a2a.checkS * 1000, undefined, { signal: this.stopping.signal }).catch(() => undefined);
        if (!this.stopping.signal.aborted) await this.sync().catch((e: Error) => this.logger.error(`reading hosted agents: ${e.message}`));
      }
    })();
  }

  /** Hosts `row`'s agent from now on: a new one, or a re-import that keeps its connection and tasks in flight. */
  host(row: HostedAgentEntity): void {
    if (this.stopping.signal.aborted) return;
    const member = this.members.get(row.agentId);
    if (member) return member.update(row);
    const added = new Member(row, this, Date.now());
    this.members.set(row.agentId, added);
    void added.loop().finally(() => this.members.get(row.agentId) === added && this.members.delete(row.agentId));
  }

  /** Before the server's sockets close: hosted agents leave first (their calls in flight are abandoned). */
  beforeApplicationShutdown(): void {
    this.stopping.abort();
    for (const m of this.members.values()) m.stop();
    this.members.clear();
    void this.policy.dispatcher.close().catch(() => undefined);
  }

  /** Alone, this node hosts them; with several, the live node whose id sorts first does. */
  async hostsHere(): Promise<boolean> {
    const { cluster, nodeId } = this.config.values;
    if (!cluster) return true;
    const since = this.clock.now() - cluster.nodeLapseS * 1000;
    const live = [...(await this.groups.lastAlive()).entries()].filter(([id, at]) => id !== null && at >= since).map(([id]) => id as string);
    return [...live, nodeId].sort()[0] === nodeId;
  }

  /** The hosted agents as stored (an import on another node, a removal): each hosted as it is now. */
  private async sync(): Promise<void> {
    const readAt = Date.now();
    const rows = await this.rows.all();
    // Newer rows only: an import on this node may have passed the read.
    for (const row of rows) {
      const member = this.members.get(row.agentId);
      if (!member || row.updatedAt > member.updatedAt) this.host(row);
    }
    const kept = new Set(rows.map((r) => r.agentId));
    for (const [id, m] of this.members) if (!kept.has(id) && m.since < readAt) (m.stop(), this.members.delete(id));
  }
}

/** One hosted agent: connected while its card answers and this node hosts it. */
class Member {
  private readonly stopping = new AbortController();
  private connection: { client: IoAClient; run: AgentRun } | null = null;
  private credentials: { token: string; refresh_token: string } | null = null;
  /** The remote agent as last read, with its client: what each task is sent with. */
  private remote: { card: RemoteCard; client: Client } | null = null;
  /** Bumped by each re-import; the remote client is rebuilt when it was built for an older one. */
  private generation = 0;
  private builtFor = -1;
  /** Ends the wait between checks early (a re-import is read at once). */
  private wake = new AbortController();
  private inFlight = 0;
  private closePending = false;
  /** Checks in a row that found the agent's socket gone (its token revoked, say): then it connects afresh. */
  private lost = 0;
  private lastProblem = '';

  constructor(private row: HostedAgentEntity, private readonly owner: HostedMembers, readonly since: number) {}

  get updatedAt(): number {
    return this.row.updatedAt;
  }

  /** A re-import: the card is read again on the next check (tasks in flight keep the client they started with). */
  update(row: HostedAgentEntity): void {
    this.row = row;
    this.generation += 1;
    this.wake.abort();
  }

  stop(): void {
    this.stopping.abort();
    this.disconnect(true);
  }

  async loop(): Promise<void> {
    const { config, registry, rows, policy } = this.owner;
    let waitS = config.values.a2a.checkS;
    while (!this.stopping.signal.aborted) {
      const [row, generation] = [this.row, this.generation];
      try {
        // A read that fails says nothing: only an agent surely gone stops being hosted.
        const agent = await registry.find(row.agentId).catch(() => undefined);
        if (agent === null) {
          await rows.remove(row.agentId);
          return this.stop();
        }
        if (agent?.status === 'disabled' || !(await this.owner.hostsHere())) throw new Offline(agent?.status === 'disabled' ? 'disabled' : ELSEWHERE);
        this.lost = agent?.status === 'offline' && this.connection ? this.lost + 1 : 0;
        if (this.lost >= 2) this.disconnect(true);
        const card = await readCard(policy, row.cardUrl, config.values.a2a.timeoutS * 1000, row.crossOrigin);
        // Its secret goes to the endpoint it was imported with only: a card that names another waits for an admin.
        if (card.endpoint !== row.endpoint) throw new Offline(`its card now names the endpoint ${card.endpoint}, not ${row.endpoint}: an admin imports it again to accept that`);
        if (this.builtFor !== generation) {
          this.remote = { card, client: await remoteClient({ remote: card, policy, secret: row.secret ? this.owner.keys.open(row.secret) : null, timeoutMs: config.values.a2a.timeoutS * 1000 }) };
          this.builtFor = generation;
        }
        // Answering again: a close deferred for tasks in flight is called off.
        this.closePending = false;
        if (!this.connection) await this.connect();
        this.report('');
        waitS = config.values.a2a.checkS;
      } catch (e) {
        // Another node hosting it is no problem of this one.
        if (!(e instanceof Offline && e.message === ELSEWHERE)) this.report(e instanceof Error ? e.message : String(e));
        this.disconnect(e instanceof Offline && e.message === 'disabled');
        waitS = e instanceof Offline ? config.values.a2a.checkS : Math.min(BACKOFF_MAX_S, waitS * 2);
      }
      this.wake = new AbortController();
      await sleep(waitS * 1000, undefined, { signal: AbortSignal.any([this.stopping.signal, this.wake.signal]) }).catch(() => undefined);
    }
  }

  private async connect(): Promise<void> {
    const { config, tokens, audit, logger } = this.owner;
    const { agentId } = this.row;
    this.credentials ??= await tokens.issueAgentPair(agentId);
    const { host, port, tls } = config.values;
    const client = await IoAClient.connect({
      url: `${tls ? 'https' : 'http'}://${['0.0.0.0', '::', ''].includes(host) ? '127.0.0.1' : host}:${port}`, token: this.credentials.token,
      refreshToken: this.credentials.refresh_token, connectTimeoutMs: 10_000, onCredentials: (c) => void (this.credentials = c),
    }).catch((e: unknown) => {
      // Spent or revoked credentials never work again: the next try asks for a new pair.
      this.credentials = null;
      throw e;
    });
    const agent = a2aMember({
      remote: () => this.remote as { card: RemoteCard; client: Client }, invitePolicy: () => this.row.invitePolicy, timeoutMs: config.values.a2a.timeoutS * 1000,
      audit: (detail) => void audit.record(agentId, 'a2a_call', { ...detail, endpoint: this.row.endpoint }, detail.group_id).catch((e: Error) => logger.error(`audit: ${e.message}`)),
    });
    const onTask = agent.onTask?.bind(agent);
    // Tasks in flight are counted: the socket is not closed under them (their results would be lost).
    agent.onTask = async (task, ctx) => {
      this.inFlight += 1;
      try {
        return await (onTask as NonNullable<typeof onTask>)(task, ctx);
      } finally {
        this.inFlight -= 1;
        if (this.inFlight === 0 && this.closePending) this.disconnect();
      }
    };
    const run = runAgent(client, agent, { onError: (e, where) => logger.warn(`agent ${agentId}: ${where.event}${where.task_id ? ` ${where.task_id}` : ''}: ${e instanceof Error ? e.message : String(e)}`) });
    if (this.stopping.signal.aborted) return void (run.stop(), client.close());
    this.connection = { client, run };
    logger.log(`agent ${agentId} is hosted: ${this.row.endpoint} (A2A ${this.row.protocolVersion})`);
  }

  /** Closes the agent's socket, unless tasks are in flight (it is tried again on the next check); `fresh`: new credentials next time. */
  private disconnect(fresh = false): void {
    if (fresh) this.credentials = null;
    if (!this.connection) return;
    this.closePending = this.inFlight > 0 && !this.stopping.signal.aborted;
    if (this.closePending) return;
    this.connection.run.stop();
    this.connection.client.close();
    this.connection = null;
  }

  /** Logs a problem when it starts or changes, and when it clears. */
  private report(problem: string): void {
    if (problem === this.lastProblem) return;
    const { logger } = this.owner;
    if (problem) logger.warn(`agent ${this.row.agentId} (${this.row.cardUrl}) is offline: ${problem}`);
    else if (this.lastProblem) logger.log(`agent ${this.row.agentId} (${this.row.cardUrl}) answers again`);
    this.lastProblem = problem;
  }
}

/** Not hosted now, for a reason that is no failure of the remote agent: checked again without backing off. */
class Offline extends Error {}
const ELSEWHERE = 'hosted by another node';
