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
var __param = (this && this.__param) || function (paramIndex, decorator) {
    return function (target, key) { decorator(target, key, paramIndex); }
};
Object.defineProperty(exports, "__esModule", { value: true });
exports.AgentsController = void 0;
const openapi = require("@nestjs/swagger");
const common_1 = require("@nestjs/common");
const swagger_1 = require("@nestjs/swagger");
const protocol_1 = require("../../../../../libs/protocol/src");
const agent_registry_service_1 = require("../../data/registry/agent-registry.service");
const principal_1 = require("../../foundation/security/principal");
const agent_search_service_1 = require("./agent-search.service");
const agents_service_1 = require("./agents.service");
let AgentsController = class AgentsController {
    agents;
    registry;
    search;
    constructor(agents, registry, search) {
        this.agents = agents;
        this.registry = registry;
        this.search = search;
    }
    /** Register with an enrollment token as bearer (or as an admin); returns the agent and its tokens. */
    register(by, card) {
        return this.agents.register(by, card);
    }
    async list(query) {
        const page = await this.registry.list(query);
        return { ...page, items: page.items.map(agent_registry_service_1.toAgentView) };
    }
    /** Agents ranked by how well their description or one of their capabilities matches the query. */
    async searchAgents(query) {
        return { results: await this.search.search(query) };
    }
    async get(id) {
        return (0, agent_registry_service_1.toAgentView)(await this.registry.get(id));
    }
    update(by, id, patch) {
        return this.agents.update(by, id, patch);
    }
    remove(by, id) {
        return this.agents.remove(by, id);
    }
    disable(id) {
        return this.agents.disable(id);
    }
    enable(id) {
        return this.agents.enable(id);
    }
    /** Fresh credentials for an agent, e.g. one an admin registered or re-enabled. */
    issueTokens(id) {
        return this.agents.issueCredentials(id);
    }
};
exports.AgentsController = AgentsController;
__decorate([
    openapi.ApiOperation({ summary: "Register with an enrollment token as bearer (or as an admin); returns the agent and its tokens." }),
    (0, common_1.Post)(),
    (0, principal_1.Roles)('enrollment', 'admin'),
    openapi.ApiResponse({ status: 201, type: Object }),
    __param(0, (0, principal_1.CurrentPrincipal)()),
    __param(1, (0, common_1.Body)()),
    __metadata("design:type", Function),
    __metadata("design:paramtypes", [Object, protocol_1.RegisterAgentDto]),
    __metadata("design:returntype", Promise)
], AgentsController.prototype, "register", null);
__decorate([
    (0, common_1.Get)(),
    openapi.ApiResponse({ status: 200 }),
    __param(0, (0, common_1.Query)()),
    __metadata("design:type", Function),
    __metadata("design:paramtypes", [protocol_1.ListAgentsQueryDto]),
    __metadata("design:returntype", Promise)
], AgentsController.prototype, "list", null);
__decorate([
    openapi.ApiOperation({ summary: "Agents ranked by how well their description or one of their capabilities matches the query." }),
    (0, common_1.Post)('search'),
    (0, common_1.HttpCode)(200),
    openapi.ApiResponse({ status: 200, type: Object }),
    __param(0, (0, common_1.Body)()),
    __metadata("design:type", Function),
    __metadata("design:paramtypes", [protocol_1.SearchAgentsDto]),
    __metadata("design:returntype", Promise)
], AgentsController.prototype, "searchAgents", null);
__decorate([
    (0, common_1.Get)(':id'),
    openapi.ApiResponse({ status: 200, type: Object }),
    __param(0, (0, common_1.Param)('id')),
    __metadata("design:type", Function),
    __metadata("design:paramtypes", [String]),
    __metadata("design:returntype", Promise)
], AgentsController.prototype, "get", null);
__decorate([
    (0, common_1.Patch)(':id'),
    (0, principal_1.Roles)('agent', 'admin'),
    openapi.ApiResponse({ status: 200, type: Object }),
    __param(0, (0, principal_1.CurrentPrincipal)()),
    __param(1, (0, common_1.Param)('id')),
    __param(2, (0, common_1.Body)()),
    __metadata("design:type", Function),
    __metadata("design:paramtypes", [Object, String, protocol_1.UpdateAgentDto]),
    __metadata("design:returntype", Promise)
], AgentsController.prototype, "update", null);
__decorate([
    (0, common_1.Delete)(':id'),
    (0, principal_1.Roles)('agent', 'admin'),
    openapi.ApiResponse({ status: 200, type: Object }),
    __param(0, (0, principal_1.CurrentPrincipal)()),
    __param(1, (0, common_1.Param)('id')),
    __metadata("design:type", Function),
    __metadata("design:paramtypes", [Object, String]),
    __metadata("design:returntype", Promise)
], AgentsController.prototype, "remove", null);
__decorate([
    (0, common_1.Post)(':id/disable'),
    (0, principal_1.Roles)('admin'),
    (0, common_1.HttpCode)(200),
    openapi.ApiResponse({ status: 200, type: Object }),
    __param(0, (0, common_1.Param)('id')),
    __metadata("design:type", Function),
    __metadata("design:paramtypes", [String]),
    __metadata("design:returntype", Promise)
], AgentsController.prototype, "disable", null);
__decorate([
    (0, common_1.Post)(':id/enable'),
    (0, principal_1.Roles)('admin'),
    (0, common_1.HttpCode)(200),
    openapi.ApiResponse({ status: 200, type: Object }),
    __param(0, (0, common_1.Param)('id')),
    __metadata("design:type", Function),
    __metadata("design:paramtypes", [String]),
    __metadata("design:returntype", Promise)
], AgentsController.prototype, "enable", null);
__decorate([
    openapi.ApiOperation({ summary: "Fresh credentials for an agent, e.g. one an admin registered or re-enabled." }),
    (0, common_1.Post)(':id/tokens'),
    (0, principal_1.Roles)('admin'),
    openapi.ApiResponse({ status: 201, type: Object }),
    __param(0, (0, common_1.Param)('id')),
    __metadata("design:type", Function),
    __metadata("design:paramtypes", [String]),
    __metadata("design:returntype", Promise)
], AgentsController.prototype, "issueTokens", null);
exports.AgentsController = AgentsController = __decorate([
    (0, swagger_1.ApiTags)('agents'),
    (0, swagger_1.ApiBearerAuth)(),
    (0, common_1.Controller)('v1/agents'),
    __metadata("design:paramtypes", [agents_service_1.AgentsService,
        agent_registry_service_1.AgentRegistry,
        agent_search_service_1.AgentSearchService])
], AgentsController);
//# sourceMappingURL=agents.controller.js.map