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
exports.VectorEntity = void 0;
const typeorm_1 = require("typeorm");
/**
 * A vector of the embedded store. Vectors are kept as base64 text: the one binary-safe column type that
 * SQLite and PostgreSQL share under TypeORM without driver-specific entities.
 */
let VectorEntity = class VectorEntity {
    collection;
    id;
    /** The record the vector belongs to (an agent id), so that all of its vectors go together. */
    owner;
    payload;
    vector;
};
exports.VectorEntity = VectorEntity;
__decorate([
    (0, typeorm_1.PrimaryColumn)({ type: 'varchar', length: 100 }),
    __metadata("design:type", String)
], VectorEntity.prototype, "collection", void 0);
__decorate([
    (0, typeorm_1.PrimaryColumn)({ type: 'varchar', length: 100 }),
    __metadata("design:type", String)
], VectorEntity.prototype, "id", void 0);
__decorate([
    (0, typeorm_1.Column)({ type: 'varchar', length: 64 }),
    __metadata("design:type", String)
], VectorEntity.prototype, "owner", void 0);
__decorate([
    (0, typeorm_1.Column)({ type: 'simple-json' }),
    __metadata("design:type", Object)
], VectorEntity.prototype, "payload", void 0);
__decorate([
    (0, typeorm_1.Column)({ type: 'text' }),
    __metadata("design:type", String)
], VectorEntity.prototype, "vector", void 0);
exports.VectorEntity = VectorEntity = __decorate([
    (0, typeorm_1.Entity)('vectors'),
    (0, typeorm_1.Index)(['collection', 'owner'])
], VectorEntity);
//# sourceMappingURL=vector.entity.js.map