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
exports.AuthGuard = void 0;
const common_1 = require("@nestjs/common");
const core_1 = require("@nestjs/core");
const passport_1 = require("@nestjs/passport");
const protocol_1 = require("../../../../../libs/protocol/src");
const api_error_1 = require("../http/api-error");
const principal_1 = require("./principal");
const token_service_1 = require("./token.service");
const DEFAULT_ROLES = ['admin', 'agent', 'observer'];
/** Global guard: every route needs a credential unless marked @Public, and a role listed by @Roles. */
let AuthGuard = class AuthGuard extends (0, passport_1.AuthGuard)('jwt') {
    reflector;
    tokens;
    constructor(reflector, tokens) {
        super();
        this.reflector = reflector;
        this.tokens = tokens;
    }
    async canActivate(ctx) {
        const targets = [ctx.getHandler(), ctx.getClass()];
        if (this.reflector.getAllAndOverride(principal_1.IS_PUBLIC, targets))
            return true;
        const req = ctx.switchToHttp().getRequest();
        const bearer = /^Bearer (.+)$/i.exec(req.headers.authorization ?? '')?.[1];
        if (!bearer)
            throw new api_error_1.ApiError(protocol_1.ErrorCode.UNAUTHORIZED, 'missing bearer token');
        if (this.tokens.isAdminToken(bearer))
            req.user = principal_1.ADMIN;
        else
            await super.canActivate(ctx);
        const allowed = this.reflector.getAllAndOverride(principal_1.ROLES_KEY, targets) ?? DEFAULT_ROLES;
        const principal = req.user;
        if (!allowed.includes(principal.role)) {
            throw new api_error_1.ApiError(protocol_1.ErrorCode.FORBIDDEN, `role ${principal.role} may not do this (allowed: ${allowed.join(', ')})`);
        }
        return true;
    }
    handleRequest(err, user, info) {
        if (err)
            throw err;
        if (!user) {
            const name = info?.name;
            throw new api_error_1.ApiError(protocol_1.ErrorCode.UNAUTHORIZED, name === 'TokenExpiredError' ? 'token expired' : 'invalid token');
        }
        return user;
    }
};
exports.AuthGuard = AuthGuard;
exports.AuthGuard = AuthGuard = __decorate([
    (0, common_1.Injectable)(),
    __metadata("design:paramtypes", [core_1.Reflector, token_service_1.TokenService])
], AuthGuard);
//# sourceMappingURL=auth.guard.js.map