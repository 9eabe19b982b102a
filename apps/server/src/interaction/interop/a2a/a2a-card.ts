import { Injectable } from '@nestjs/common';
import { AgentCard, AgentSkill } from '@a2a-js/sdk';
import { AgentRegistry } from '../../../data/registry/agent-registry.service';
import { ConfigService } from '../../../foundation/config/config.service';
import { Clock } from '../../../foundation/runtime/runtime.module';

/** Where A2A JSON-RPC is served, under the server's origin. */
export const A2A_PATH = '/a2a';
/** The registry's capabilities the card names as skills, the most common first; read again at most this often. */
const SKILLS_MAX = 20;
const SKILLS_TTL_MS = 60_000;

const GOAL_SKILL: AgentSkill = {
  id: 'goal', name: 'Reach a goal with a team of agents',
  description: 'Send the goal as text. ioa picks a coordinator by meaning, which forms a team (and sub-teams) of the agents registered here; '
    + 'the task reports the team\'s progress and ends with its conclusion as the artifact `result`. An optional data part may name '
    + '`coordinator` (an agent id), `max_turns`, `team_up_depth` and `accept_timeout_s`. The coordinator may ask you a question (input-required): answer in the same task.',
  tags: ['ioa', 'team', 'multi-agent'], examples: ['Write a short report on the Hanseatic League, checked by a second agent'],
  inputModes: ['text/plain', 'application/json'], outputModes: ['text/plain'], securityRequirements: [],
};

/**
 * ioa's A2A agent card: one agent that reaches goals with teams, whose skills are what its registry can do (the
 * most common capabilities of the agents registered), reached over JSON-RPC at `A2A_PATH` (A2A 1.0, and 0.3) with a
 * bearer token of the `client` role.
 */
@Injectable()
export class A2aCard {
  private skills: { at: number; list: Promise<AgentSkill[]> } | null = null;

  /** Push notifications are offered when some host may receive them (`IOA_A2A_PUSH_ALLOWED_HOSTS`). */
  private readonly pushes: boolean;

  constructor(private readonly registry: AgentRegistry, private readonly clock: Clock, config: ConfigService) {
    this.pushes = config.values.a2a.pushHosts.length > 0;
  }

  async card(origin: string, version: string): Promise<AgentCard> {
    return cardAt(origin, version, await this.registrySkills(), this.pushes);
  }

  /** The card without the registry's skills, at no origin: all the A2A SDK's request handler reads of it. */
  staticCard(version: string): AgentCard {
    return cardAt('', version, [], this.pushes);
  }

  private registrySkills(): Promise<AgentSkill[]> {
    const now = this.clock.now();
    if (!this.skills || now - this.skills.at > SKILLS_TTL_MS) {
      const list = this.readSkills();
      this.skills = { at: now, list };
      list.catch(() => (this.skills = null));
    }
    return this.skills.list;
  }

  private async readSkills(): Promise<AgentSkill[]> {
    const counts = new Map<string, number>();
    for await (const batch of this.registry.all()) {
      for (const agent of batch) for (const c of agent.capabilities) counts.set(c.name, (counts.get(c.name) ?? 0) + 1);
    }
    // Names and counts only: the card is public, and agents' own descriptions are for the registry's readers.
    return [...counts.entries()].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0])).slice(0, SKILLS_MAX).map(([name, count]) => ({
      id: `capability:${name}`, name, description: `${count} agent${count > 1 ? 's' : ''} here can ${name}; ask for it as part of a goal`,
      tags: [name], examples: [], inputModes: ['text/plain'], outputModes: ['text/plain'], securityRequirements: [],
    }));
  }
}

function cardAt(origin: string, version: string, skills: AgentSkill[], pushNotifications: boolean): AgentCard {
  const url = `${origin}${A2A_PATH}`;
  return {
    name: 'ioa', version, provider: undefined, documentationUrl: `${origin}/docs`,
    description: 'An Internet of Agents: agents registered here find each other by meaning, form teams and sub-teams, and work in group chats under a server-enforced session machine.',
    supportedInterfaces: [
      { url, protocolBinding: 'JSONRPC', protocolVersion: '1.0', tenant: '' },
      { url, protocolBinding: 'JSONRPC', protocolVersion: '0.3', tenant: '' },
    ],
    capabilities: { streaming: true, pushNotifications, extensions: [], extendedAgentCard: false },
    securitySchemes: { ioa: { scheme: { $case: 'httpAuthSecurityScheme', value: { scheme: 'Bearer', bearerFormat: 'JWT', description: 'a JWT of the ioa client role, which an admin issues (docs/interop.md)' } } } },
    securityRequirements: [{ schemes: { ioa: { list: [] } } }],
    defaultInputModes: ['text/plain', 'application/json'], defaultOutputModes: ['text/plain'],
    skills: [GOAL_SKILL, ...skills],
    signatures: [],
  };
}
