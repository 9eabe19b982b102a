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
exports.GroupStore = void 0;
const common_1 = require("@nestjs/common");
const typeorm_1 = require("@nestjs/typeorm");
const typeorm_2 = require("typeorm");
const audit_entity_1 = require("../audit/audit.entity");
const task_entity_1 = require("../tasks/task.entity");
const meta_entity_1 = require("../../foundation/persistence/meta.entity");
const row_writer_1 = require("../../foundation/persistence/row-writer");
const group_entity_1 = require("./group.entity");
const message_entity_1 = require("./message.entity");
const ALIVE_KEY = 'alive_at';
/** Group columns written once, when the group is created; a session step updates only the others. */
const FIXED_AT_CREATION = ['goal', 'createdBy', 'createdAt', 'goalId', 'parentGroupId', 'parentTaskId', 'level', 'teamUpDepth', 'maxTurns', 'options'];
/** Groups, their messages and tasks (data layer). Writes are serialised: one transaction at a time. */
let GroupStore = class GroupStore {
    ds;
    tail = Promise.resolve();
    sqlite;
    /** Changes waiting for the next group commit (SQLite), with whoever waits on each. */
    pending = [];
    constructor(ds, writer) {
        this.ds = ds;
        this.sqlite = writer.sqlite;
    }
    /**
     * Stores one step's changes atomically; resolves once they are committed. On SQLite the steps of every group that
     * arrive in the same turn of the event loop share one transaction (group commit): a transaction's fixed cost was
     * the largest single cost of a session step, and the callers wait for the commit before acking or delivering.
     */
    commit(changes) {
        if (this.sqlite) {
            return new Promise((resolve, reject) => {
                if (!this.pending.length)
                    setImmediate(() => this.flush());
                this.pending.push({ changes, done: (e) => (e === undefined ? resolve() : reject(e)) });
            });
        }
        const run = () => this.ds.transaction(async (m) => {
            if (changes.group)
                await m.upsert(group_entity_1.GroupEntity, changes.group, ['id']);
            if (changes.messages?.length)
                await m.insert(message_entity_1.MessageEntity, changes.messages);
            if (changes.tasks?.length)
                await m.upsert(task_entity_1.TaskEntity, changes.tasks, ['id']);
            if (changes.audit?.length)
                await m.insert(audit_entity_1.AuditEntity, changes.audit);
        });
        const result = this.tail.then(run, run);
        this.tail = result.catch(() => undefined);
        return result;
    }
    /** One transaction for everything pending; if it fails, each step's changes are retried alone so that one bad step fails alone. */
    flush() {
        const steps = this.pending;
        this.pending = [];
        const write = (list) => this.sqlite.transaction((put) => {
            for (const { changes } of list) {
                if (changes.group)
                    put(group_entity_1.GroupEntity, [changes.group], ['id'], FIXED_AT_CREATION);
                if (changes.messages?.length)
                    put(message_entity_1.MessageEntity, changes.messages);
                if (changes.tasks?.length)
                    put(task_entity_1.TaskEntity, changes.tasks, ['id']);
                if (changes.audit?.length)
                    put(audit_entity_1.AuditEntity, changes.audit);
            }
        });
        try {
            write(steps);
            for (const step of steps)
                step.done();
        }
        catch (e) {
            if (steps.length === 1)
                return steps[0].done(e);
            for (const step of steps) {
                try {
                    write([step]);
                    step.done();
                }
                catch (error) {
                    step.done(error);
                }
            }
        }
    }
    get(id) {
        return this.ds.getRepository(group_entity_1.GroupEntity).findOneBy({ id });
    }
    openGroups() {
        return this.ds.getRepository(group_entity_1.GroupEntity).findBy({ state: (0, typeorm_2.Not)('closed') });
    }
    async list(filter, limit, offset) {
        const qb = this.ds.getRepository(group_entity_1.GroupEntity).createQueryBuilder('g').orderBy('g.createdAt', 'DESC').take(limit).skip(offset);
        if (filter.ids || filter.goalIds) {
            qb.andWhere('(g.id IN (:...ids) OR g.goalId IN (:...goalIds))', { ids: filter.ids?.length ? filter.ids : [''], goalIds: filter.goalIds?.length ? filter.goalIds : [''] });
        }
        // members is a JSON array of ids: match the quoted id.
        if (filter.member)
            qb.andWhere('g.members LIKE :member', { member: `%"${filter.member}"%` });
        return qb.getManyAndCount();
    }
    tasksOf(groupId) {
        return this.ds.getRepository(task_entity_1.TaskEntity).find({ where: { groupId }, order: { createdAt: 'ASC', id: 'ASC' } });
    }
    tasksIn(groupIds) {
        return groupIds.length ? this.ds.getRepository(task_entity_1.TaskEntity).findBy({ groupId: (0, typeorm_2.In)(groupIds) }) : Promise.resolve([]);
    }
    /** What a resend needs: the original's seq, content digest and task ids (the hot path of every message). */
    async findMessage(groupId, sender, messageId) {
        if (this.sqlite) {
            const row = this.sqlite.get('SELECT "seq", "messageId", "digest", "taskIds" FROM "messages" WHERE "groupId" = ? AND "sender" = ? AND "messageId" = ?', groupId, sender, messageId);
            return row ? { ...row, taskIds: row.taskIds === null ? null : JSON.parse(row.taskIds) } : null;
        }
        return this.ds.getRepository(message_entity_1.MessageEntity).findOne({ select: { seq: true, messageId: true, digest: true, taskIds: true }, where: { groupId, sender, messageId } });
    }
    /** Who sent which message ids in a group (at most `limit`): an open group keeps them to tell resends from new ids. */
    messageIds(groupId, limit) {
        return this.ds.getRepository(message_entity_1.MessageEntity).find({ select: { sender: true, messageId: true }, where: { groupId }, take: limit });
    }
    /** A message by its sender's id, in any group (team_formation creates its group, so the group is not known yet). */
    findBySender(sender, messageId) {
        return this.ds.getRepository(message_entity_1.MessageEntity).findOneBy({ sender, messageId });
    }
    byGoal(goalId) {
        return this.ds.getRepository(group_entity_1.GroupEntity).find({ where: { goalId }, order: { level: 'ASC', createdAt: 'ASC' } });
    }
    /** A group and every group below it. */
    async subtree(groupId) {
        const repo = this.ds.getRepository(group_entity_1.GroupEntity);
        const root = await repo.findOneBy({ id: groupId });
        if (!root)
            return [];
        const all = [root];
        for (let frontier = [root.id]; frontier.length;) {
            const children = await repo.findBy({ parentGroupId: (0, typeorm_2.In)(frontier) });
            all.push(...children);
            frontier = children.map((c) => c.id);
        }
        return all;
    }
    messages(groupId, afterSeq, limit) {
        return this.ds.getRepository(message_entity_1.MessageEntity).find({ where: { groupId, seq: (0, typeorm_2.MoreThan)(afterSeq) }, order: { seq: 'ASC' }, take: limit });
    }
    async setAliveAt(now) {
        await this.ds.getRepository(meta_entity_1.MetaEntity).upsert({ key: ALIVE_KEY, value: String(now) }, ['key']);
    }
    /**
     * Moves every open deadline later by the time since the server was last alive (heartbeats record it):
     * time the server was down counts against nobody. Returns the shift.
     */
    async discountDowntime(now) {
        const last = Number((await this.ds.getRepository(meta_entity_1.MetaEntity).findOneBy({ key: ALIVE_KEY }))?.value);
        const ms = last ? now - last : 0;
        if (ms <= 0)
            return 0;
        await this.shiftDeadlines(ms);
        await this.setAliveAt(now);
        return ms;
    }
    async shiftDeadlines(ms) {
        await this.ds.transaction(async (m) => {
            for (const column of ['turnDeadline', 'conclusionDeadline', 'formingDeadline']) {
                await m.createQueryBuilder().update(group_entity_1.GroupEntity).set({ [column]: () => `"${column}" + ${Math.round(ms)}` })
                    .where(`"${column}" IS NOT NULL AND state <> 'closed'`).execute();
            }
            for (const column of ['deadline', 'graceDeadline']) {
                await m.createQueryBuilder().update(task_entity_1.TaskEntity).set({ [column]: () => `"${column}" + ${Math.round(ms)}` })
                    .where(`"${column}" IS NOT NULL AND state IN ('submitted', 'running', 'suspended')`).execute();
            }
            // Invite deadlines live in the forming group's decision record.
            for (const group of await m.findBy(group_entity_1.GroupEntity, { state: 'forming' })) {
                for (const need of group.decision?.needs ?? [])
                    for (const invite of need.invites)
                        if (invite.status === 'pending')
                            invite.deadline += Math.round(ms);
                await m.update(group_entity_1.GroupEntity, { id: group.id }, { decision: group.decision });
            }
        });
    }
};
exports.GroupStore = GroupStore;
exports.GroupStore = GroupStore = __decorate([
    (0, common_1.Injectable)(),
    __param(0, (0, typeorm_1.InjectDataSource)()),
    __metadata("design:paramtypes", [typeorm_2.DataSource, row_writer_1.RowWriter])
], GroupStore);
//# sourceMappingURL=group-store.js.map