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
exports.AuditLog = void 0;
const common_1 = require("@nestjs/common");
const typeorm_1 = require("@nestjs/typeorm");
const typeorm_2 = require("typeorm");
const columns_1 = require("../../foundation/persistence/columns");
const row_writer_1 = require("../../foundation/persistence/row-writer");
const runtime_module_1 = require("../../foundation/runtime/runtime.module");
const audit_entity_1 = require("./audit.entity");
/** The audit log (data layer): session transitions and refusals arrive with their group's batch; admin actions here. */
let AuditLog = class AuditLog {
    ds;
    clock;
    writer;
    constructor(ds, clock, writer) {
        this.ds = ds;
        this.clock = clock;
        this.writer = writer;
    }
    async record(actor, action, detail, groupId = null) {
        const row = { at: this.clock.now(), actor, action, groupId, detail };
        await this.writer.insert(audit_entity_1.AuditEntity, [row]);
    }
    /** Newest first; `beforeId` pages back. */
    async list(filter, limit, beforeId) {
        const qb = this.ds.getRepository(audit_entity_1.AuditEntity).createQueryBuilder('a').orderBy('a.id', 'DESC').take(limit);
        if (filter.groupId)
            qb.andWhere('a.groupId = :groupId', { groupId: filter.groupId });
        if (filter.actor)
            qb.andWhere('a.actor = :actor', { actor: filter.actor });
        if (beforeId !== undefined)
            qb.andWhere('a.id < :beforeId', { beforeId });
        const rows = await qb.getMany();
        return rows.map((a) => ({ id: a.id, at: (0, columns_1.iso)(a.at), actor: a.actor, action: a.action, group_id: a.groupId, detail: a.detail }));
    }
};
exports.AuditLog = AuditLog;
exports.AuditLog = AuditLog = __decorate([
    (0, common_1.Injectable)(),
    __param(0, (0, typeorm_1.InjectDataSource)()),
    __metadata("design:paramtypes", [typeorm_2.DataSource, runtime_module_1.Clock, row_writer_1.RowWriter])
], AuditLog);
//# sourceMappingURL=audit-log.js.map