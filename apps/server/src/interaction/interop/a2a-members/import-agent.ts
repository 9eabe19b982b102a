import { Injectable, Logger } from '@nestjs/common';
import { AgentCard } from '@a2a-js/sdk';
import { ErrorCode, HostedAgentView, ImportAgentDto, ImportedAgent, LIMITS } from '@ioa/protocol';
import { AgentRegistry } from '../../../data/registry/agent-registry.service';
import { HostedAgentEntity } from '../../../data/registry/hosted-agent.entity';
import { HostedAgents } from '../../../data/registry/hosted-agents';
import { ConfigService } from '../../../foundation/config/config.service';
import { ApiError } from '../../../foundation/http/api-error';
import { Clock } from '../../../foundation/runtime/runtime.module';
import { DataKeys } from '../../../foundation/security/data-key';
import { ADMIN, Principal } from '../../../foundation/security/principal';
import { TokenService } from '../../../foundation/security/token.service';
import { AgentsService } from '../../agent-query/agents.service';
import { HostedMembers } from './hosted-members';
import { readCard, registryCard, slugOf } from './remote-card';

/**
 * `POST /v1/agents/import`: an A2A agent joins by the URL of its card. The card is fetched under the outbound policy
 * and read; the agent is registered with the card's skills as capabilities (or, imported before from the same URL,
 * its card refreshed); how to reach it is kept, its secret sealed; and the server starts hosting it.
 */
@Injectable()
export class ImportA2aAgent {
  private readonly logger = new Logger('a2a-members');

  constructor(
    private readonly config: ConfigService,
    private readonly rows: HostedAgents,
    private readonly agents: AgentsService,
    private readonly hosted: HostedMembers,
    private readonly keys: DataKeys,
    private readonly clock: Clock,
    private readonly registry: AgentRegistry,
    private readonly tokens: TokenService,
  ) {}

  async execute(by: Principal, dto: ImportAgentDto): Promise<ImportedAgent> {
    const crossOrigin = dto.allow_cross_origin ?? false;
    if (crossOrigin && by.role !== 'admin') throw new ApiError(ErrorCode.FORBIDDEN, 'only an admin allows an endpoint on another origin than the card');
    if (!URL.canParse(dto.card_url)) throw new ApiError(ErrorCode.VALIDATION, `card_url: ${dto.card_url.slice(0, 100)} is not a URL`);
    // One agent per card, however its URL is spelled (`/./`, a default port, letter case in the host, a fragment).
    const parsed = new URL(dto.card_url);
    parsed.hash = '';
    const cardUrl = parsed.href;
    if (cardUrl.length > LIMITS.urlMax) throw new ApiError(ErrorCode.VALIDATION, `card_url: at most ${LIMITS.urlMax} characters`);
    const remote = await readCard(this.hosted.policy, cardUrl, this.config.values.a2a.timeoutS * 1000, crossOrigin);
    let before = await this.rows.byCardUrl(cardUrl);
    if (before && !(await this.registry.find(before.agentId))) {
      // Its agent was deleted (the hosting ends on the next check): this is a new import.
      await this.rows.remove(before.agentId);
      before = null;
    }
    if (before && by.role !== 'admin') throw new ApiError(ErrorCode.CONFLICT, `${cardUrl} is imported already (agent ${before.agentId}); an admin refreshes it by importing it again`);
    const card = registryCard(remote, dto.name ?? slugOf(remote.card.name));
    const agent = before
      ? await this.agents.update(ADMIN, before.agentId, { description: card.description, capabilities: card.capabilities, version: card.version ?? null, interface: card.interface })
      : (await this.agents.register(by, card)).agent;
    const now = this.clock.now();
    // A secret given for one origin is never sent to another: a card that moved there needs it given again.
    const sameOrigin = before !== null && new URL(before.endpoint).origin === new URL(remote.endpoint).origin;
    const row: HostedAgentEntity = {
      agentId: agent.id, cardUrl, endpoint: remote.endpoint, protocolVersion: remote.version, card: AgentCard.toJSON(remote.card) as Record<string, unknown>,
      secret: dto.secret ? this.keys.seal(dto.secret) : sameOrigin ? before?.secret ?? null : null, invitePolicy: dto.invite_policy ?? before?.invitePolicy ?? 'accept',
      crossOrigin, createdAt: before?.createdAt ?? now, updatedAt: now,
    };
    try {
      // The server connects it with credentials of its own: the pair registration issued is not needed.
      if (!before) await this.tokens.revokeSubject(agent.id);
      await this.rows.save(row);
    } catch (e) {
      // A new agent goes again rather than stay registered without its hosting row (and with its first tokens).
      if (!before) await this.agents.remove(ADMIN, agent.id).catch((err: Error) => this.logger.error(`agent ${agent.id} left without its hosting row: ${err.message}`));
      // Imported at the same moment by another request (card URLs are unique).
      if (!before && (await this.rows.byCardUrl(cardUrl))) throw new ApiError(ErrorCode.CONFLICT, `${cardUrl} was imported by another request just now`);
      throw e;
    }
    this.hosted.host(row);
    return { agent, hosted: hostedView(row), refreshed: before !== null };
  }
}

export function hostedView(row: HostedAgentEntity): HostedAgentView {
  return { card_url: row.cardUrl, endpoint: row.endpoint, protocol_version: row.protocolVersion, invite_policy: row.invitePolicy, cross_origin: row.crossOrigin, has_secret: row.secret !== null };
}
