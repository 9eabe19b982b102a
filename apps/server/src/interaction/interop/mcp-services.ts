import { Injectable } from '@nestjs/common';
import type { McpBackend } from '@ioa/client/mcp/mcp-server';
import { Principal } from '../../foundation/security/principal';
import { AgentSearchService } from '../agent-query/agent-search.service';
import { GoalsService } from '../team-formation/goals.service';

/** The MCP tools' backend inside the server: the services the REST routes call, as the caller, with the same checks. */
@Injectable()
export class McpServices {
  constructor(private readonly search: AgentSearchService, private readonly goals: GoalsService) {}

  as(p: Principal): McpBackend {
    return {
      searchAgents: async (query) => ({ results: await this.search.search(query) }),
      createGoal: (body) => this.goals.create(p, body),
      getGoal: (id) => this.goals.get(p, id),
      cancelGoal: async (id) => {
        await this.goals.assertCancel(p, id);
        return this.goals.cancel(id);
      },
      listGoals: (q) => this.goals.list(p, q),
      goalTranscript: (id, afterSeq) => this.goals.transcript(p, id, afterSeq),
    };
  }
}
