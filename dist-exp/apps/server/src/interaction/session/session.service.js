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
exports.SessionService = void 0;
exports.parseEnvelope = parseEnvelope;
const common_1 = require("@nestjs/common");
const protocol_1 = require("../../../../../libs/protocol/src");
const agent_registry_service_1 = require("../../data/registry/agent-registry.service");
const group_entity_1 = require("../../data/groups/group.entity");
const group_store_1 = require("../../data/groups/group-store");
const api_error_1 = require("../../foundation/http/api-error");
const runtime_module_1 = require("../../foundation/runtime/runtime.module");
const keyed_queue_1 = require("../../foundation/runtime/keyed-queue");
const live_group_1 = require("./live-group");
const session_engine_1 = require("./session-engine");
const session_machine_1 = require("./session.machine");
const session_policy_1 = require("./session.policy");
const task_book_1 = require("./task-book");
const views_1 = require("./views");
/**
 * The single owner of every open group: its machine, its `seq`, its tasks and timers. Every path that changes a
 * group (socket messages, REST, timers, presence) runs through `run(groupId, …)`, one step at a time per group.
 */
let SessionService = class SessionService {
    store;
    registry;
    engine;
    clock;
    ids;
    logger = new common_1.Logger('sessions');
    live = new Map();
    queue = new keyed_queue_1.KeyedQueue();
    /** Called after every committed step, so the scheduler can re-arm the group's next deadline. */
    onCommitted = () => undefined;
    /** Called once a group has closed and its close is stored (team formation passes results up the tree). */
    closedListeners = [];
    /** Resolves once the open groups are loaded at start-up (presence suspends the tasks of absent assignees then). */
    loaded;
    markLoaded = () => undefined;
    /** Runs when a forming group's invite or forming deadline passes (team formation decides what follows). */
    onFormingDeadline = () => undefined;
    constructor(store, registry, engine, clock, ids) {
        this.store = store;
        this.registry = registry;
        this.engine = engine;
        this.clock = clock;
        this.ids = ids;
        this.loaded = new Promise((resolve) => (this.markLoaded = resolve));
    }
    async onApplicationBootstrap() {
        const downtime = await this.store.discountDowntime(this.clock.now());
        if (downtime > 0)
            this.logger.log(`server was down for ${downtime} ms; open deadlines moved by as much`);
        for (const row of await this.store.openGroups()) {
            if (row.machineVersion !== session_machine_1.SESSION_MACHINE_VERSION) {
                this.logger.error(`group ${row.id}: snapshot of machine version ${row.machineVersion} (this server runs ${session_machine_1.SESSION_MACHINE_VERSION}) refused; the group stays unloaded`);
                continue;
            }
            this.live.set(row.id, await this.load(row));
        }
        if (this.live.size)
            this.logger.log(`resumed ${this.live.size} open groups`);
        this.markLoaded();
    }
    async onApplicationShutdown() {
        for (const live of this.live.values())
            live.actor.stop();
    }
    /** Runs one step on a group under its lock; commits the batch, then delivers in order. */
    run(groupId, step) {
        return this.queue.run(groupId, async () => {
            const live = this.live.get(groupId);
            if (!live)
                throw api_error_1.ApiError.notFound('open group', groupId);
            const batch = new live_group_1.Batch();
            const result = await step(live, batch);
            await this.commit(live, batch);
            return result;
        });
    }
    /** `POST /v1/groups`: members are added directly and the group opens in `discussion` at once. */
    async create(by, dto) {
        const coordinator = dto.coordinator ?? (by.role === 'agent' ? by.id : null);
        if (!coordinator)
            throw new api_error_1.ApiError(protocol_1.ErrorCode.VALIDATION, 'coordinator is required when an admin creates a group');
        const members = [...new Set([coordinator, ...dto.members])];
        await this.assertAgents(members);
        const live = await this.start({
            createdBy: by.id, goal: dto.goal, coordinator, members, maxTurns: dto.max_turns, teamUpDepth: dto.team_up_depth ?? 0,
            options: { turn_timeout_s: dto.turn_timeout_s, coordinator_timeout_s: dto.coordinator_timeout_s, conclusion_wait_s: dto.conclusion_wait_s },
        });
        return (0, views_1.groupView)(live.row, live.context.holders);
    }
    /** Unknown or disabled agents cannot be members. */
    async assertAgents(ids) {
        const agents = await this.registry.getMany(ids);
        const missing = ids.filter((id) => !agents.some((a) => a.id === id));
        if (missing.length)
            throw new api_error_1.ApiError(protocol_1.ErrorCode.NOT_FOUND, `unknown agents: ${missing.join(', ')}`);
        const disabled = agents.filter((a) => a.status === 'disabled').map((a) => a.id);
        if (disabled.length)
            throw new api_error_1.ApiError(protocol_1.ErrorCode.VALIDATION, `disabled agents cannot join: ${disabled.join(', ')}`);
    }
    /**
     * Creates a group and its machine. Without `forming` it opens in `discussion` (goal posted, coordinator's turn);
     * with it, it waits in `forming` while team formation collects answers, and `first` writes its first steps.
     */
    async start(spec, first) {
        const now = this.clock.now();
        const o = spec.options ?? {};
        const row = Object.assign(new group_entity_1.GroupEntity(), {
            id: this.ids.next(), goal: spec.goal, createdBy: spec.createdBy, coordinator: spec.coordinator, members: spec.members,
            state: spec.forming ? 'forming' : 'discussion', machineVersion: session_machine_1.SESSION_MACHINE_VERSION, snapshot: null, lastSeq: 0, turnsUsed: 0,
            maxTurns: spec.maxTurns ?? protocol_1.SESSION_DEFAULTS.max_turns,
            options: {
                turn_timeout_s: o.turn_timeout_s ?? protocol_1.SESSION_DEFAULTS.turn_timeout_s,
                coordinator_timeout_s: o.coordinator_timeout_s ?? protocol_1.SESSION_DEFAULTS.coordinator_timeout_s,
                conclusion_wait_s: o.conclusion_wait_s ?? protocol_1.SESSION_DEFAULTS.conclusion_wait_s,
            },
            turnDeadline: null, conclusionDeadline: null, closeReason: null, goalId: spec.goalId ?? null, parentGroupId: spec.parentGroupId ?? null,
            parentTaskId: spec.parentTaskId ?? null, level: spec.level ?? 0, teamUpDepth: spec.teamUpDepth, formingDeadline: spec.forming?.deadline ?? null,
            decision: spec.forming?.decision ?? null, createdAt: now, updatedAt: now,
        });
        const live = new live_group_1.LiveGroup(row, new Map(), { input: { coordinator: spec.coordinator, members: spec.members, maxTurns: row.maxTurns, forming: !!spec.forming } });
        this.live.set(row.id, live);
        await this.run(row.id, (l, batch) => {
            this.engine.audit(batch, spec.createdBy, 'group_created', row.id, { coordinator: spec.coordinator, members: spec.members, forming: !!spec.forming });
            first?.(l, batch);
            if (!spec.forming)
                this.engine.open(l, batch);
        }).catch((e) => {
            this.live.delete(row.id);
            throw e;
        });
        return live;
    }
    /** Validation → duplicate id → membership → closed → role → state → turn; a refused message changes nothing. */
    async handle(by, raw) {
        if (by.role !== 'agent')
            throw new api_error_1.ApiError(protocol_1.ErrorCode.FORBIDDEN, 'only agents send messages; observers watch');
        const envelope = parseEnvelope(raw);
        const { header, payload, ext } = envelope;
        if (header.type === 'team_formation')
            throw new api_error_1.ApiError(protocol_1.ErrorCode.ILLEGAL_IN_STATE, 'team_formation is handled by team formation');
        if (!header.group_id)
            throw new api_error_1.ApiError(protocol_1.ErrorCode.VALIDATION, 'header.group_id is required', [{ field: 'header.group_id', messages: ['required'] }]);
        const groupId = header.group_id;
        const digest = (0, session_engine_1.digestOf)(header.type, payload, ext);
        if (!this.live.has(groupId)) {
            // A closed (or unknown) group still answers a resend of an accepted message with its original ack.
            const original = await this.resend(groupId, by.id, header.message_id, digest);
            if (original)
                return original;
            throw await this.notOpen(groupId, by.id);
        }
        return this.run(groupId, async (live, batch) => {
            // Under the lock, so that a resend racing its original sees it.
            const original = await this.resend(groupId, by.id, header.message_id, digest);
            if (original)
                return original;
            const refusal = (0, session_policy_1.checkMessage)(live.policy, by.id, header.type, payload, live.tasks);
            const event = refusal ? null : toEvent(header.type, payload, by.id);
            if (refusal || (event && !live.actor.getSnapshot().can(event))) {
                const error = refusal ?? { code: protocol_1.ErrorCode.ILLEGAL_IN_STATE, message: `${header.type} is not allowed now` };
                if (live.policy.members.includes(by.id))
                    await this.refused(live, by.id, header.type, error);
                throw new api_error_1.ApiError(error.code, error.message);
            }
            return this.accept(live, batch, by.id, envelope, digest, event);
        });
    }
    /**
     * Team reorganisation: the coordinator adds or removes members during `discussion`; any member but the coordinator
     * may leave. Announced by a `system` message; a leaver's tasks stay for the coordinator to reassign or cancel.
     */
    async changeMembers(by, groupId, change) {
        if (by.role !== 'agent' && by.role !== 'admin')
            throw new api_error_1.ApiError(protocol_1.ErrorCode.FORBIDDEN, 'agents and admins change members');
        if (change.add)
            await this.assertAgents([change.add]);
        if (!this.live.has(groupId))
            throw await this.notOpen(groupId, by.id);
        return this.run(groupId, (live, batch) => {
            const { coordinator, members } = live.context;
            const leaving = change.remove !== undefined && change.remove === by.id;
            if (by.role === 'agent' && !members.includes(by.id))
                throw new api_error_1.ApiError(protocol_1.ErrorCode.NOT_MEMBER, 'you are not a member of this group');
            if (!leaving && by.role === 'agent' && by.id !== coordinator)
                throw new api_error_1.ApiError(protocol_1.ErrorCode.FORBIDDEN, 'only the coordinator adds or removes members');
            if (!leaving && live.state !== 'discussion')
                throw new api_error_1.ApiError(protocol_1.ErrorCode.ILLEGAL_IN_STATE, `members change during discussion, not in ${live.state}`);
            if (change.remove === coordinator)
                throw new api_error_1.ApiError(protocol_1.ErrorCode.VALIDATION, 'the coordinator cannot leave or be removed; conclude or let the role pass on');
            if (change.remove && !members.includes(change.remove))
                throw new api_error_1.ApiError(protocol_1.ErrorCode.NOT_FOUND, `${change.remove} is not a member`);
            if (change.add && members.includes(change.add))
                throw new api_error_1.ApiError(protocol_1.ErrorCode.CONFLICT, `${change.add} is already a member`);
            const next = change.add ? [...members, change.add] : members.filter((m) => m !== change.remove);
            this.engine.send(live, batch, { type: 'SET_MEMBERS', members: next }, by.id);
            const what = change.add ? `${change.add} joined` : leaving ? `${by.id} left` : `${change.remove} was removed`;
            this.engine.system(live, batch, 'members_changed', what, { added: change.add ?? null, removed: change.remove ?? null, by: by.id, members: next });
            this.engine.audit(batch, by.id, 'members_changed', groupId, { add: change.add ?? null, remove: change.remove ?? null });
            return (0, views_1.groupView)(live.row, live.context.holders);
        });
    }
    /** Closes a group from outside the protocol (admin, goal cancellation, failed formation). */
    close(groupId, reason, actor, note) {
        return this.run(groupId, (live, batch) => {
            this.engine.audit(batch, actor, 'group_close', groupId, { reason, note: note ?? null });
            this.engine.send(live, batch, { type: 'CLOSE', reason, note }, actor);
            return (0, views_1.groupView)(live.row, []);
        });
    }
    accept(live, batch, sender, env, digest, event) {
        const { header, payload, ext } = env;
        const now = this.clock.now();
        let stored = payload;
        let taskIds = null;
        if (header.type === 'task_assignment') {
            const specs = payload.tasks;
            const tasks = specs.map((spec) => (0, task_book_1.newTask)(this.ids.next(), live.row.id, payload.mode, spec, sender, now));
            taskIds = tasks.map((t) => t.id);
            stored = { ...payload, tasks: specs.map((spec, i) => ({ task_id: taskIds[i], ...spec })) };
            for (const t of tasks) {
                live.tasks.set(t.id, t);
                batch.touch(t);
                batch.deliveries.push(() => this.engine.emitTask(live, t));
            }
            if (event?.type === 'ASSIGN')
                event.taskIds = payload.mode === 'sync' ? taskIds : [];
        }
        const message = this.engine.append(live, batch, { type: header.type, sender, payload: stored, messageId: header.message_id, ext, digest, taskIds });
        if (header.type === 'conclusion')
            live.summary = payload.summary;
        const task = typeof payload.task_id === 'string' ? live.tasks.get(payload.task_id) : undefined;
        if (task) {
            const settled = (0, task_book_1.applyTaskMessage)(task, header.type, payload, sender, now);
            batch.touch(task);
            batch.deliveries.push(() => this.engine.emitTask(live, task));
            if (settled)
                this.engine.send(live, batch, { type: 'TASK_SETTLED', taskId: task.id }, sender);
        }
        if (event)
            this.engine.send(live, batch, event, sender);
        return { seq: message.seq, message_id: message.messageId, ...(taskIds ? { task_ids: taskIds } : {}) };
    }
    async commit(live, batch) {
        this.engine.seal(live);
        try {
            await this.store.commit({ group: live.row, messages: batch.messages, tasks: [...batch.tasks.values()], audit: batch.audit });
        }
        catch (e) {
            // The in-memory group ran ahead of what was stored: reload it from the database rather than diverge.
            this.logger.error(`group ${live.row.id}: commit failed, reloading: ${e.message}`);
            await this.reload(live.row.id);
            throw e;
        }
        for (const deliver of batch.deliveries)
            deliver();
        this.onCommitted(live);
        if (live.row.state === 'closed') {
            live.actor.stop();
            this.live.delete(live.row.id);
            for (const listener of this.closedListeners)
                listener(live);
        }
    }
    async reload(groupId) {
        this.live.get(groupId)?.actor.stop();
        this.live.delete(groupId);
        const row = await this.store.get(groupId);
        if (!row || row.state === 'closed' || !row.snapshot)
            return;
        this.live.set(groupId, await this.load(row));
    }
    /** An open group from its stored row, with its tasks and the ids of its messages. */
    async load(row) {
        const tasks = new Map((await this.store.tasksOf(row.id)).map((t) => [t.id, t]));
        const live = new live_group_1.LiveGroup(row, tasks, { snapshot: row.snapshot });
        live.knowMessageIds(await this.store.messageIds(row.id, live_group_1.MESSAGE_IDS_KEPT + 1));
        return live;
    }
    /** The original ack of an accepted message with this id, or a refusal if the id was used for other content. */
    async resend(groupId, sender, messageId, digest) {
        if (this.live.get(groupId)?.isNewMessageId(sender, messageId))
            return null;
        const existing = await this.store.findMessage(groupId, sender, messageId);
        if (!existing)
            return null;
        if (existing.digest !== digest)
            throw new api_error_1.ApiError(protocol_1.ErrorCode.DUPLICATE_MESSAGE_ID, `message_id ${messageId} was already used for other content`);
        return { seq: existing.seq, message_id: existing.messageId, ...(existing.taskIds ? { task_ids: existing.taskIds } : {}) };
    }
    async refused(live, sender, type, error) {
        const batch = new live_group_1.Batch();
        this.engine.audit(batch, sender, 'refused', live.row.id, { type, code: error.code, message: error.message });
        await this.store.commit({ audit: batch.audit });
    }
    async notOpen(groupId, sender) {
        const row = await this.store.get(groupId);
        if (!row)
            return api_error_1.ApiError.notFound('group', groupId);
        if (!row.members.includes(sender))
            return new api_error_1.ApiError(protocol_1.ErrorCode.NOT_MEMBER, 'you are not a member of this group');
        if (row.state === 'closed')
            return new api_error_1.ApiError(protocol_1.ErrorCode.GROUP_CLOSED, `the group is closed (${row.closeReason})`);
        return new api_error_1.ApiError(protocol_1.ErrorCode.UNAVAILABLE, 'the group could not be loaded on this server');
    }
};
exports.SessionService = SessionService;
exports.SessionService = SessionService = __decorate([
    (0, common_1.Injectable)(),
    __metadata("design:paramtypes", [group_store_1.GroupStore,
        agent_registry_service_1.AgentRegistry,
        session_engine_1.SessionEngine,
        runtime_module_1.Clock,
        runtime_module_1.IdGenerator])
], SessionService);
/**
 * The envelope, then its payload by the class of its type. The payload is copied once, by that class: the envelope
 * pass sees an empty stand-in (it checks only that a payload object is there), so the hot path does not transform
 * every payload twice.
 */
function parseEnvelope(raw) {
    const payload = (0, api_error_1.isPlainObject)(raw) ? raw.payload : undefined;
    const standIn = (0, api_error_1.isPlainObject)(payload) ? { ...raw, payload: {} } : raw;
    const envelope = (0, api_error_1.parseDto)(protocol_1.ClientEnvelopeDto, standIn, undefined, 'the envelope');
    const payloadClass = protocol_1.PAYLOAD_CLASSES[envelope.header.type];
    // team_formation has no class here: the team-formation layer parses its payload.
    envelope.payload = (payloadClass ? (0, api_error_1.parseDto)(payloadClass, payload, 'payload') : payload);
    return envelope;
}
function toEvent(type, p, sender) {
    switch (type) {
        case 'discussion':
            return { type: 'DISCUSS', sender, nextSpeakers: [...new Set(p.next_speaker)], nextState: p.next_state };
        case 'task_assignment':
            return { type: 'ASSIGN', sender, mode: p.mode, taskIds: [] };
        case 'pause_and_trigger':
            return { type: 'PAUSE', sender, triggers: [...new Set(p.triggers)] };
        case 'conclusion':
            return { type: 'CONCLUDE', sender };
        default:
            return null;
    }
}
//# sourceMappingURL=session.service.js.map