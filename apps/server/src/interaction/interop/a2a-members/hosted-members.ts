import { Injectable, Logger, OnApplicationShutdown } from '@nestjs/common';
import { setTimeout as sleep } from 'node:timers/promises';
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
 * online while its card answers: the card is fetched every `IOA_A2A_CHECK_S`, backing off while it fails, and the
 * agent's socket is closed while it does not answer (so team formation passes over it). With several nodes, the
 * live node whose id sorts first hosts them all.
 */
@Injectable()
export class HostedMembers implements OnApplicationShutdown {
  private readonly logger = new Logger('a2a-members');
  private readonly members = new Map<string, Member>();
  readonly policy: OutboundPolicy;
  private started = false;

  constructor(
    private readonly config: ConfigService,
    private readonly rows: HostedAgents,
    private readonly registry: AgentRegistry,
    private readonly tokens: TokenService,
    private readonly keys: DataKeys,
    private readonly audit: AuditLog,
    private readonly groups: GroupStore,
    private readonly clock: Clock,
  ) {
    this.policy = new OutboundPolicy(config.values.a2a.allowedHosts);
  }

  /** Called once the server listens (its loopback must answer): hosts every imported agent. */
  async start(): Promise<void> {
    this.started = true;
    for (const row of await this.rows.all()) this.host(row);
  }

  /** Hosts `row`'s agent from now on, replacing how it was hosted (a re-import). */
  host(row: HostedAgentEntity): void {
    this.members.get(row.agentId)?.stop();
    this.members.delete(row.agentId);
    if (!this.started) return;
    const member = new Member(row, this);
    this.members.set(row.agentId, member);
    void member.loop().finally(() => this.members.get(row.agentId) === member && this.members.delete(row.agentId));
  }

  onApplicationShutdown(): void {
    for (const m of this.members.values()) m.stop();
    this.members.clear();
  }

  /** The services a member uses (one object rather than eight arguments). */
  get deps() {
    return { config: this.config.values, rows: this.rows, registry: this.registry, tokens: this.tokens, keys: this.keys, audit: this.audit, policy: this.policy, logger: this.logger, hostsHere: () => this.hostsHere() };
  }

  /** Alone, this node hosts them; with several, the live node whose id sorts first does. */
  private async hostsHere(): Promise<boolean> {
    const { cluster, nodeId } = this.config.values;
    if (!cluster) return true;
    const since = this.clock.now() - cluster.nodeLapseS * 1000;
    const live = [...(await this.groups.lastAlive()).entries()].filter(([id, at]) => id !== null && at >= since).map(([id]) => id as string);
    return [...live, nodeId].sort()[0] === nodeId;
  }
}

/** One hosted agent: connected while its card answers and this node hosts it. */
class Member {
  private readonly stopping = new AbortController();
  private connection: { client: IoAClient; run: AgentRun } | null = null;
  private credentials: { token: string; refresh_token: string } | null = null;

  constructor(private readonly row: HostedAgentEntity, private readonly owner: HostedMembers) {}

  stop(): void {
    this.stopping.abort();
    this.disconnect();
  }

  async loop(): Promise<void> {
    const { config, registry, rows, policy, logger, hostsHere } = this.owner.deps;
    let waitS = config.a2a.checkS;
    while (!this.stopping.signal.aborted) {
      // A read that fails says nothing: only an agent surely gone stops being hosted.
      if (!(await registry.find(this.row.agentId).then((a) => a !== null, () => true))) {
        // Its agent was removed from the registry: so is how it was hosted.
        await rows.remove(this.row.agentId).catch(() => undefined);
        this.disconnect();
        return;
      }
      let remote: RemoteCard | null = null;
      try {
        remote = await readCard(policy, this.row.cardUrl, config.a2a.timeoutS * 1000, this.row.crossOrigin);
        if (!(await hostsHere())) this.disconnect();
        else if (!this.connection) await this.connect(remote);
        waitS = config.a2a.checkS;
      } catch (e) {
        if (this.connection) logger.warn(`agent ${this.row.agentId} (${this.row.cardUrl}) is offline: ${(e as Error).message}`);
        this.disconnect();
        waitS = remote ? config.a2a.checkS : Math.min(BACKOFF_MAX_S, waitS * 2);
      }
      await sleep(waitS * 1000, undefined, { signal: this.stopping.signal }).catch(() => undefined);
    }
  }

  private async connect(remote: RemoteCard): Promise<void> {
    const { config, tokens, keys, audit, policy, logger } = this.owner.deps;
    const agentId = this.row.agentId;
    this.credentials ??= await tokens.issueAgentPair(agentId);
    const secret = this.row.secret ? keys.open(this.row.secret) : null;
    const timeoutMs = config.a2a.timeoutS * 1000;
    const a2a = await remoteClient({ remote, policy, secret, timeoutMs });
    const host = ['0.0.0.0', '::', ''].includes(config.host) ? '127.0.0.1' : config.host;
    const client = await IoAClient.connect({
      url: `${config.tls ? 'https' : 'http'}://${host}:${config.port}`, token: this.credentials.token, refreshToken: this.credentials.refresh_token, connectTimeoutMs: 10_000,
      onCredentials: (c) => void (this.credentials = c),
    });
    const agent = a2aMember(a2a, {
      remote, policy, secret, invitePolicy: this.row.invitePolicy, timeoutMs,
      audit: (detail) => void audit.record(agentId, 'a2a_call', { ...detail, endpoint: remote.endpoint }, detail.group_id).catch((e: Error) => logger.error(`audit: ${e.message}`)),
    });
    const run = runAgent(client, agent, { onError: (e, where) => logger.warn(`agent ${agentId}: ${where.event}${where.task_id ? ` ${where.task_id}` : ''}: ${e instanceof Error ? e.message : String(e)}`) });
    if (this.stopping.signal.aborted) {
      run.stop();
      client.close();
      return;
    }
    this.connection = { client, run };
    logger.log(`agent ${agentId} is hosted: ${remote.endpoint} (A2A ${remote.version})`);
  }

  private disconnect(): void {
    if (!this.connection) return;
    this.connection.run.stop();
    this.connection.client.close();
    this.connection = null;
  }
}
