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
exports.TokenEntity = void 0;
const typeorm_1 = require("typeorm");
const columns_1 = require("../persistence/columns");
/** Every issued JWT has a row keyed by its `jti`, so that it can be listed, counted (enrollments) and revoked. */
let TokenEntity = class TokenEntity {
    jti;
    kind;
    role;
    /** The agent an access or refresh token is bound to. */
    subject;
    label;
    scope;
    maxUses;
    uses;
    /** The refresh token that this access token was issued with, so a rotation revokes its pair. */
    pairJti;
    expiresAt;
    revokedAt;
    createdAt;
};
exports.TokenEntity = TokenEntity;
__decorate([
    (0, typeorm_1.PrimaryColumn)({ type: 'varchar', length: 36 }),
    __metadata("design:type", String)
], TokenEntity.prototype, "jti", void 0);
__decorate([
    (0, typeorm_1.Column)({ type: 'varchar', length: 16 }),
    __metadata("design:type", String)
], TokenEntity.prototype, "kind", void 0);
__decorate([
    (0, typeorm_1.Column)({ type: 'varchar', length: 16 }),
    __metadata("design:type", String)
], TokenEntity.prototype, "role", void 0);
__decorate([
    (0, typeorm_1.Index)(),
    (0, typeorm_1.Column)({ type: 'varchar', length: 36, nullable: true }),
    __metadata("design:type", Object)
], TokenEntity.prototype, "subject", void 0);
__decorate([
    (0, typeorm_1.Column)({ type: 'varchar', length: 200, nullable: true }),
    __metadata("design:type", Object)
], TokenEntity.prototype, "label", void 0);
__decorate([
    (0, typeorm_1.Column)({ type: 'simple-json', nullable: true }),
    __metadata("design:type", Object)
], TokenEntity.prototype, "scope", void 0);
__decorate([
    (0, typeorm_1.Column)({ type: 'integer', nullable: true }),
    __metadata("design:type", Object)
], TokenEntity.prototype, "maxUses", void 0);
__decorate([
    (0, typeorm_1.Column)({ type: 'integer' }),
    __metadata("design:type", Number)
], TokenEntity.prototype, "uses", void 0);
__decorate([
    (0, typeorm_1.Column)({ type: 'varchar', length: 36, nullable: true }),
    __metadata("design:type", Object)
], TokenEntity.prototype, "pairJti", void 0);
__decorate([
    (0, typeorm_1.Column)({ type: 'bigint', transformer: columns_1.epochMs }),
    __metadata("design:type", Number)
], TokenEntity.prototype, "expiresAt", void 0);
__decorate([
    (0, typeorm_1.Column)({ type: 'bigint', nullable: true, transformer: columns_1.epochMs }),
    __metadata("design:type", Object)
], TokenEntity.prototype, "revokedAt", void 0);
__decorate([
    (0, typeorm_1.Column)({ type: 'bigint', transformer: columns_1.epochMs }),
    __metadata("design:type", Number)
], TokenEntity.prototype, "createdAt", void 0);
exports.TokenEntity = TokenEntity = __decorate([
    (0, typeorm_1.Entity)('tokens')
], TokenEntity);
//# sourceMappingURL=token.entity.js.map