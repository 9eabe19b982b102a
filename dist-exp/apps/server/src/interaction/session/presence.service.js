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
exports.PresenceService = void 0;
const common_1 = require("@nestjs/common");
const agent_registry_service_1 = require("../../data/registry/agent-registry.service");
const config_service_1 = require("../../foundation/config/config.service");
const runtime_module_1 = require("../../foundation/runtime/runtime.module");
const session_engine_1 = require("./session-engine");
const session_service_1 = require("./session.service");
const task_book_1 = require("./task-book");
/**
 * Which agents are connected. An agent's last socket closing marks it offline and suspends its open tasks; a
 * suspended task resumes when the agent comes back, or fails once the grace period passes (see SessionTimers).
 * A restart counts as everyone disconnecting: open tasks are suspended at start-up and resume as assignees return.
 */
let PresenceService = class PresenceService {
    sessions;
    engine;
    registry;
    clock;
    config;
    logger = new common_1.Logger('presence');
    sockets = new Map();
    constructor(sessions, engine, registry, clock, config) {
        this.sessions = sessions;
        this.engine = engine;
        this.registry = registry;
        this.clock = clock;
        this.config = config;
    }
    async onApplicationBootstrap() {
        await this.registry.markAllOffline();
        await this.sessions.loaded;
        const assignees = new Set();
        for (const live of this.sessions.live.values()) {
            for (const t of live.tasks.values())
                if (isOpen(t))
                    t.assignee.forEach((a) => assignees.add(a));
        }
        for (const agentId of assignees)
            if (!this.sockets.has(agentId))
                await this.suspendTasksOf(agentId, 'not connected since the server restarted');
        if (assignees.size)
            this.logger.log(`suspended the open tasks of ${assignees.size} assignees until they reconnect`);
    }
    async connected(agentId) {
        const count = (this.sockets.get(agentId) ?? 0) + 1;
        this.sockets.set(agentId, count);
        if (count > 1)
            return;
        await this.registry.markPresence(agentId, true);
        await this.forEachTaskOf(agentId, 'suspended', (task, live, batch) => {
            (0, task_book_1.resumeTask)(task, this.clock.now());
            this.engine.system(live, batch, 'task_resumed', `task ${task.id} resumed: ${agentId} reconnected`, { task_id: task.id });
        });
    }
    async disconnected(agentId) {
        const count = (this.sockets.get(agentId) ?? 1) - 1;
        if (count > 0)
            return void this.sockets.set(agentId, count);
        this.sockets.delete(agentId);
        await this.registry.markPresence(agentId, false);
        await this.suspendTasksOf(agentId, 'disconnected');
    }
    isOnline(agentId) {
        return this.sockets.has(agentId);
    }
    async suspendTasksOf(agentId, why) {
        const graceMs = this.config.values.sessions.suspendGraceS * 1000;
        await this.forEachTaskOf(agentId, 'open', (task, live, batch) => {
            (0, task_book_1.suspendTask)(task, graceMs, this.clock.now());
            this.engine.system(live, batch, 'task_suspended', `task ${task.id} suspended: ${agentId} ${why}`, { task_id: task.id });
        });
    }
    async forEachTaskOf(agentId, which, change) {
        const matches = (t) => t.assignee.includes(agentId) && (which === 'suspended' ? t.state === 'suspended' : isOpen(t));
        for (const [groupId, live] of this.sessions.live) {
            if (![...live.tasks.values()].some(matches))
                continue;
            await this.sessions.run(groupId, (l, batch) => {
                for (const task of [...l.tasks.values()].filter(matches)) {
                    change(task, l, batch);
                    batch.touch(task);
                    batch.deliveries.push(() => this.engine.emitTask(l, task));
                }
            }).catch((e) => this.logger.warn(`group ${groupId}: presence step failed: ${e.message}`));
        }
    }
};
exports.PresenceService = PresenceService;
exports.PresenceService = PresenceService = __decorate([
    (0, common_1.Injectable)(),
    __metadata("design:paramtypes", [session_service_1.SessionService,
        session_engine_1.SessionEngine,
        agent_registry_service_1.AgentRegistry,
        runtime_module_1.Clock,
        config_service_1.ConfigService])
], PresenceService);
/** A task its assignee is working on or has yet to accept: what a disconnection suspends. */
function isOpen(t) {
    return t.state === 'submitted' || t.state === 'running';
}
//# sourceMappingURL=presence.service.js.map