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
exports.TokenService = exports.SECRETS = void 0;
const common_1 = require("@nestjs/common");
const jwt_1 = require("@nestjs/jwt");
const typeorm_1 = require("@nestjs/typeorm");
const node_crypto_1 = require("node:crypto");
const typeorm_2 = require("typeorm");
const protocol_1 = require("../../../../../libs/protocol/src");
const config_service_1 = require("../config/config.service");
const api_error_1 = require("../http/api-error");
const columns_1 = require("../persistence/columns");
const row_writer_1 = require("../persistence/row-writer");
const runtime_module_1 = require("../runtime/runtime.module");
const principal_1 = require("./principal");
const token_entity_1 = require("./token.entity");
exports.SECRETS = Symbol('SECRETS');
const DAY_S = 24 * 3600;
const unauthorized = (message) => new api_error_1.ApiError(protocol_1.ErrorCode.UNAUTHORIZED, message);
let TokenService = class TokenService {
    tokens;
    jwt;
    config;
    clock;
    ids;
    writer;
    adminDigest;
    constructor(tokens, secrets, jwt, config, clock, ids, writer) {
        this.tokens = tokens;
        this.jwt = jwt;
        this.config = config;
        this.clock = clock;
        this.ids = ids;
        this.writer = writer;
        this.adminDigest = digest(secrets.adminToken);
    }
    isAdminToken(raw) {
        return (0, node_crypto_1.timingSafeEqual)(digest(raw), this.adminDigest);
    }
    /** The whole check of a bearer credential, shared by REST and sockets. */
    async authenticateRaw(raw) {
        if (this.isAdminToken(raw))
            return principal_1.ADMIN;
        const claims = await this.jwt.verifyAsync(raw).catch((e) => {
            throw unauthorized(e.name === 'TokenExpiredError' ? 'token expired' : 'invalid token');
        });
        return this.authenticate(claims);
    }
    /** Checks a signature-verified token against its row: known, not revoked, not expired, usable as a credential. */
    async authenticate(claims) {
        if (claims.kind === 'refresh')
            throw unauthorized('a refresh token is only accepted by POST /v1/auth/refresh');
        const row = await this.tokens.findOneBy({ jti: claims.jti });
        if (!row || row.revokedAt !== null)
            throw unauthorized('token revoked');
        if (row.expiresAt <= this.clock.now())
            throw unauthorized('token expired');
        if (row.kind === 'enrollment' && row.maxUses !== null && row.uses >= row.maxUses)
            throw unauthorized('enrollment token used up');
        const id = row.kind === 'access' ? row.subject : row.jti;
        return { role: row.role, id, jti: row.jti, scope: row.scope };
    }
    async issue(o) {
        const jti = this.ids.next();
        const now = this.clock.now();
        const expiresAt = now + o.ttlS * 1000;
        const row = {
            jti, kind: o.kind, role: o.role, subject: o.subject ?? null, label: o.label ?? null, scope: o.scope ?? null,
            maxUses: o.maxUses ?? null, uses: 0, pairJti: o.pairJti ?? null, expiresAt, revokedAt: null, createdAt: now,
        };
        await this.writer.insert(token_entity_1.TokenEntity, [row]);
        const claims = { sub: o.subject ?? jti, role: o.role, kind: o.kind, jti };
        const token = await this.jwt.signAsync(claims, { expiresIn: o.ttlS });
        return { token, jti, expires_at: (0, columns_1.iso)(expiresAt) };
    }
    issueEnrollment(maxUses = 1, ttlS = DAY_S) {
        return this.issue({ kind: 'enrollment', role: 'enrollment', ttlS, maxUses });
    }
    issueObserver(scope, ttlS = DAY_S, label = null) {
        return this.issue({ kind: 'observer', role: 'observer', ttlS, scope, label });
    }
    /** An access token and a refresh token bound to one agent; the access row remembers its refresh partner. */
    async issueAgentPair(agentId) {
        const { refreshTokenTtlS, accessTokenTtlS } = this.config.values;
        const refresh = await this.issue({ kind: 'refresh', role: 'agent', subject: agentId, ttlS: refreshTokenTtlS });
        const access = await this.issue({ kind: 'access', role: 'agent', subject: agentId, ttlS: accessTokenTtlS, pairJti: refresh.jti });
        return { token: access.token, refresh_token: refresh.token, expires_at: access.expires_at };
    }
    /** Counts one registration against an enrollment token, atomically, so concurrent uses cannot exceed `max_uses`. */
    async consumeEnrollment(jti) {
        const result = await this.tokens
            .createQueryBuilder()
            .update()
            .set({ uses: () => 'uses + 1' })
            .where('jti = :jti AND revokedAt IS NULL AND (maxUses IS NULL OR uses < maxUses)', { jti })
            .execute();
        if (!result.affected)
            throw unauthorized('enrollment token used up');
    }
    /**
     * Rotates an agent's credentials. A refresh token works once; presenting a spent one again means it leaked,
     * so every token of that agent is revoked.
     */
    async refresh(raw) {
        const claims = await this.jwt.verifyAsync(raw).catch(() => {
            throw unauthorized('invalid or expired refresh token');
        });
        if (claims.kind !== 'refresh')
            throw unauthorized('not a refresh token');
        const row = await this.tokens.findOneBy({ jti: claims.jti });
        if (!row || row.expiresAt <= this.clock.now())
            throw unauthorized('invalid or expired refresh token');
        if (row.revokedAt !== null) {
            await this.revokeSubject(row.subject);
            throw unauthorized('refresh token already used; all tokens of this agent were revoked');
        }
        const now = this.clock.now();
        const spent = await this.tokens.update({ jti: row.jti, revokedAt: (0, typeorm_2.IsNull)() }, { revokedAt: now });
        if (!spent.affected)
            throw unauthorized('refresh token already used');
        await this.tokens.update({ pairJti: row.jti, revokedAt: (0, typeorm_2.IsNull)() }, { revokedAt: now });
        return this.issueAgentPair(row.subject);
    }
    async revoke(jti) {
        const row = await this.tokens.findOneBy({ jti });
        if (!row)
            throw api_error_1.ApiError.notFound('token', jti);
        if (row.revokedAt === null) {
            row.revokedAt = this.clock.now();
            await this.tokens.save(row);
        }
        return toView(row);
    }
    async revokeSubject(subject) {
        const result = await this.tokens.update({ subject, revokedAt: (0, typeorm_2.IsNull)() }, { revokedAt: this.clock.now() });
        return result.affected ?? 0;
    }
    async list(filter) {
        const rows = await this.tokens.find({ where: filter, order: { createdAt: 'DESC' }, take: 1000 });
        return rows.map(toView);
    }
};
exports.TokenService = TokenService;
exports.TokenService = TokenService = __decorate([
    (0, common_1.Injectable)(),
    __param(0, (0, typeorm_1.InjectRepository)(token_entity_1.TokenEntity)),
    __param(1, (0, common_1.Inject)(exports.SECRETS)),
    __metadata("design:paramtypes", [typeorm_2.Repository, Object, jwt_1.JwtService,
        config_service_1.ConfigService,
        runtime_module_1.Clock,
        runtime_module_1.IdGenerator,
        row_writer_1.RowWriter])
], TokenService);
function digest(value) {
    return (0, node_crypto_1.createHash)('sha256').update(value).digest();
}
function toView(row) {
    return {
        jti: row.jti, kind: row.kind, role: row.role, subject: row.subject, label: row.label, scope: row.scope,
        max_uses: row.maxUses, uses: row.uses, expires_at: (0, columns_1.iso)(row.expiresAt), revoked_at: (0, columns_1.iso)(row.revokedAt),
        created_at: (0, columns_1.iso)(row.createdAt),
    };
}
//# sourceMappingURL=token.service.js.map