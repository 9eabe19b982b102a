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
exports.SessionEngine = void 0;
exports.digestOf = digestOf;
const common_1 = require("@nestjs/common");
const node_crypto_1 = require("node:crypto");
const audit_entity_1 = require("../../data/audit/audit.entity");
const message_entity_1 = require("../../data/groups/message.entity");
const emitter_port_1 = require("../../foundation/network/emitter.port");
const columns_1 = require("../../foundation/persistence/columns");
const runtime_module_1 = require("../../foundation/runtime/runtime.module");
const session_machine_1 = require("./session.machine");
const task_book_1 = require("./task-book");
const views_1 = require("./views");
/** The content hash that tells a resend (same id, same content) from a conflicting reuse of an id; key order is ignored. */
function digestOf(type, payload, ext) {
    return (0, node_crypto_1.createHash)('sha256').update(JSON.stringify(canonical([type, payload, ext ?? null]))).digest('hex');
}
function canonical(value) {
    if (Array.isArray(value))
        return value.map(canonical);
    if (value === null || typeof value !== 'object')
        return value;
    return Object.fromEntries(Object.keys(value).sort().map((k) => [k, canonical(value[k])]));
}
/**
 * The effects of a session step on one live group, collected into a batch: stamping messages, driving the machine,
 * keeping deadlines as data, writing the transition log, and queueing deliveries to run after the commit.
 */
let SessionEngine = class SessionEngine {
    clock;
    ids;
    emitter;
    constructor(clock, ids, emitter) {
        this.clock = clock;
        this.ids = ids;
        this.emitter = emitter;
    }
    append(live, batch, m) {
        const row = live.row;
        const message = Object.assign(new message_entity_1.MessageEntity(), {
            groupId: row.id, seq: ++row.lastSeq, messageId: m.messageId ?? this.ids.next(), sender: m.sender, type: m.type,
            state: live.state, payload: m.payload, ext: m.ext ?? null, digest: m.digest ?? digestOf(m.type, m.payload, m.ext),
            taskIds: m.taskIds ?? null, timestamp: this.clock.now(),
        });
        batch.messages.push(message);
        if (m.messageId)
            live.accepted(message.sender, message.messageId);
        batch.deliveries.push(() => this.deliver(live, message));
        return message;
    }
    system(live, batch, event, text, data = {}) {
        this.append(live, batch, { type: 'system', sender: views_1.SYSTEM, payload: { event, text, ...data } });
    }
    audit(batch, actor, action, groupId, detail) {
        batch.audit.push(Object.assign(new audit_entity_1.AuditEntity(), { at: this.clock.now(), actor, action, groupId, detail }));
    }
    /** Sends an event to the machine and turns what changed into deadlines, system messages, log lines and deliveries. */
    send(live, batch, event, actor) {
        const before = { state: live.state, ...live.context };
        live.steps.length = 0;
        live.actor.send(event);
        const after = live.context;
        const state = live.state;
        const now = this.clock.now();
        const row = live.row;
        let from = before.state;
        for (const step of live.steps.filter((s) => s !== 'init')) {
            if (step === from)
                continue;
            this.audit(batch, actor, 'transition', row.id, { from, to: step, event: event.type });
            from = step;
        }
        if (after.coordinator !== before.coordinator) {
            this.system(live, batch, 'coordinator_changed', `coordinator ${before.coordinator} was silent; ${after.coordinator} now coordinates`, {
                previous: before.coordinator, coordinator: after.coordinator,
            });
        }
        if (before.state !== 'conclusion' && state === 'conclusion' && after.turnsUsed >= after.maxTurns) {
            this.system(live, batch, 'max_turns', `max_turns (${after.maxTurns}) reached: the coordinator writes the conclusion`);
        }
        if ((before.state === 'sync_task_assignment' || before.state === 'pause_and_trigger') && state === 'discussion') {
            this.postResults(live, batch, before.held ?? before.pending, before.state);
        }
        if (state === 'closed' && before.state !== 'closed')
            this.onClosed(live, batch, actor, event.type === 'CLOSE' ? event.note : undefined);
        row.state = state;
        row.coordinator = after.coordinator;
        row.members = after.members;
        row.turnsUsed = after.turnsUsed;
        row.closeReason = after.closeReason;
        row.conclusionDeadline = state === 'conclusion' ? row.conclusionDeadline ?? now + row.options.conclusion_wait_s * 1000 : null;
        // A new turn, a new state, or a holder acting restarts the silence deadline.
        const holderActed = 'sender' in event && before.holders.includes(event.sender);
        const holdersChanged = before.holders.join() !== after.holders.join() || event.type === 'TURN_TIMEOUT' || holderActed;
        if (holdersChanged || state !== before.state) {
            const byCoordinator = after.holders.length === 1 && after.holders[0] === after.coordinator;
            const timeout = byCoordinator ? row.options.coordinator_timeout_s : row.options.turn_timeout_s;
            row.turnDeadline = state === 'discussion' && after.holders.length ? now + timeout * 1000 : null;
            if (after.holders.length)
                batch.deliveries.push(() => this.emitTurn(live));
        }
        if (state !== before.state) {
            batch.deliveries.push(() => this.emitter.emit({ rooms: [emitter_port_1.ROOM.group(row.id)] }, 'group_state', { group_id: row.id, state, seq: row.lastSeq }));
        }
    }
    /** Opens a group for discussion: the goal is its first system message and the coordinator holds the first turn. */
    open(live, batch) {
        const { goal, members, coordinator } = { ...live.row, ...live.context };
        this.system(live, batch, 'goal', goal, { goal, coordinator, members });
        live.row.formingDeadline = null;
        // From forming, OPEN gives the coordinator the turn; a group created open already has it, and TURN_TIMEOUT arms its deadline.
        this.send(live, batch, live.state === 'forming' ? { type: 'OPEN' } : { type: 'TURN_TIMEOUT' }, 'system');
    }
    /** Persists the machine's snapshot with the group row. */
    seal(live) {
        live.row.snapshot = live.actor.getPersistedSnapshot();
        live.row.machineVersion = session_machine_1.SESSION_MACHINE_VERSION;
        live.row.updatedAt = this.clock.now();
    }
    emitTask(live, task) {
        const rooms = [...new Set([...task.assignee, live.row.coordinator])].map(emitter_port_1.ROOM.agent);
        this.emitter.emit({ rooms }, 'task', (0, views_1.taskView)(task, live.row, { role: 'admin', id: 'admin' }));
    }
    emitTurn(live) {
        const { holders } = live.context;
        // `seq` is read when delivered, as for `group_state`: the group's last seq after the step that gave the turn.
        this.emitter.emit({ rooms: holders.map(emitter_port_1.ROOM.agent) }, 'turn', { group_id: live.row.id, holders, deadline: (0, columns_1.iso)(live.row.turnDeadline), seq: live.row.lastSeq });
    }
    /** A task assignment is delivered in up to three views: full, each assignee's own, and the abstracts only. */
    deliver(live, m) {
        const group = live.row;
        const full = [emitter_port_1.ROOM.admins(group.id), emitter_port_1.ROOM.member(group.id, group.coordinator)];
        if (m.type !== 'task_assignment') {
            this.emitter.emit({ rooms: [emitter_port_1.ROOM.group(group.id)] }, 'message', (0, views_1.messageView)(m, group, null));
            return;
        }
        this.emitter.emit({ rooms: full }, 'message', (0, views_1.messageView)(m, group, { role: 'admin', id: 'admin' }));
        const assignees = [...new Set(m.payload.tasks.flatMap((t) => t.assignee))].filter((a) => a !== group.coordinator);
        for (const a of assignees) {
            this.emitter.emit({ rooms: [emitter_port_1.ROOM.member(group.id, a)], except: full }, 'message', (0, views_1.messageView)(m, group, { role: 'agent', id: a }));
        }
        this.emitter.emit({ rooms: [emitter_port_1.ROOM.group(group.id)], except: [...full, ...assignees.map((a) => emitter_port_1.ROOM.member(group.id, a))] }, 'message', (0, views_1.messageView)(m, group, null));
    }
    postResults(live, batch, taskIds, from) {
        const results = taskIds.map((id) => live.tasks.get(id)).filter((t) => !!t).map((t) => ({
            task_id: t.id, state: t.state, task_abstract: t.result?.task_abstract ?? t.abstract, reason: t.reason,
        }));
        const what = from === 'pause_and_trigger' ? 'triggers settled' : 'all assigned tasks settled';
        this.system(live, batch, 'tasks_settled', `${what}; discussion resumes`, { results });
    }
    /** A closing group cancels what is still open, so nothing waits on a group that no longer exists. */
    onClosed(live, batch, actor, note) {
        const now = this.clock.now();
        for (const t of live.tasks.values()) {
            if ((0, task_book_1.isSettled)(t))
                continue;
            (0, task_book_1.endTask)(t, 'canceled', 'group closed', now);
            batch.touch(t);
            batch.deliveries.push(() => this.emitTask(live, t));
        }
        const reason = live.context.closeReason;
        this.system(live, batch, 'group_closed', `group closed: ${reason}${note ? ` (${note})` : ''}`, { reason, by: actor, ...(note ? { note } : {}) });
    }
};
exports.SessionEngine = SessionEngine;
exports.SessionEngine = SessionEngine = __decorate([
    (0, common_1.Injectable)(),
    __metadata("design:paramtypes", [runtime_module_1.Clock, runtime_module_1.IdGenerator, emitter_port_1.Emitter])
], SessionEngine);
//# sourceMappingURL=session-engine.js.map