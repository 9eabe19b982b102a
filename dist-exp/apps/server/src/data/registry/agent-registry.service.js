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
exports.AgentRegistry = void 0;
exports.toAgentView = toAgentView;
const common_1 = require("@nestjs/common");
const typeorm_1 = require("@nestjs/typeorm");
const typeorm_2 = require("typeorm");
const protocol_1 = require("../../../../../libs/protocol/src");
const api_error_1 = require("../../foundation/http/api-error");
const columns_1 = require("../../foundation/persistence/columns");
const row_writer_1 = require("../../foundation/persistence/row-writer");
const runtime_module_1 = require("../../foundation/runtime/runtime.module");
const agent_entity_1 = require("./agent.entity");
const DEFAULT_MAX_CONCURRENT_GROUPS = 10;
/** The agent registry (data layer): agent cards and their status, nothing about search or tokens. */
let AgentRegistry = class AgentRegistry {
    agents;
    clock;
    ids;
    writer;
    constructor(agents, clock, ids, writer) {
        this.agents = agents;
        this.clock = clock;
        this.ids = ids;
        this.writer = writer;
    }
    async create(card) {
        if (await this.agents.existsBy({ name: card.name }))
            throw duplicateName(card.name);
        const now = this.clock.now();
        const agent = this.agents.create({
            id: this.ids.next(),
            name: card.name,
            description: card.description,
            capabilities: card.capabilities,
            skills: card.skills ?? [],
            version: card.version ?? null,
            owner: card.owner ?? null,
            interface: card.interface ?? null,
            metadata: card.metadata ?? {},
            acceptingInvites: card.accepting_invites ?? true,
            maxConcurrentGroups: card.max_concurrent_groups ?? DEFAULT_MAX_CONCURRENT_GROUPS,
            status: 'offline',
            lastSeen: null,
            createdAt: now,
            updatedAt: now,
        });
        try {
            // Insert, not save: save would first SELECT by id to decide between insert and update.
            await this.writer.insert(agent_entity_1.AgentEntity, [agent]);
        }
        catch (e) {
            // Two registrations racing for one name: the unique index decides.
            if (/unique|duplicate/i.test(String(e)))
                throw duplicateName(card.name);
            throw e;
        }
        return agent;
    }
    async get(id) {
        const agent = await this.agents.findOneBy({ id });
        if (!agent)
            throw api_error_1.ApiError.notFound('agent', id);
        return agent;
    }
    /** Agents by id, in the order asked, skipping unknown ids. */
    async getMany(ids) {
        if (ids.length === 0)
            return [];
        const found = new Map((await this.agents.findBy({ id: (0, typeorm_2.In)(ids) })).map((a) => [a.id, a]));
        return ids.flatMap((id) => found.get(id) ?? []);
    }
    async list(q) {
        const limit = q.limit ?? 50;
        const offset = q.offset ?? 0;
        const qb = this.agents.createQueryBuilder('a').orderBy('a.name', 'ASC').take(limit).skip(offset);
        if (q.status)
            qb.andWhere('a.status = :status', { status: q.status });
        if (q.owner)
            qb.andWhere('a.owner = :owner', { owner: q.owner });
        if (q.name_prefix)
            qb.andWhere(`a.name LIKE :prefix ESCAPE '\\'`, { prefix: `${escapeLike(q.name_prefix)}%` });
        // skills are a JSON array of strings: match the quoted tag.
        if (q.skill)
            qb.andWhere(`a.skills LIKE :skill ESCAPE '\\'`, { skill: `%${escapeLike(JSON.stringify(q.skill))}%` });
        const [items, total] = await qb.getManyAndCount();
        return { items, total, limit, offset };
    }
    /** Every agent, in pages, for rebuilding indexes at start-up without holding all rows twice. */
    async *all(batch = 1000) {
        for (let offset = 0;; offset += batch) {
            const rows = await this.agents.find({ order: { id: 'ASC' }, take: batch, skip: offset });
            if (rows.length === 0)
                return;
            yield rows;
        }
    }
    async update(id, patch) {
        const agent = await this.get(id);
        const fields = {
            description: patch.description, capabilities: patch.capabilities, skills: patch.skills, version: patch.version,
            owner: patch.owner, interface: patch.interface, metadata: patch.metadata, acceptingInvites: patch.accepting_invites,
            maxConcurrentGroups: patch.max_concurrent_groups,
        };
        for (const [key, value] of Object.entries(fields))
            if (value !== undefined)
                Object.assign(agent, { [key]: value });
        agent.updatedAt = this.clock.now();
        await this.agents.save(agent);
        return agent;
    }
    async remove(id) {
        const agent = await this.get(id);
        await this.agents.delete({ id });
        return agent;
    }
    async setStatus(id, status) {
        const agent = await this.get(id);
        const now = this.clock.now();
        await this.agents.update({ id }, { status, lastSeen: status === 'online' ? now : agent.lastSeen, updatedAt: now });
        return { ...agent, status };
    }
    /** Follows the agent's sockets; never touches a disabled agent. */
    async markPresence(id, online) {
        const now = this.clock.now();
        await this.agents.update({ id, status: (0, typeorm_2.Not)('disabled') }, { status: online ? 'online' : 'offline', lastSeen: now });
    }
    /** At start-up nobody is connected yet: agents left `online` by a crash become `offline` until they reconnect. */
    async markAllOffline() {
        await this.agents.update({ status: 'online' }, { status: 'offline' });
    }
    async onlineIds() {
        const rows = await this.agents.find({ select: { id: true }, where: { status: 'online' } });
        return rows.map((r) => r.id);
    }
    count() {
        return this.agents.count();
    }
};
exports.AgentRegistry = AgentRegistry;
exports.AgentRegistry = AgentRegistry = __decorate([
    (0, common_1.Injectable)(),
    __param(0, (0, typeorm_1.InjectRepository)(agent_entity_1.AgentEntity)),
    __metadata("design:paramtypes", [typeorm_2.Repository,
        runtime_module_1.Clock,
        runtime_module_1.IdGenerator,
        row_writer_1.RowWriter])
], AgentRegistry);
function toAgentView(a) {
    return {
        id: a.id, name: a.name, description: a.description, capabilities: a.capabilities, skills: a.skills,
        version: a.version, owner: a.owner, interface: a.interface, metadata: a.metadata, accepting_invites: a.acceptingInvites,
        max_concurrent_groups: a.maxConcurrentGroups, status: a.status, last_seen: (0, columns_1.iso)(a.lastSeen),
        created_at: (0, columns_1.iso)(a.createdAt), updated_at: (0, columns_1.iso)(a.updatedAt),
    };
}
const duplicateName = (name) => new api_error_1.ApiError(protocol_1.ErrorCode.CONFLICT, `an agent named ${name} already exists`);
const escapeLike = (s) => s.replace(/[\\%_]/g, (c) => `\\${c}`);
//# sourceMappingURL=agent-registry.service.js.map