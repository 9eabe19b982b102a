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
exports.AuditEntity = void 0;
const typeorm_1 = require("typeorm");
const columns_1 = require("../../foundation/persistence/columns");
/** Transitions, refusals of authorised agents, and admin actions. */
let AuditEntity = class AuditEntity {
    /** Increasing, so that entries written in the same millisecond keep their order. */
    id;
    at;
    /** Agent id, `admin` or `system`. */
    actor;
    action;
    groupId;
    detail;
};
exports.AuditEntity = AuditEntity;
__decorate([
    (0, typeorm_1.PrimaryGeneratedColumn)('increment'),
    __metadata("design:type", Number)
], AuditEntity.prototype, "id", void 0);
__decorate([
    (0, typeorm_1.Index)(),
    (0, typeorm_1.Column)({ type: 'bigint', transformer: columns_1.epochMs }),
    __metadata("design:type", Number)
], AuditEntity.prototype, "at", void 0);
__decorate([
    (0, typeorm_1.Column)({ type: 'varchar', length: 36 }),
    __metadata("design:type", String)
], AuditEntity.prototype, "actor", void 0);
__decorate([
    (0, typeorm_1.Column)({ type: 'varchar', length: 32 }),
    __metadata("design:type", String)
], AuditEntity.prototype, "action", void 0);
__decorate([
    (0, typeorm_1.Column)({ type: 'varchar', length: 36, nullable: true }),
    __metadata("design:type", Object)
], AuditEntity.prototype, "groupId", void 0);
__decorate([
    (0, typeorm_1.Column)({ type: 'simple-json' }),
    __metadata("design:type", Object)
], AuditEntity.prototype, "detail", void 0);
exports.AuditEntity = AuditEntity = __decorate([
    (0, typeorm_1.Entity)('audit'),
    (0, typeorm_1.Index)(['groupId', 'at'])
], AuditEntity);
//# sourceMappingURL=audit.entity.js.map