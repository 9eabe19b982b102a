import { Injectable } from '@nestjs/common';
import { AgentRegistry } from '../../data/registry/agent-registry.service';
import { AgentSearchService } from '../agent-query/agent-search.service';
import { GroupHost } from '../session/group-host';

export interface CoordinatorPick {
  coordinator: string;
  /** Why: `{ by: 'search', score, matched, signals }`, or `{ by: 'available' }` when no coordinator's card matched. */
  choice: Record<string, unknown>;
}

/** Chooses a goal's coordinator among the online agents that coordinate (their card says `coordinates`). */
@Injectable()
export class CoordinatorFinder {
  constructor(private readonly search: AgentSearchService, private readonly registry: AgentRegistry, private readonly host: GroupHost) {}

  /** The best match for the goal's words, else the online coordinator in the fewest open groups; null if none is left. */
  async pick(goal: string, exclude: string[] = []): Promise<CoordinatorPick | null> {
    const [best] = await this.search.search({ query: goal, top_k: 1, online_only: true, coordinators_only: true, exclude });
    if (best) return { coordinator: best.agent.id, choice: { by: 'search', score: best.score, matched: best.matched, signals: best.signals ?? {} } };
    const online = (await this.registry.idsWhere({ online: true, coordinates: true })).filter((id) => !exclude.includes(id));
    if (!online.length) return null;
    const busy = this.host.memberships();
    const [least] = online.map((id) => [id, busy.get(id) ?? 0] as const).sort((a, b) => a[1] - b[1] || a[0].localeCompare(b[0]));
    return { coordinator: least[0], choice: { by: 'available' } };
  }
}
