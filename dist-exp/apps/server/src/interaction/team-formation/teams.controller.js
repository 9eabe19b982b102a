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
exports.TeamsController = void 0;
const openapi = require("@nestjs/swagger");
const common_1 = require("@nestjs/common");
const swagger_1 = require("@nestjs/swagger");
const protocol_1 = require("../../../../../libs/protocol/src");
const contacts_1 = require("../../data/contacts/contacts");
const api_error_1 = require("../../foundation/http/api-error");
const principal_1 = require("../../foundation/security/principal");
const goals_service_1 = require("./goals.service");
const team_formation_service_1 = require("./team-formation.service");
let TeamsController = class TeamsController {
    goals;
    teams;
    contacts;
    constructor(goals, teams, contacts) {
        this.goals = goals;
        this.teams = teams;
        this.contacts = contacts;
    }
    /** Submits a goal; its coordinator (named, or the best online match) receives a `goal` event and forms the root team. */
    createGoal(p, body) {
        return this.goals.create(p, body);
    }
    goal(p, id) {
        return this.goals.get(p, id);
    }
    async goalTree(p, id) {
        await this.goals.get(p, id);
        return this.goals.tree(p, id);
    }
    /** Cancels the goal and every group and task under it. */
    cancel(id) {
        return this.goals.cancel(id);
    }
    /** Same as a `team_formation` message over the socket. */
    form(p, body) {
        return this.teams.form(p, body);
    }
    tree(p, id) {
        return this.goals.subtree(p, id);
    }
    /** Why each member was chosen: needs, candidates with scores, invites and answers. */
    decision(p, id) {
        return this.goals.decision(p, id);
    }
    agentContacts(p, id) {
        if (p.role !== 'admin' && p.id !== id)
            throw new api_error_1.ApiError(protocol_1.ErrorCode.FORBIDDEN, 'an agent reads its own contacts');
        return this.contacts.of(id);
    }
};
exports.TeamsController = TeamsController;
__decorate([
    openapi.ApiOperation({ summary: "Submits a goal; its coordinator (named, or the best online match) receives a `goal` event and forms the root team." }),
    (0, common_1.Post)('goals'),
    (0, principal_1.Roles)('admin', 'agent'),
    openapi.ApiResponse({ status: 201, type: Object }),
    __param(0, (0, principal_1.CurrentPrincipal)()),
    __param(1, (0, common_1.Body)()),
    __metadata("design:type", Function),
    __metadata("design:paramtypes", [Object, protocol_1.CreateGoalDto]),
    __metadata("design:returntype", void 0)
], TeamsController.prototype, "createGoal", null);
__decorate([
    (0, common_1.Get)('goals/:id'),
    openapi.ApiResponse({ status: 200 }),
    __param(0, (0, principal_1.CurrentPrincipal)()),
    __param(1, (0, common_1.Param)('id')),
    __metadata("design:type", Function),
    __metadata("design:paramtypes", [Object, String]),
    __metadata("design:returntype", void 0)
], TeamsController.prototype, "goal", null);
__decorate([
    (0, common_1.Get)('goals/:id/tree'),
    openapi.ApiResponse({ status: 200, type: [Object] }),
    __param(0, (0, principal_1.CurrentPrincipal)()),
    __param(1, (0, common_1.Param)('id')),
    __metadata("design:type", Function),
    __metadata("design:paramtypes", [Object, String]),
    __metadata("design:returntype", Promise)
], TeamsController.prototype, "goalTree", null);
__decorate([
    openapi.ApiOperation({ summary: "Cancels the goal and every group and task under it." }),
    (0, common_1.Post)('goals/:id/cancel'),
    (0, principal_1.Roles)('admin'),
    (0, common_1.HttpCode)(200),
    openapi.ApiResponse({ status: 200, type: Object }),
    __param(0, (0, common_1.Param)('id')),
    __metadata("design:type", Function),
    __metadata("design:paramtypes", [String]),
    __metadata("design:returntype", void 0)
], TeamsController.prototype, "cancel", null);
__decorate([
    openapi.ApiOperation({ summary: "Same as a `team_formation` message over the socket." }),
    (0, common_1.Post)('teams'),
    (0, principal_1.Roles)('agent'),
    openapi.ApiResponse({ status: 201, type: Object }),
    __param(0, (0, principal_1.CurrentPrincipal)()),
    __param(1, (0, common_1.Body)()),
    __metadata("design:type", Function),
    __metadata("design:paramtypes", [Object, protocol_1.TeamFormationPayload]),
    __metadata("design:returntype", void 0)
], TeamsController.prototype, "form", null);
__decorate([
    (0, common_1.Get)('teams/:id/tree'),
    openapi.ApiResponse({ status: 200, type: Object }),
    __param(0, (0, principal_1.CurrentPrincipal)()),
    __param(1, (0, common_1.Param)('id')),
    __metadata("design:type", Function),
    __metadata("design:paramtypes", [Object, String]),
    __metadata("design:returntype", void 0)
], TeamsController.prototype, "tree", null);
__decorate([
    openapi.ApiOperation({ summary: "Why each member was chosen: needs, candidates with scores, invites and answers." }),
    (0, common_1.Get)('teams/:id/decision'),
    openapi.ApiResponse({ status: 200 }),
    __param(0, (0, principal_1.CurrentPrincipal)()),
    __param(1, (0, common_1.Param)('id')),
    __metadata("design:type", Function),
    __metadata("design:paramtypes", [Object, String]),
    __metadata("design:returntype", void 0)
], TeamsController.prototype, "decision", null);
__decorate([
    (0, common_1.Get)('agents/:id/contacts'),
    (0, principal_1.Roles)('admin', 'agent'),
    openapi.ApiResponse({ status: 200, type: [Object] }),
    __param(0, (0, principal_1.CurrentPrincipal)()),
    __param(1, (0, common_1.Param)('id')),
    __metadata("design:type", Function),
    __metadata("design:paramtypes", [Object, String]),
    __metadata("design:returntype", void 0)
], TeamsController.prototype, "agentContacts", null);
exports.TeamsController = TeamsController = __decorate([
    (0, swagger_1.ApiTags)('teams'),
    (0, swagger_1.ApiBearerAuth)(),
    (0, common_1.Controller)('v1'),
    __metadata("design:paramtypes", [goals_service_1.GoalsService, team_formation_service_1.TeamFormationService, contacts_1.Contacts])
], TeamsController);
//# sourceMappingURL=teams.controller.js.map