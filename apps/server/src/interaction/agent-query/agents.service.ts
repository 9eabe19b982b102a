import { Injectable, Logger } from '@nestjs/common';
import { AgentCredentials, AgentView, ErrorCode, RegisterAgentDto, Registration, UpdateAgentDto } from '@ioa/protocol';
import { AgentRegistry, toAgentView } from '../../data/registry/agent-registry.service';
import { ApiError } from '../../foundation/http/api-error';

import { Principal } from '../../foundation/security/principal';
import { TokenService } from '../../foundation/security/token.service';
import { assertAllowed } from '../access/access';
import { AgentSearchService } from './agent-search.service';
import { RegistryFeed } from './registry-feed';

/** Registry changes that must keep the search index and the agent's credentials in step. */
@Injectable()
export class AgentsService {
  private readonly logger = new Logger('agents');

  constructor(
    private readonly registry: AgentRegistry,
    private readonly search: AgentSearchService,
    private readonly tokens: TokenService,
    private readonly feed: RegistryFeed,
  ) {}

  /**
   * Registers with an enrollment token (one use) or as an admin on the agent's behalf; returns its credentials. The
   * card is made searchable before anything is stored, and every step after the row is written undoes the row if it
   * fails, so a refused registration leaves no agent behind and spends no enrollment use.
   */
  async register(by: Principal, card: RegisterAgentDto): Promise<Registration> {
    const agent = this.registry.build(card);
    const index = await this.search.prepare(agent);
    await this.registry.insert(agent);
    const credentials = await this.undoOnFailure(agent.id, async () => {
      await this.search.write(index);
      if (by.role === 'enrollment') await this.tokens.consumeEnrollment(by.jti as string);
      return this.tokens.issueAgentPair(agent.id);
    });
    this.feed.changed(agent.id);
    this.logger.log(`agent ${agent.id} registered as ${agent.name} by ${by.role}`);
    return { agent: toAgentView(agent), ...credentials };
  }

  async update(by: Principal, id: string, patch: UpdateAgentDto): Promise<AgentView> {
    assertAllowed(by, { action: 'agent.change', agentId: id });
    const { agent, changes } = await this.registry.patched(id, patch);
    const index = await this.search.prepare(agent);
    await this.registry.save(id, changes);
    await this.search.write(index);
    this.feed.changed(id);
    return toAgentView(agent);
  }

  /** Runs the steps after an agent's row is written; if one fails, the agent is removed again and its error stands. */
  private async undoOnFailure<T>(agentId: string, work: () => Promise<T>): Promise<T> {
    try {
      return await work();
    } catch (e) {
      await Promise.all([this.registry.remove(agentId), this.search.remove(agentId), this.tokens.revokeSubject(agentId)]).catch((undo: Error) =>
        this.logger.error(`agent ${agentId}: undoing a failed registration failed too: ${undo.message}`));
      throw e;
    }
  }

  async remove(by: Principal, id: string): Promise<AgentView> {
    assertAllowed(by, { action: 'agent.change', agentId: id });
    const agent = await this.registry.remove(id);
    await this.search.remove(id);
    await this.tokens.revokeSubject(id);
    this.feed.changed(id);
    this.logger.log(`agent ${id} deleted by ${by.role}`);
    return toAgentView(agent);
  }

  /** Disabling revokes every token of the agent and closes its sockets, so it is locked out at once. */
  async disable(id: string): Promise<AgentView> {
    const agent = await this.registry.setStatus(id, 'disabled');
    const revoked = await this.tokens.revokeSubject(id);
    this.logger.log(`agent ${id} disabled, ${revoked} tokens revoked`);
    return toAgentView(agent);
  }

  async enable(id: string): Promise<AgentView> {
    const agent = await this.registry.get(id);
    return toAgentView(agent.status === 'disabled' ? await this.registry.setStatus(id, 'offline') : agent);
  }

  async issueCredentials(id: string): Promise<AgentCredentials> {
    const agent = await this.registry.get(id);
    if (agent.status === 'disabled') throw new ApiError(ErrorCode.CONFLICT, `agent ${id} is disabled; enable it first`);
    return this.tokens.issueAgentPair(id);
  }
}
