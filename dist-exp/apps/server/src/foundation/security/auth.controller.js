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
exports.AuthController = void 0;
const openapi = require("@nestjs/swagger");
const common_1 = require("@nestjs/common");
const swagger_1 = require("@nestjs/swagger");
const protocol_1 = require("../../../../../libs/protocol/src");
const principal_1 = require("./principal");
const token_service_1 = require("./token.service");
let AuthController = class AuthController {
    tokens;
    constructor(tokens) {
        this.tokens = tokens;
    }
    /** An enrollment token lets agents register themselves (`POST /v1/agents` with it as bearer). */
    createEnrollment(body) {
        return this.tokens.issueEnrollment(body.max_uses, body.ttl_s);
    }
    /** A read-only token for people watching named groups, goals, or everything. */
    createObserver(body) {
        return this.tokens.issueObserver(body.scope, body.ttl_s, body.label ?? null);
    }
    /** Trades a refresh token for a new access and refresh token; the old pair stops working. */
    refresh(body) {
        return this.tokens.refresh(body.refresh_token);
    }
    list(agentId) {
        return this.tokens.list(agentId ? { subject: agentId } : {});
    }
    revoke(jti) {
        return this.tokens.revoke(jti);
    }
};
exports.AuthController = AuthController;
__decorate([
    openapi.ApiOperation({ summary: "An enrollment token lets agents register themselves (`POST /v1/agents` with it as bearer)." }),
    (0, common_1.Post)('enrollments'),
    (0, principal_1.Roles)('admin'),
    openapi.ApiResponse({ status: 201, type: Object }),
    __param(0, (0, common_1.Body)()),
    __metadata("design:type", Function),
    __metadata("design:paramtypes", [protocol_1.CreateEnrollmentDto]),
    __metadata("design:returntype", Promise)
], AuthController.prototype, "createEnrollment", null);
__decorate([
    openapi.ApiOperation({ summary: "A read-only token for people watching named groups, goals, or everything." }),
    (0, common_1.Post)('observer-tokens'),
    (0, principal_1.Roles)('admin'),
    openapi.ApiResponse({ status: 201, type: Object }),
    __param(0, (0, common_1.Body)()),
    __metadata("design:type", Function),
    __metadata("design:paramtypes", [protocol_1.CreateObserverTokenDto]),
    __metadata("design:returntype", Promise)
], AuthController.prototype, "createObserver", null);
__decorate([
    openapi.ApiOperation({ summary: "Trades a refresh token for a new access and refresh token; the old pair stops working." }),
    (0, principal_1.Public)(),
    (0, common_1.Post)('refresh'),
    (0, common_1.HttpCode)(200),
    openapi.ApiResponse({ status: 200, type: Object }),
    __param(0, (0, common_1.Body)()),
    __metadata("design:type", Function),
    __metadata("design:paramtypes", [protocol_1.RefreshTokenDto]),
    __metadata("design:returntype", Promise)
], AuthController.prototype, "refresh", null);
__decorate([
    openapi.ApiQuery({ name: "agent_id", required: false }),
    (0, common_1.Get)('tokens'),
    (0, principal_1.Roles)('admin'),
    openapi.ApiResponse({ status: 200, type: [Object] }),
    __param(0, (0, common_1.Query)('agent_id')),
    __metadata("design:type", Function),
    __metadata("design:paramtypes", [String]),
    __metadata("design:returntype", Promise)
], AuthController.prototype, "list", null);
__decorate([
    (0, common_1.Post)('tokens/:jti/revoke'),
    (0, principal_1.Roles)('admin'),
    (0, common_1.HttpCode)(200),
    openapi.ApiResponse({ status: 200, type: Object }),
    __param(0, (0, common_1.Param)('jti')),
    __metadata("design:type", Function),
    __metadata("design:paramtypes", [String]),
    __metadata("design:returntype", Promise)
], AuthController.prototype, "revoke", null);
exports.AuthController = AuthController = __decorate([
    (0, swagger_1.ApiTags)('auth'),
    (0, swagger_1.ApiBearerAuth)(),
    (0, common_1.Controller)('v1/auth'),
    __metadata("design:paramtypes", [token_service_1.TokenService])
], AuthController);
//# sourceMappingURL=auth.controller.js.map