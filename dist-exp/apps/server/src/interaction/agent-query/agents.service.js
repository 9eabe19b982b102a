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
exports.AgentsService = void 0;
const common_1 = require("@nestjs/common");
const protocol_1 = require("../../../../../libs/protocol/src");
const agent_registry_service_1 = require("../../data/registry/agent-registry.service");
const api_error_1 = require("../../foundation/http/api-error");
const emitter_port_1 = require("../../foundation/network/emitter.port");
const socket_emitter_1 = require("../../foundation/network/socket.emitter");
const token_service_1 = require("../../foundation/security/token.service");
const agent_search_service_1 = require("./agent-search.service");
/** Registry changes that must keep the search index and the agent's credentials in step. */
let AgentsService = class AgentsService {
    registry;
    search;
    tokens;
    sockets;
    logger = new common_1.Logger('agents');
    constructor(registry, search, tokens, sockets) {
        this.registry = registry;
        this.search = search;
        this.tokens = tokens;
        this.sockets = sockets;
    }
    /** Registers with an enrollment token (one use) or as an admin on the agent's behalf; returns its credentials. */
    async register(by, card) {
        const agent = await this.registry.create(card);
        if (by.role === 'enrollment') {
            // The card was checked first so that a refused card does not spend a use; a spent token undoes the card.
            await this.tokens.consumeEnrollment(by.jti).catch(async (e) => {
                await this.registry.remove(agent.id);
                throw e;
            });
        }
        await this.search.index(agent);
        this.logger.log(`agent ${agent.id} registered as ${agent.name} by ${by.role}`);
        return { agent: (0, agent_registry_service_1.toAgentView)(agent), ...(await this.tokens.issueAgentPair(agent.id)) };
    }
    async update(by, id, patch) {
        assertSelfOrAdmin(by, id);
        const agent = await this.registry.update(id, patch);
        await this.search.index(agent);
        return (0, agent_registry_service_1.toAgentView)(agent);
    }
    async remove(by, id) {
        assertSelfOrAdmin(by, id);
        const agent = await this.registry.remove(id);
        await this.search.remove(id);
        await this.tokens.revokeSubject(id);
        this.sockets.disconnect(emitter_port_1.ROOM.agent(id));
        this.logger.log(`agent ${id} deleted by ${by.role}`);
        return (0, agent_registry_service_1.toAgentView)(agent);
    }
    /** Disabling revokes every token of the agent and closes its sockets, so it is locked out at once. */
    async disable(id) {
        const agent = await this.registry.setStatus(id, 'disabled');
        const revoked = await this.tokens.revokeSubject(id);
        this.sockets.disconnect(emitter_port_1.ROOM.agent(id));
        this.logger.log(`agent ${id} disabled, ${revoked} tokens revoked`);
        return (0, agent_registry_service_1.toAgentView)(agent);
    }
    async enable(id) {
        const agent = await this.registry.get(id);
        return (0, agent_registry_service_1.toAgentView)(agent.status === 'disabled' ? await this.registry.setStatus(id, 'offline') : agent);
    }
    async issueCredentials(id) {
        const agent = await this.registry.get(id);
        if (agent.status === 'disabled')
            throw new api_error_1.ApiError(protocol_1.ErrorCode.CONFLICT, `agent ${id} is disabled; enable it first`);
        return this.tokens.issueAgentPair(id);
    }
};
exports.AgentsService = AgentsService;
exports.AgentsService = AgentsService = __decorate([
    (0, common_1.Injectable)(),
    __metadata("design:paramtypes", [agent_registry_service_1.AgentRegistry,
        agent_search_service_1.AgentSearchService,
        token_service_1.TokenService,
        socket_emitter_1.SocketEmitter])
], AgentsService);
function assertSelfOrAdmin(by, id) {
    if (by.role === 'admin' || (by.role === 'agent' && by.id === id))
        return;
    throw new api_error_1.ApiError(protocol_1.ErrorCode.FORBIDDEN, "only the agent itself or an admin may change an agent's record");
}
//# sourceMappingURL=agents.service.js.map