"use strict";
var __decorate = (this && this.__decorate) || function (decorators, target, key, desc) {
    var c = arguments.length, r = c < 3 ? target : desc === null ? desc = Object.getOwnPropertyDescriptor(target, key) : desc, d;
    if (typeof Reflect === "object" && typeof Reflect.decorate === "function") r = Reflect.decorate(decorators, target, key, desc);
    else for (var i = decorators.length - 1; i >= 0; i--) if (d = decorators[i]) r = (c < 3 ? d(r) : c > 3 ? d(target, key, r) : d(target, key)) || r;
    return c > 3 && r && Object.defineProperty(target, key, r), r;
};
var __metadata = (this && this.__metadata) || function (k, v) {
    if (typeof Reflect === "object" && typeof Reflect.metadata === "function") return Reflect.metadata(k, v);
};
Object.defineProperty(exports, "__esModule", { value: true });
exports.CandidateFinder = void 0;
const common_1 = require("@nestjs/common");
const protocol_1 = require("../../../../../libs/protocol/src");
const contacts_1 = require("../../data/contacts/contacts");
const config_service_1 = require("../../foundation/config/config.service");
const api_error_1 = require("../../foundation/http/api-error");
const agent_search_service_1 = require("../agent-query/agent-search.service");
const session_service_1 = require("../session/session.service");
// Fused scores of neighbouring ranks differ by about 0.016: a contact moves up about one place, never past a clearly better match.
const CONTACT_BOOST = 0.02;
/**
 * Turns a team request into slots with ranked candidates: agents named by id, and needs in words resolved by the
 * registry search (online, accepting invites, not too busy, never the requester or an excluded agent, above a
 * minimum match), with the requester's past collaborators boosted.
 */
let CandidateFinder = class CandidateFinder {
    search;
    contacts;
    sessions;
    config;
    constructor(search, contacts, sessions, config) {
        this.search = search;
        this.contacts = contacts;
        this.sessions = sessions;
        this.config = config;
    }
    async slots(requester, members, exclude) {
        const named = members.filter((m) => typeof m === 'string');
        if (named.includes(requester))
            throw new api_error_1.ApiError(protocol_1.ErrorCode.VALIDATION, 'the requester is the coordinator of its own team; do not invite it');
        if (new Set(named).size !== named.length)
            throw new api_error_1.ApiError(protocol_1.ErrorCode.VALIDATION, 'an agent is listed twice in team_members');
        await this.sessions.assertAgents(named);
        const contacts = await this.contacts.ids(requester);
        const taken = new Set(named);
        const slots = [];
        for (const m of members) {
            if (typeof m === 'string') {
                slots.push({ need: null, count: 1, candidates: [{ agent_id: m, score: 1, matched: 'named', contact: contacts.has(m) }], invites: [] });
                continue;
            }
            const candidates = (await this.rank(m.need, requester, new Set([...exclude, ...taken]), contacts));
            if (!candidates.length)
                throw new api_error_1.ApiError(protocol_1.ErrorCode.NO_CANDIDATE, `no online agent accepting invites matches the need "${m.need}"`);
            slots.push({ need: m.need, count: m.count ?? 1, candidates, invites: [] });
            // Keep an agent to the slot it ranks best in, so that one agent is not invited twice.
            candidates.slice(0, m.count ?? 1).forEach((c) => taken.add(c.agent_id));
        }
        return slots;
    }
    async rank(need, requester, exclude, contacts) {
        const { minCosine } = this.config.values.teams;
        const results = await this.search.search({ query: need, top_k: 20, online_only: true, exclude: [requester, ...exclude] });
        const busy = this.groupCounts();
        return results
            .filter((r) => r.agent.accepting_invites && r.agent.status === 'online' && (busy.get(r.agent.id) ?? 0) < r.agent.max_concurrent_groups)
            .filter((r) => (r.signals?.lexical ?? 0) > 0 || (r.signals?.dense ?? 0) >= minCosine)
            .map((r) => ({ agent_id: r.agent.id, score: round(r.score + (contacts.has(r.agent.id) ? CONTACT_BOOST : 0)), matched: r.matched, contact: contacts.has(r.agent.id) }))
            .sort((a, b) => b.score - a.score);
    }
    /** Open groups per agent, to skip agents already at their `max_concurrent_groups`. */
    groupCounts() {
        const counts = new Map();
        for (const live of this.sessions.live.values())
            for (const m of live.context.members)
                counts.set(m, (counts.get(m) ?? 0) + 1);
        return counts;
    }
};
exports.CandidateFinder = CandidateFinder;
exports.CandidateFinder = CandidateFinder = __decorate([
    (0, common_1.Injectable)(),
    __metadata("design:paramtypes", [agent_search_service_1.AgentSearchService,
        contacts_1.Contacts,
        session_service_1.SessionService,
        config_service_1.ConfigService])
], CandidateFinder);
const round = (x) => Math.round(x * 1e4) / 1e4;
//# sourceMappingURL=candidate-finder.js.map