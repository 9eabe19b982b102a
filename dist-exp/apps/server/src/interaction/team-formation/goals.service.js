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
exports.GoalsService = void 0;
const common_1 = require("@nestjs/common");
const typeorm_1 = require("@nestjs/typeorm");
const typeorm_2 = require("typeorm");
const protocol_1 = require("../../../../../libs/protocol/src");
const contacts_1 = require("../../data/contacts/contacts");
const goal_entity_1 = require("../../data/goals/goal.entity");
const group_store_1 = require("../../data/groups/group-store");
const agent_registry_service_1 = require("../../data/registry/agent-registry.service");
const api_error_1 = require("../../foundation/http/api-error");
const emitter_port_1 = require("../../foundation/network/emitter.port");
const columns_1 = require("../../foundation/persistence/columns");
const runtime_module_1 = require("../../foundation/runtime/runtime.module");
const agent_search_service_1 = require("../agent-query/agent-search.service");
const session_reader_1 = require("../session/session-reader");
const session_engine_1 = require("../session/session-engine");
const session_service_1 = require("../session/session.service");
const task_book_1 = require("../session/task-book");
const views_1 = require("../session/views");
const DEFAULT_DEPTH = 2;
/**
 * Goals and the team tree: picks a coordinator by meaning, delivers the goal, and when groups close passes their
 * results up (a sub-team's conclusion completes the task that spawned it; the root's completes the goal) and records
 * who worked with whom.
 */
let GoalsService = class GoalsService {
    goals;
    sessions;
    engine;
    store;
    registry;
    search;
    contacts;
    emitter;
    clock;
    ids;
    logger = new common_1.Logger('goals');
    constructor(goals, sessions, engine, store, registry, search, contacts, emitter, clock, ids) {
        this.goals = goals;
        this.sessions = sessions;
        this.engine = engine;
        this.store = store;
        this.registry = registry;
        this.search = search;
        this.contacts = contacts;
        this.emitter = emitter;
        this.clock = clock;
        this.ids = ids;
    }
    onModuleInit() {
        this.sessions.closedListeners.push((live) => void this.onClosed(live).catch((e) => this.logger.error(`group ${live.row.id}: ${e.message}`)));
    }
    async create(by, dto) {
        let choice;
        let coordinator;
        if (dto.coordinator) {
            await this.sessions.assertAgents([dto.coordinator]);
            coordinator = dto.coordinator;
            choice = { by: 'named' };
        }
        else {
            const [best] = await this.search.search({ query: dto.goal, top_k: 1, online_only: true });
            if (!best)
                throw new api_error_1.ApiError(protocol_1.ErrorCode.NO_CANDIDATE, 'no online agent matches this goal to coordinate it');
            coordinator = best.agent.id;
            choice = { by: 'search', score: best.score, matched: best.matched, signals: best.signals ?? {} };
        }
        const now = this.clock.now();
        const goal = Object.assign(new goal_entity_1.GoalEntity(), {
            id: this.ids.next(), goal: dto.goal, createdBy: by.id, coordinator, coordinatorChoice: choice, maxTurns: dto.max_turns ?? protocol_1.SESSION_DEFAULTS.max_turns,
            teamUpDepth: dto.team_up_depth ?? DEFAULT_DEPTH, status: 'pending', rootGroupId: null, result: null, reason: null, createdAt: now, updatedAt: now,
        });
        await this.goals.insert(goal);
        this.emitter.emit({ rooms: [emitter_port_1.ROOM.agent(coordinator)] }, 'goal', { goal_id: goal.id, goal: goal.goal, max_turns: goal.maxTurns, team_up_depth: goal.teamUpDepth });
        return this.view(goal);
    }
    async get(p, id) {
        const goal = await this.readable(p, id);
        return { ...this.view(goal), tree: await this.tree(p, goal.id) };
    }
    /** Cancels the goal and every open group under it, deepest first, so each failure flows up before its parent closes. */
    async cancel(id) {
        const goal = await this.goals.findOneBy({ id });
        if (!goal)
            throw api_error_1.ApiError.notFound('goal', id);
        if (['completed', 'failed', 'canceled'].includes(goal.status))
            throw new api_error_1.ApiError(protocol_1.ErrorCode.CONFLICT, `goal ${id} is already ${goal.status}`);
        await this.goals.update({ id }, { status: 'canceled', reason: 'canceled by admin', updatedAt: this.clock.now() });
        const open = (await this.store.byGoal(id)).filter((g) => this.sessions.live.has(g.id)).sort((a, b) => b.level - a.level);
        for (const g of open)
            await this.sessions.close(g.id, 'canceled', 'admin', 'goal canceled').catch(() => undefined);
        return this.view((await this.goals.findOneBy({ id })));
    }
    async tree(p, goalId) {
        return this.nodes(p, await this.store.byGoal(goalId));
    }
    async subtree(p, groupId) {
        const rows = await this.store.subtree(groupId);
        if (!rows.length)
            throw api_error_1.ApiError.notFound('group', groupId);
        (0, session_reader_1.assertCanRead)(p, rows[0]);
        return (await this.nodes(p, rows, rows[0].parentGroupId))[0];
    }
    async decision(p, groupId) {
        const row = this.sessions.live.get(groupId)?.row ?? (await this.store.get(groupId));
        if (!row)
            throw api_error_1.ApiError.notFound('group', groupId);
        if (p.role !== 'admin' && !(p.role === 'agent' && p.id === row.decision?.requester))
            throw new api_error_1.ApiError(protocol_1.ErrorCode.FORBIDDEN, 'admins and the requester read a team-up decision');
        if (!row.decision)
            throw new api_error_1.ApiError(protocol_1.ErrorCode.NOT_FOUND, `group ${groupId} was not formed by team formation`);
        return { group_id: row.id, ...row.decision };
    }
    async nodes(p, rows, rootParent = null) {
        const tasks = new Map();
        for (const t of await this.store.tasksIn(rows.map((r) => r.id))) {
            const row = rows.find((r) => r.id === t.groupId);
            tasks.set(t.groupId, [...(tasks.get(t.groupId) ?? []), (0, views_1.taskView)(this.sessions.live.get(t.groupId)?.tasks.get(t.id) ?? t, row, p)]);
        }
        const node = (r) => {
            const live = this.sessions.live.get(r.id)?.row ?? r;
            return {
                group_id: r.id, goal: r.goal, state: live.state, level: r.level, team_up_depth: r.teamUpDepth, coordinator: live.coordinator,
                members: live.members, parent_task_id: r.parentTaskId, close_reason: live.closeReason, tasks: tasks.get(r.id) ?? [],
                children: rows.filter((c) => c.parentGroupId === r.id).map(node),
            };
        };
        return rows.filter((r) => r.parentGroupId === rootParent).map(node);
    }
    async onClosed(live) {
        const row = live.row;
        const concluded = row.closeReason === 'concluded';
        if (concluded) {
            await this.contacts.record({ members: row.members, goal: row.goal, at: this.clock.now(), tasks: [...live.tasks.values()].map((t) => ({ assignee: t.assignee, state: t.state })) });
        }
        if (row.parentGroupId && row.parentTaskId && this.sessions.live.has(row.parentGroupId)) {
            await this.sessions.run(row.parentGroupId, (parent, batch) => {
                const task = parent.tasks.get(row.parentTaskId);
                if (!task || (0, task_book_1.isSettled)(task))
                    return;
                const now = this.clock.now();
                if (concluded) {
                    const summary = live.summary ?? '';
                    task.result = { status: 'completed', task_conclusion: summary, task_abstract: summary.slice(0, 200) };
                    task.progress = 1;
                    task.state = 'completed';
                    task.updatedAt = now;
                    task.history = [...task.history, { at: now, state: 'completed', by: 'system', note: `sub-team ${row.id} concluded` }];
                }
                else {
                    (0, task_book_1.endTask)(task, 'failed', `sub-team ${row.id} closed: ${row.closeReason}`, now);
                }
                batch.touch(task);
                batch.deliveries.push(() => this.engine.emitTask(parent, task));
                this.engine.system(parent, batch, 'subteam_closed', `sub-team ${row.id} ${concluded ? 'concluded' : `closed (${row.closeReason})`}`, { group_id: row.id, task_id: task.id, state: task.state });
                this.engine.send(parent, batch, { type: 'TASK_SETTLED', taskId: task.id }, 'system');
            });
        }
        if (row.goalId && !row.parentGroupId) {
            const goal = await this.goals.findOneBy({ id: row.goalId });
            if (goal && goal.status === 'running') {
                await this.goals.update({ id: goal.id }, {
                    status: concluded ? 'completed' : 'failed', result: concluded ? live.summary : null, reason: concluded ? null : `root team closed: ${row.closeReason}`, updatedAt: this.clock.now(),
                });
            }
        }
    }
    async readable(p, id) {
        const goal = await this.goals.findOneBy({ id });
        if (!goal)
            throw api_error_1.ApiError.notFound('goal', id);
        const ok = p.role === 'admin' || (p.role === 'observer' && (p.scope?.all || p.scope?.goals?.includes(id))) || (p.role === 'agent' && (p.id === goal.coordinator || p.id === goal.createdBy));
        if (!ok)
            throw new api_error_1.ApiError(protocol_1.ErrorCode.FORBIDDEN, 'this token may not read this goal');
        return goal;
    }
    view(g) {
        return {
            id: g.id, goal: g.goal, status: g.status, coordinator: g.coordinator, coordinator_choice: g.coordinatorChoice, max_turns: g.maxTurns,
            team_up_depth: g.teamUpDepth, root_group_id: g.rootGroupId, result: g.result, reason: g.reason, created_by: g.createdBy,
            created_at: (0, columns_1.iso)(g.createdAt), updated_at: (0, columns_1.iso)(g.updatedAt),
        };
    }
};
exports.GoalsService = GoalsService;
exports.GoalsService = GoalsService = __decorate([
    (0, common_1.Injectable)(),
    __param(0, (0, typeorm_1.InjectRepository)(goal_entity_1.GoalEntity)),
    __metadata("design:paramtypes", [typeorm_2.Repository,
        session_service_1.SessionService,
        session_engine_1.SessionEngine,
        group_store_1.GroupStore,
        agent_registry_service_1.AgentRegistry,
        agent_search_service_1.AgentSearchService,
        contacts_1.Contacts,
        emitter_port_1.Emitter,
        runtime_module_1.Clock,
        runtime_module_1.IdGenerator])
], GoalsService);
//# sourceMappingURL=goals.service.js.map