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
exports.GroupsController = void 0;
const openapi = require("@nestjs/swagger");
const common_1 = require("@nestjs/common");
const swagger_1 = require("@nestjs/swagger");
const protocol_1 = require("../../../../../libs/protocol/src");
const audit_log_1 = require("../../data/audit/audit-log");
const principal_1 = require("../../foundation/security/principal");
const session_reader_1 = require("../session/session-reader");
const session_service_1 = require("../session/session.service");
let GroupsController = class GroupsController {
    sessions;
    reader;
    audit;
    constructor(sessions, reader, audit) {
        this.sessions = sessions;
        this.reader = reader;
        this.audit = audit;
    }
    /** Creates a group in `discussion` with the coordinator holding the first turn. */
    create(p, body) {
        return this.sessions.create(p, body);
    }
    list(p, q) {
        return this.reader.list(p, q.limit, q.offset);
    }
    get(p, id) {
        return this.reader.group(p, id);
    }
    /** History in seq order, as the caller may see it (task texts only for their assignees and the coordinator). */
    messages(p, id, q) {
        return this.reader.messages(p, id, q.after_seq, q.limit);
    }
    tasks(p, id) {
        return this.reader.tasks(p, id);
    }
    /** The coordinator adds a member during discussion. */
    addMember(p, id, body) {
        return this.sessions.changeMembers(p, id, { add: body.agent_id });
    }
    /** The coordinator removes a member during discussion, or a member leaves. */
    removeMember(p, id, agentId) {
        return this.sessions.changeMembers(p, id, { remove: agentId });
    }
    close(id, body) {
        return this.sessions.close(id, 'closed_by_admin', 'admin', body.reason);
    }
    /** Transitions, refusals of authorised agents and admin actions, newest first. */
    auditLog(q) {
        return this.audit.list({ groupId: q.group_id, actor: q.actor }, q.limit ?? 100, q.before_id);
    }
};
exports.GroupsController = GroupsController;
__decorate([
    openapi.ApiOperation({ summary: "Creates a group in `discussion` with the coordinator holding the first turn." }),
    (0, common_1.Post)('groups'),
    (0, principal_1.Roles)('agent', 'admin'),
    openapi.ApiResponse({ status: 201, type: Object }),
    __param(0, (0, principal_1.CurrentPrincipal)()),
    __param(1, (0, common_1.Body)()),
    __metadata("design:type", Function),
    __metadata("design:paramtypes", [Object, protocol_1.CreateGroupDto]),
    __metadata("design:returntype", void 0)
], GroupsController.prototype, "create", null);
__decorate([
    (0, common_1.Get)('groups'),
    openapi.ApiResponse({ status: 200 }),
    __param(0, (0, principal_1.CurrentPrincipal)()),
    __param(1, (0, common_1.Query)()),
    __metadata("design:type", Function),
    __metadata("design:paramtypes", [Object, protocol_1.PageQueryDto]),
    __metadata("design:returntype", void 0)
], GroupsController.prototype, "list", null);
__decorate([
    (0, common_1.Get)('groups/:id'),
    openapi.ApiResponse({ status: 200, type: Object }),
    __param(0, (0, principal_1.CurrentPrincipal)()),
    __param(1, (0, common_1.Param)('id')),
    __metadata("design:type", Function),
    __metadata("design:paramtypes", [Object, String]),
    __metadata("design:returntype", void 0)
], GroupsController.prototype, "get", null);
__decorate([
    openapi.ApiOperation({ summary: "History in seq order, as the caller may see it (task texts only for their assignees and the coordinator)." }),
    (0, common_1.Get)('groups/:id/messages'),
    openapi.ApiResponse({ status: 200 }),
    __param(0, (0, principal_1.CurrentPrincipal)()),
    __param(1, (0, common_1.Param)('id')),
    __param(2, (0, common_1.Query)()),
    __metadata("design:type", Function),
    __metadata("design:paramtypes", [Object, String, protocol_1.MessagesQueryDto]),
    __metadata("design:returntype", void 0)
], GroupsController.prototype, "messages", null);
__decorate([
    (0, common_1.Get)('groups/:id/tasks'),
    openapi.ApiResponse({ status: 200, type: [Object] }),
    __param(0, (0, principal_1.CurrentPrincipal)()),
    __param(1, (0, common_1.Param)('id')),
    __metadata("design:type", Function),
    __metadata("design:paramtypes", [Object, String]),
    __metadata("design:returntype", void 0)
], GroupsController.prototype, "tasks", null);
__decorate([
    openapi.ApiOperation({ summary: "The coordinator adds a member during discussion." }),
    (0, common_1.Post)('groups/:id/members'),
    (0, principal_1.Roles)('agent', 'admin'),
    openapi.ApiResponse({ status: 201, type: Object }),
    __param(0, (0, principal_1.CurrentPrincipal)()),
    __param(1, (0, common_1.Param)('id')),
    __param(2, (0, common_1.Body)()),
    __metadata("design:type", Function),
    __metadata("design:paramtypes", [Object, String, protocol_1.AddMemberDto]),
    __metadata("design:returntype", void 0)
], GroupsController.prototype, "addMember", null);
__decorate([
    openapi.ApiOperation({ summary: "The coordinator removes a member during discussion, or a member leaves." }),
    (0, common_1.Delete)('groups/:id/members/:agentId'),
    (0, principal_1.Roles)('agent', 'admin'),
    openapi.ApiResponse({ status: 200, type: Object }),
    __param(0, (0, principal_1.CurrentPrincipal)()),
    __param(1, (0, common_1.Param)('id')),
    __param(2, (0, common_1.Param)('agentId')),
    __metadata("design:type", Function),
    __metadata("design:paramtypes", [Object, String, String]),
    __metadata("design:returntype", void 0)
], GroupsController.prototype, "removeMember", null);
__decorate([
    (0, common_1.Post)('groups/:id/close'),
    (0, principal_1.Roles)('admin'),
    (0, common_1.HttpCode)(200),
    openapi.ApiResponse({ status: 200, type: Object }),
    __param(0, (0, common_1.Param)('id')),
    __param(1, (0, common_1.Body)()),
    __metadata("design:type", Function),
    __metadata("design:paramtypes", [String, protocol_1.CloseGroupDto]),
    __metadata("design:returntype", void 0)
], GroupsController.prototype, "close", null);
__decorate([
    openapi.ApiOperation({ summary: "Transitions, refusals of authorised agents and admin actions, newest first." }),
    (0, common_1.Get)('audit'),
    (0, principal_1.Roles)('admin'),
    openapi.ApiResponse({ status: 200, type: [Object] }),
    __param(0, (0, common_1.Query)()),
    __metadata("design:type", Function),
    __metadata("design:paramtypes", [protocol_1.AuditQueryDto]),
    __metadata("design:returntype", void 0)
], GroupsController.prototype, "auditLog", null);
exports.GroupsController = GroupsController = __decorate([
    (0, swagger_1.ApiTags)('groups'),
    (0, swagger_1.ApiBearerAuth)(),
    (0, common_1.Controller)('v1'),
    __metadata("design:paramtypes", [session_service_1.SessionService, session_reader_1.SessionReader, audit_log_1.AuditLog])
], GroupsController);
//# sourceMappingURL=groups.controller.js.map