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
exports.TeamFormationService = void 0;
const common_1 = require("@nestjs/common");
const typeorm_1 = require("@nestjs/typeorm");
const typeorm_2 = require("typeorm");
const protocol_1 = require("../../../../../libs/protocol/src");
const goal_entity_1 = require("../../data/goals/goal.entity");
const group_store_1 = require("../../data/groups/group-store");
const config_service_1 = require("../../foundation/config/config.service");
const api_error_1 = require("../../foundation/http/api-error");
const emitter_port_1 = require("../../foundation/network/emitter.port");
const columns_1 = require("../../foundation/persistence/columns");
const rate_limiter_1 = require("../../foundation/network/rate-limiter");
const runtime_module_1 = require("../../foundation/runtime/runtime.module");
const keyed_queue_1 = require("../../foundation/runtime/keyed-queue");
const session_engine_1 = require("../session/session-engine");
const session_service_1 = require("../session/session.service");
const task_book_1 = require("../session/task-book");
const candidate_finder_1 = require("./candidate-finder");
/**
 * Team formation: a requester asks for members by id or by need; the server picks candidates by meaning, creates
 * the group in `forming`, invites, moves to the next candidate on a decline or timeout, and opens the group once
 * every slot has an answer (or fails it, never leaving it half-open).
 */
let TeamFormationService = class TeamFormationService {
    sessions;
    engine;
    finder;
    store;
    goals;
    emitter;
    config;
    clock;
    ids;
    invites = new Map();
    /** One formation at a time per (sender, message_id): a resend waits for its original and then finds it stored. */
    forming = new keyed_queue_1.KeyedQueue();
    inviteLimiter;
    constructor(sessions, engine, finder, store, goals, emitter, config, clock, ids) {
        this.sessions = sessions;
        this.engine = engine;
        this.finder = finder;
        this.store = store;
        this.goals = goals;
        this.emitter = emitter;
        this.config = config;
        this.clock = clock;
        this.ids = ids;
        const perMinute = config.values.teams.invitesPerMinute;
        this.inviteLimiter = new rate_limiter_1.RateLimiter(perMinute / 60, perMinute, () => clock.now());
    }
    onModuleInit() {
        this.sessions.onFormingDeadline = (live, batch) => this.onDeadline(live, batch);
    }
    onApplicationBootstrap() {
        for (const live of this.sessions.live.values()) {
            for (const slot of live.row.decision?.needs ?? [])
                for (const i of slot.invites)
                    this.invites.set(i.invite_id, live.row.id);
        }
    }
    /** `team_formation` over the socket: a root team (no `group_id`, optional `goal_id`) or a sub-team (`parent_task_id`). */
    async fromEnvelope(by, raw) {
        const { header, payload } = (0, session_service_1.parseEnvelope)(raw);
        return this.form(by, (0, api_error_1.parseDto)(protocol_1.TeamFormationPayload, payload, 'payload'), header.message_id);
    }
    /** Forms a team; a resend of the same `message_id` (even one racing its original) gets the original's ack. */
    form(by, dto, messageId = this.ids.next()) {
        if (by.role !== 'agent')
            return Promise.reject(new api_error_1.ApiError(protocol_1.ErrorCode.FORBIDDEN, 'teams are formed by agents'));
        return this.forming.run(`${by.id} ${messageId}`, () => this.formOnce(by, dto, messageId));
    }
    async formOnce(by, dto, messageId) {
        const digest = (0, session_engine_1.digestOf)('team_formation', dto, null);
        const existing = await this.store.findBySender(by.id, messageId);
        if (existing) {
            if (existing.type !== 'team_formation' || existing.digest !== digest)
                throw new api_error_1.ApiError(protocol_1.ErrorCode.DUPLICATE_MESSAGE_ID, `message_id ${messageId} was already used`);
            const row = await this.store.get(existing.groupId);
            return { seq: existing.seq, message_id: messageId, group_id: existing.groupId, candidates: invited(row?.decision?.needs ?? []) };
        }
        const size = 1 + dto.team_members.reduce((n, m) => n + (typeof m === 'string' ? 1 : m.count ?? 1), 0);
        if (size > this.config.values.teams.maxTeamSize)
            throw new api_error_1.ApiError(protocol_1.ErrorCode.VALIDATION, `a team of ${size} exceeds the maximum of ${this.config.values.teams.maxTeamSize}`);
        const place = await this.place(by.id, dto);
        const slots = await this.finder.slots(by.id, dto.team_members, place.exclude);
        const now = this.clock.now();
        let seq = 0;
        const start = () => this.sessions.start({
            createdBy: by.id, goal: dto.goal, coordinator: by.id, members: [by.id], maxTurns: dto.max_turns ?? place.maxTurns,
            teamUpDepth: place.depth, goalId: place.goalId, parentGroupId: place.parent?.row.id ?? null, parentTaskId: dto.parent_task_id ?? null,
            level: place.level, forming: { deadline: now + this.config.values.teams.formingTimeoutS * 1000, decision: { requester: by.id, needs: slots, outcome: 'forming' } },
        }, (l, batch) => {
            seq = this.engine.append(l, batch, { type: 'team_formation', sender: by.id, payload: { ...dto }, messageId, digest }).seq;
            for (const slot of slots)
                this.inviteNext(l, batch, slot);
            this.settle(l, batch);
        });
        const live = place.parent ? await this.announced(place.parent.row.id, dto.parent_task_id, by.id, dto.goal, start) : await start();
        if (place.goal) {
            // A formation can fail within its first step (no invite could be sent): then the goal fails with it.
            const failed = live.row.state === 'closed';
            await this.goals.update({ id: place.goal.id }, {
                rootGroupId: live.row.id, status: failed ? 'failed' : 'running', reason: failed ? `root team failed to form: ${live.row.decision?.reason}` : null, updatedAt: now,
            });
        }
        return { seq, message_id: messageId, group_id: live.row.id, candidates: invited(slots) };
    }
    async reply(by, dto) {
        const groupId = this.invites.get(dto.invite_id);
        if (!groupId || !this.sessions.live.has(groupId))
            throw new api_error_1.ApiError(protocol_1.ErrorCode.NOT_FOUND, `invite ${dto.invite_id} is unknown or its group has formed`);
        return this.sessions.run(groupId, (live, batch) => {
            const slot = live.row.decision?.needs.find((s) => s.invites.some((i) => i.invite_id === dto.invite_id));
            const invite = slot?.invites.find((i) => i.invite_id === dto.invite_id);
            if (!slot || !invite || invite.agent_id !== by.id)
                throw new api_error_1.ApiError(protocol_1.ErrorCode.FORBIDDEN, 'this invite is not yours');
            if (invite.status !== 'pending' || live.state !== 'forming')
                throw new api_error_1.ApiError(protocol_1.ErrorCode.CONFLICT, `this invite is already ${invite.status}`);
            Object.assign(invite, { status: dto.accept ? 'accepted' : 'declined', answered_at: this.clock.now(), ...(dto.reason ? { reason: dto.reason } : {}) });
            if (dto.accept) {
                this.engine.send(live, batch, { type: 'SET_MEMBERS', members: [...new Set([...live.context.members, by.id])] }, by.id);
                this.engine.system(live, batch, 'member_joined', `${by.id} joined`, { agent_id: by.id, need: slot.need });
            }
            else {
                this.inviteNext(live, batch, slot);
            }
            this.settle(live, batch);
            return { group_id: live.row.id };
        });
    }
    /**
     * Creates a sub-team and announces it in its parent group (system `subteam_formed`), so that whoever follows the
     * parent learns of it at once. Both run under the parent's lock: the task cannot settle in between, and the
     * announcement precedes anything the sub-team's closing reports there (`subteam_closed`).
     */
    announced(parentId, taskId, requester, goal, start) {
        return this.sessions.run(parentId, async (parent, batch) => {
            const task = parent.tasks.get(taskId);
            if (!task || (0, task_book_1.isSettled)(task))
                throw new api_error_1.ApiError(protocol_1.ErrorCode.FORBIDDEN, 'a sub-team is formed for an open task you hold');
            const sub = await start();
            this.engine.system(parent, batch, 'subteam_formed', `sub-team ${sub.row.id} formed for task ${taskId}`, { group_id: sub.row.id, task_id: taskId, coordinator: requester, goal });
            return sub;
        });
    }
    /** Where the new group goes in the tree, what it may do, and whom it must not invite. */
    async place(requester, dto) {
        if (dto.parent_task_id) {
            const parent = [...this.sessions.live.values()].find((l) => l.tasks.has(dto.parent_task_id));
            if (!parent)
                throw new api_error_1.ApiError(protocol_1.ErrorCode.NOT_FOUND, `task ${dto.parent_task_id} is not an open task`);
            if (!parent.context.members.includes(requester))
                throw new api_error_1.ApiError(protocol_1.ErrorCode.NOT_MEMBER, 'you are not a member of the task\'s group');
            const task = parent.tasks.get(dto.parent_task_id);
            if (!task.assignee.includes(requester) || (0, task_book_1.isSettled)(task))
                throw new api_error_1.ApiError(protocol_1.ErrorCode.FORBIDDEN, 'a sub-team is formed for an open task you hold');
            if (parent.row.teamUpDepth < 1)
                throw new api_error_1.ApiError(protocol_1.ErrorCode.DEPTH_EXHAUSTED, `group ${parent.row.id} may not team up further (team_up_depth 0)`);
            const depth = Math.min(dto.team_up_depth ?? parent.row.teamUpDepth - 1, parent.row.teamUpDepth - 1);
            const exclude = dto.allow_ancestor_members ? new Set() : await this.ancestorsMembers(parent.row);
            return { parent, goal: null, goalId: parent.row.goalId, depth, level: parent.row.level + 1, maxTurns: parent.row.maxTurns, exclude };
        }
        if (dto.goal_id) {
            const goal = await this.goals.findOneBy({ id: dto.goal_id });
            if (!goal)
                throw api_error_1.ApiError.notFound('goal', dto.goal_id);
            if (goal.coordinator !== requester)
                throw new api_error_1.ApiError(protocol_1.ErrorCode.FORBIDDEN, 'only the goal\'s coordinator forms its root team');
            if (goal.rootGroupId || goal.status !== 'pending')
                throw new api_error_1.ApiError(protocol_1.ErrorCode.CONFLICT, `goal ${goal.id} already has its team (${goal.status})`);
            const depth = Math.min(dto.team_up_depth ?? goal.teamUpDepth, goal.teamUpDepth);
            return { parent: null, goal, goalId: goal.id, depth, level: 0, maxTurns: goal.maxTurns, exclude: new Set() };
        }
        return { parent: null, goal: null, goalId: null, depth: dto.team_up_depth ?? 0, level: 0, maxTurns: undefined, exclude: new Set() };
    }
    /**
     * Members of the groups above are not invited into a sub-team: they already take part in the parent's session,
     * and inviting them would let one agent hold a task and also work inside the team that serves it.
     */
    async ancestorsMembers(row) {
        const out = new Set();
        for (let r = row; r; r = r.parentGroupId ? this.sessions.live.get(r.parentGroupId)?.row ?? (await this.store.get(r.parentGroupId)) : null) {
            for (const m of r.members)
                out.add(m);
        }
        return out;
    }
    /** Invites the next candidates of a slot until accepted plus pending invites fill it, or candidates run out. */
    inviteNext(live, batch, slot) {
        const now = this.clock.now();
        // Never two open invites for one agent, whichever slot they came from.
        const asked = new Set([...slot.invites.map((i) => i.agent_id),
            ...(live.row.decision?.needs ?? []).flatMap((s) => s.invites.filter((i) => i.status === 'pending' || i.status === 'accepted').map((i) => i.agent_id))]);
        const members = new Set(live.context.members);
        for (const c of slot.candidates) {
            const open = slot.invites.filter((i) => i.status === 'accepted' || i.status === 'pending').length;
            if (open >= slot.count)
                return;
            if (asked.has(c.agent_id) || members.has(c.agent_id))
                continue;
            asked.add(c.agent_id);
            if (!this.inviteLimiter.take(c.agent_id)) {
                slot.invites.push({ invite_id: this.ids.next(), agent_id: c.agent_id, status: 'expired', reason: 'invite rate limit', sent_at: now, deadline: now });
                continue;
            }
            const invite = { invite_id: this.ids.next(), agent_id: c.agent_id, status: 'pending', sent_at: now, deadline: now + this.config.values.teams.inviteTimeoutS * 1000 };
            slot.invites.push(invite);
            this.invites.set(invite.invite_id, live.row.id);
            batch.deliveries.push(() => this.emitter.emit({ rooms: [emitter_port_1.ROOM.agent(c.agent_id)] }, 'invite', {
                invite_id: invite.invite_id, group_id: live.row.id, goal: live.row.goal, from: live.row.coordinator, need: slot.need, deadline: (0, columns_1.iso)(invite.deadline),
            }));
        }
    }
    /** Opens the group once every slot is answered; fails it if nobody but the coordinator joined. */
    settle(live, batch, timedOut = false) {
        const decision = live.row.decision;
        if (!decision || live.state !== 'forming')
            return;
        const pending = decision.needs.some((s) => s.invites.some((i) => i.status === 'pending'));
        if (pending && !timedOut)
            return;
        if (live.context.members.length > 1) {
            decision.outcome = 'opened';
            this.engine.open(live, batch);
            return;
        }
        decision.outcome = 'failed';
        decision.reason = timedOut ? 'forming timed out with no member besides the coordinator' : 'every candidate declined or did not answer';
        this.engine.send(live, batch, { type: 'CLOSE', reason: 'failed', note: decision.reason }, 'system');
        batch.deliveries.push(() => this.emitter.emit({ rooms: [emitter_port_1.ROOM.agent(decision.requester)] }, 'group_state', { group_id: live.row.id, state: 'closed', seq: live.row.lastSeq }));
    }
    onDeadline(live, batch) {
        const now = this.clock.now();
        for (const slot of live.row.decision?.needs ?? []) {
            for (const i of slot.invites.filter((x) => x.status === 'pending' && x.deadline <= now)) {
                Object.assign(i, { status: 'expired', answered_at: now });
                this.inviteNext(live, batch, slot);
            }
        }
        const timedOut = live.row.formingDeadline !== null && live.row.formingDeadline <= now;
        if (timedOut) {
            for (const slot of live.row.decision?.needs ?? [])
                for (const i of slot.invites)
                    if (i.status === 'pending')
                        Object.assign(i, { status: 'expired', answered_at: now });
        }
        this.settle(live, batch, timedOut);
    }
};
exports.TeamFormationService = TeamFormationService;
exports.TeamFormationService = TeamFormationService = __decorate([
    (0, common_1.Injectable)(),
    __param(4, (0, typeorm_1.InjectRepository)(goal_entity_1.GoalEntity)),
    __metadata("design:paramtypes", [session_service_1.SessionService,
        session_engine_1.SessionEngine,
        candidate_finder_1.CandidateFinder,
        group_store_1.GroupStore,
        typeorm_2.Repository,
        emitter_port_1.Emitter,
        config_service_1.ConfigService,
        runtime_module_1.Clock,
        runtime_module_1.IdGenerator])
], TeamFormationService);
function invited(slots) {
    return slots.flatMap((s) => s.candidates.slice(0, s.count).map((c) => ({ need: s.need, agent_id: c.agent_id, score: c.score, matched: c.matched })));
}
//# sourceMappingURL=team-formation.service.js.map