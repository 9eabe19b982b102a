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
exports.HealthController = void 0;
const openapi = require("@nestjs/swagger");
const common_1 = require("@nestjs/common");
const swagger_1 = require("@nestjs/swagger");
const typeorm_1 = require("@nestjs/typeorm");
const typeorm_2 = require("typeorm");
const protocol_1 = require("../../../../../libs/protocol/src");
const embeddings_module_1 = require("../../foundation/embeddings/embeddings.module");
const principal_1 = require("../../foundation/security/principal");
const token_service_1 = require("../../foundation/security/token.service");
const vector_store_port_1 = require("../../foundation/vector-store/vector-store.port");
let HealthController = class HealthController {
    db;
    vectors;
    embedding;
    tokens;
    constructor(db, vectors, embedding, tokens) {
        this.db = db;
        this.vectors = vectors;
        this.embedding = embedding;
        this.tokens = tokens;
    }
    /** Liveness for everyone; with an admin bearer token, the state of each component. */
    async health(authorization) {
        const database = await this.db.query('SELECT 1').then(() => 'ok', () => 'down');
        const status = database === 'ok' ? 'ok' : 'down';
        if (!(await this.isAdmin(authorization)))
            return { status, protocol: protocol_1.PROTOCOL_VERSION };
        const { embedder, reason } = this.embedding;
        const collection = embedder ? (0, vector_store_port_1.collectionName)(embedder.modelId, embedder.dimension) : null;
        const vectors = collection ? await this.vectors.count(collection).catch(() => -1) : undefined;
        return {
            status,
            protocol: protocol_1.PROTOCOL_VERSION,
            components: {
                database: { status: database, driver: this.db.options.type },
                vector_store: { status: vectors === -1 ? 'down' : 'ok', kind: this.vectors.kind, ...(vectors !== undefined && vectors >= 0 ? { vectors } : {}) },
                embedder: embedder ? { status: 'ok', mode: 'dense+lexical' } : { status: 'degraded', mode: 'lexical', reason: reason ?? undefined },
                model: { id: embedder?.modelId ?? null, dimension: embedder?.dimension ?? null },
            },
        };
    }
    async isAdmin(authorization) {
        const bearer = /^Bearer (.+)$/i.exec(authorization ?? '')?.[1];
        if (!bearer)
            return false;
        return this.tokens.authenticateRaw(bearer).then((p) => p.role === 'admin', () => false);
    }
};
exports.HealthController = HealthController;
__decorate([
    openapi.ApiOperation({ summary: "Liveness for everyone; with an admin bearer token, the state of each component." }),
    (0, principal_1.Public)(),
    (0, common_1.Get)(),
    openapi.ApiResponse({ status: 200, type: Object }),
    __param(0, (0, common_1.Headers)('authorization')),
    __metadata("design:type", Function),
    __metadata("design:paramtypes", [String]),
    __metadata("design:returntype", Promise)
], HealthController.prototype, "health", null);
exports.HealthController = HealthController = __decorate([
    (0, swagger_1.ApiTags)('health'),
    (0, common_1.Controller)('health'),
    __param(0, (0, typeorm_1.InjectDataSource)()),
    __param(1, (0, common_1.Inject)(vector_store_port_1.VECTOR_STORE)),
    __param(2, (0, common_1.Inject)(embeddings_module_1.EMBEDDING_STATE)),
    __metadata("design:paramtypes", [typeorm_2.DataSource, Object, Object, token_service_1.TokenService])
], HealthController);
//# sourceMappingURL=health.controller.js.map