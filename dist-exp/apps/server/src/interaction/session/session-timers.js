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
exports.SessionTimers = void 0;
const common_1 = require("@nestjs/common");
const group_store_1 = require("../../data/groups/group-store");
const config_service_1 = require("../../foundation/config/config.service");
const runtime_module_1 = require("../../foundation/runtime/runtime.module");
const session_engine_1 = require("./session-engine");
const session_service_1 = require("./session.service");
const task_book_1 = require("./task-book");
const MAX_DELAY_MS = 2 ** 31 - 1;
/**
 * Deadlines are data on the group and task rows; this scheduler keeps one timer per group that fires no later than
 * the earliest of them, checked after every step and at start-up. A heartbeat records that the server is alive, so
 * that after a restart the downtime is added to every deadline: time the server was down counts against nobody.
 */
let SessionTimers = class SessionTimers {
    sessions;
    engine;
    store;
    clock;
    config;
    logger = new common_1.Logger('session-timers');
    timers = new Map();
    heartbeat = null;
    constructor(sessions, engine, store, clock, config) {
        this.sessions = sessions;
        this.engine = engine;
        this.store = store;
        this.clock = clock;
        this.config = config;
        sessions.onCommitted = (live) => this.arm(live);
    }
    async onApplicationBootstrap() {
        for (const live of this.sessions.live.values())
            this.arm(live);
        await this.beat();
        this.heartbeat = setInterval(() => void this.beat(), this.config.values.sessions.heartbeatMs);
        this.heartbeat.unref();
    }
    async onApplicationShutdown() {
        if (this.heartbeat)
            clearInterval(this.heartbeat);
        for (const { timer } of this.timers.values())
            clearTimeout(timer);
        this.timers.clear();
        await this.beat();
    }
    /**
     * Keeps the group's timer at or before its earliest deadline. Most steps move a deadline later (a new turn), so the
     * armed timer stays and, when it fires early, re-arms for what is due then; only an earlier deadline replaces it.
     */
    arm(live) {
        const id = live.row.id;
        const due = live.row.state === 'closed' ? null : this.nextDeadline(live);
        const armed = this.timers.get(id);
        if (armed && due !== null && armed.due <= due)
            return;
        if (armed)
            clearTimeout(armed.timer);
        this.timers.delete(id);
        if (due === null)
            return;
        const timer = setTimeout(() => this.fire(id), Math.min(Math.max(0, due - this.clock.now()), MAX_DELAY_MS));
        timer.unref();
        this.timers.set(id, { timer, due });
    }
    fire(id) {
        this.timers.delete(id);
        const live = this.sessions.live.get(id);
        if (!live)
            return;
        const due = this.nextDeadline(live);
        if (due !== null && due > this.clock.now())
            return this.arm(live);
        this.sessions.run(id, (l, batch) => this.expire(l, batch)).catch((e) => this.logger.warn(`group ${id}: timer step failed: ${e.message}`));
    }
    nextDeadline(live) {
        const invites = live.row.decision?.needs.flatMap((n) => n.invites.filter((i) => i.status === 'pending').map((i) => i.deadline)) ?? [];
        const candidates = [live.row.turnDeadline, live.row.conclusionDeadline, live.row.formingDeadline, (0, task_book_1.nextTaskDeadline)(live.tasks.values()), ...invites]
            .filter((d) => d !== null);
        return candidates.length ? Math.min(...candidates) : null;
    }
    /** Everything whose deadline has passed, in one step. */
    expire(live, batch) {
        const now = this.clock.now();
        const row = live.row;
        if (live.state === 'forming')
            return this.sessions.onFormingDeadline(live, batch);
        for (const task of live.tasks.values()) {
            if ((0, task_book_1.isSettled)(task))
                continue;
            const late = task.deadline !== null && task.deadline <= now;
            const lost = task.state === 'suspended' && task.graceDeadline !== null && task.graceDeadline <= now;
            if (!late && !lost)
                continue;
            (0, task_book_1.endTask)(task, 'failed', late ? 'deadline passed' : 'assignee did not reconnect in time', now);
            batch.touch(task);
            batch.deliveries.push(() => this.engine.emitTask(live, task));
            this.engine.system(live, batch, 'task_failed', `task ${task.id} failed: ${task.reason}`, { task_id: task.id, reason: task.reason });
            this.engine.send(live, batch, { type: 'TASK_SETTLED', taskId: task.id }, 'system');
        }
        if (row.conclusionDeadline !== null && row.conclusionDeadline <= now && live.state === 'conclusion') {
            this.engine.send(live, batch, { type: 'CONCLUSION_TIMEOUT' }, 'system');
        }
        if (row.turnDeadline !== null && row.turnDeadline <= now && live.state === 'discussion') {
            const { holders, coordinator } = live.context;
            const coordinatorSilent = holders.length === 1 && holders[0] === coordinator;
            const handOver = coordinatorSilent && live.actor.getSnapshot().can({ type: 'COORDINATOR_TIMEOUT' });
            if (!coordinatorSilent)
                this.engine.system(live, batch, 'turn_timeout', `${holders.join(', ')} did not speak in time; the turn returns to the coordinator`, { holders });
            this.engine.send(live, batch, handOver ? { type: 'COORDINATOR_TIMEOUT' } : { type: 'TURN_TIMEOUT' }, 'system');
        }
    }
    async beat() {
        await this.store.setAliveAt(this.clock.now()).catch((e) => this.logger.warn(`heartbeat failed: ${e.message}`));
    }
};
exports.SessionTimers = SessionTimers;
exports.SessionTimers = SessionTimers = __decorate([
    (0, common_1.Injectable)(),
    __metadata("design:paramtypes", [session_service_1.SessionService,
        session_engine_1.SessionEngine,
        group_store_1.GroupStore,
        runtime_module_1.Clock,
        config_service_1.ConfigService])
], SessionTimers);
//# sourceMappingURL=session-timers.js.map