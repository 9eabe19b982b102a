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
exports.Contacts = void 0;
const common_1 = require("@nestjs/common");
const typeorm_1 = require("@nestjs/typeorm");
const typeorm_2 = require("typeorm");
const columns_1 = require("../../foundation/persistence/columns");
const contact_entity_1 = require("./contact.entity");
/** Agent contacts (data layer): who has concluded a group with whom, and how their shared tasks went. */
let Contacts = class Contacts {
    ds;
    constructor(ds) {
        this.ds = ds;
    }
    async of(agentId) {
        const rows = await this.ds.getRepository(contact_entity_1.ContactEntity).find({ where: { agentId }, order: { lastAt: 'DESC' } });
        return rows.map((c) => ({
            agent_id: c.contactId, groups: c.groups, completed_tasks: c.completedTasks, failed_tasks: c.failedTasks, last_goal: c.lastGoal,
            last_at: (0, columns_1.iso)(c.lastAt),
        }));
    }
    async ids(agentId) {
        const rows = await this.ds.getRepository(contact_entity_1.ContactEntity).find({ select: { contactId: true }, where: { agentId } });
        return new Set(rows.map((r) => r.contactId));
    }
    /** Records a concluded group for every pair of its members, in both directions, in one transaction. */
    async record(c) {
        await this.ds.transaction(async (m) => {
            const repo = m.getRepository(contact_entity_1.ContactEntity);
            for (const a of c.members) {
                for (const b of c.members) {
                    if (a === b)
                        continue;
                    const shared = c.tasks.filter((t) => t.assignee.includes(a) || t.assignee.includes(b));
                    const completed = shared.filter((t) => t.state === 'completed').length;
                    const failed = shared.filter((t) => t.state === 'failed').length;
                    const row = await repo.findOneBy({ agentId: a, contactId: b });
                    await repo.save(Object.assign(row ?? { agentId: a, contactId: b, groups: 0, completedTasks: 0, failedTasks: 0 }, {
                        groups: (row?.groups ?? 0) + 1, completedTasks: (row?.completedTasks ?? 0) + completed, failedTasks: (row?.failedTasks ?? 0) + failed,
                        lastGoal: c.goal, lastAt: c.at,
                    }));
                }
            }
        });
    }
};
exports.Contacts = Contacts;
exports.Contacts = Contacts = __decorate([
    (0, common_1.Injectable)(),
    __param(0, (0, typeorm_1.InjectDataSource)()),
    __metadata("design:paramtypes", [typeorm_2.DataSource])
], Contacts);
//# sourceMappingURL=contacts.js.map