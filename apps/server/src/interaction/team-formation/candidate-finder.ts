import { Injectable } from '@nestjs/common';
import { ErrorCode, SearchResultItem, TeamMemberSpec } from '@ioa/protocol';
import { NeedRecord } from '../../data/groups/group.entity';
import { Contacts } from '../../data/contacts/contacts';
import { ConfigService } from '../../foundation/config/config.service';
import { ApiError } from '../../foundation/http/api-error';
import { AgentSearchService } from '../agent-query/agent-search.service';
import { GroupHost } from '../session/group-host';
import { SessionService } from '../session/session.service';

// Search scores are 0..1 and keep the retrievers' margins: a contact passes an agent that matched less than 0.02
// better (a near tie). By rank fusion (a downloaded model) neighbours differ by 0.008-0.016: one or two places.
const CONTACT_BOOST = 0.02;

/**
 * Turns a team request into slots with ranked candidates: agents named by id, and needs in words resolved by the
 * registry search (online, accepting invites, not too busy, never the requester or an excluded agent, above a
 * minimum match), with the requester's past collaborators boosted.
 */
@Injectable()
export class CandidateFinder {
  constructor(
    private readonly search: AgentSearchService,
    private readonly contacts: Contacts,
    private readonly sessions: SessionService,
    private readonly host: GroupHost,
    private readonly config: ConfigService,
  ) {}

  async slots(requester: string, members: TeamMemberSpec[], exclude: Set<string>): Promise<NeedRecord[]> {
    const named = members.filter((m): m is string => typeof m === 'string');
    if (named.includes(requester)) throw new ApiError(ErrorCode.VALIDATION, 'the requester is the coordinator of its own team; do not invite it');
    if (new Set(named).size !== named.length) throw new ApiError(ErrorCode.VALIDATION, 'an agent is listed twice in team_members');
    await this.sessions.assertAgents(named);
    const contacts = await this.contacts.ids(requester);
    const taken = new Set<string>(named);
    const slots: NeedRecord[] = [];
    for (const m of members) {
      if (typeof m === 'string') {
        slots.push({ need: null, count: 1, candidates: [{ agent_id: m, score: 1, matched: 'named', contact: contacts.has(m) }], invites: [] });
        continue;
      }
      const candidates = (await this.rank(m.need, requester, new Set([...exclude, ...taken]), contacts));
      if (!candidates.length) {
        const lexicalOnly = this.search.denseUnavailable;
        const why = lexicalOnly ? ` (search is lexical only for now: ${lexicalOnly})` : '';
        throw new ApiError(ErrorCode.NO_CANDIDATE, `no online agent accepting invites matches the need "${m.need}"${why}`);
      }
      slots.push({ need: m.need, count: m.count ?? 1, candidates, invites: [] });
      // Keep an agent to the slot it ranks best in, so that one agent is not invited twice.
      candidates.slice(0, m.count ?? 1).forEach((c) => taken.add(c.agent_id));
    }
    return slots;
  }

  private async rank(need: string, requester: string, exclude: Set<string>, contacts: Set<string>): Promise<NeedRecord['candidates']> {
    const results = await this.search.search({ query: need, top_k: 20, online_only: true, exclude: [requester, ...exclude] });
    return rankCandidates(results, contacts, this.host.memberships(), this.config.values.teams.minCosine);
  }
}

/**
 * A need's candidates from its search results: online, accepting invites, not too busy (`busy`: open groups per
 * agent), matching (any lexical match, or a cosine of at least `minCosine`); contacts raised by CONTACT_BOOST.
 */
export function rankCandidates(results: SearchResultItem[], contacts: Set<string>, busy: ReadonlyMap<string, number>, minCosine: number): NeedRecord['candidates'] {
  return results
    .filter((r) => r.agent.accepting_invites && r.agent.status === 'online' && (busy.get(r.agent.id) ?? 0) < r.agent.max_concurrent_groups)
    .filter((r) => (r.signals?.lexical ?? 0) > 0 || (r.signals?.dense ?? 0) >= minCosine)
    .map((r) => ({ agent_id: r.agent.id, score: round(r.score + (contacts.has(r.agent.id) ? CONTACT_BOOST : 0)), matched: r.matched, contact: contacts.has(r.agent.id) }))
    .sort((a, b) => b.score - a.score);
}

const round = (x: number) => Math.round(x * 1e4) / 1e4;
