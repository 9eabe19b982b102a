"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.isSettled = void 0;
exports.newTask = newTask;
exports.applyTaskMessage = applyTaskMessage;
exports.endTask = endTask;
exports.suspendTask = suspendTask;
exports.resumeTask = resumeTask;
exports.nextTaskDeadline = nextTaskDeadline;
const protocol_1 = require("../../../../../libs/protocol/src");
const task_entity_1 = require("../../data/tasks/task.entity");
const isSettled = (t) => protocol_1.SETTLED_TASK_STATES.includes(t.state);
exports.isSettled = isSettled;
function newTask(id, groupId, mode, spec, by, now) {
    return Object.assign(new task_entity_1.TaskEntity(), {
        id, groupId, mode, description: spec.task_desc, abstract: spec.task_abstract, assignee: [...new Set(spec.assignee)],
        state: 'submitted', progress: 0, deadline: spec.deadline_s ? now + spec.deadline_s * 1000 : null,
        suspendedFrom: null, graceDeadline: null, result: null, reason: null,
        history: [{ at: now, state: 'submitted', by }], createdAt: now, updatedAt: now,
    });
}
function move(t, state, by, now, note) {
    t.state = state;
    t.updatedAt = now;
    t.history = [...t.history, { at: now, state, by, ...(note ? { note } : {}) }];
}
/**
 * Applies an accepted task message to its task (the policy has already checked sender and task state).
 * Returns true when the task became settled.
 */
function applyTaskMessage(t, type, p, by, now) {
    switch (type) {
        case 'task_reply':
            if (p.accept)
                move(t, 'running', by, now, p.eta_s !== undefined ? `eta ${p.eta_s}s` : undefined);
            else {
                t.reason = p.reason ?? 'declined';
                move(t, 'rejected', by, now, t.reason ?? undefined);
            }
            break;
        case 'task_progress':
            t.progress = p.progress;
            t.updatedAt = now;
            t.history = [...t.history, { at: now, state: t.state, by, note: `${Math.round(p.progress * 100)}% ${p.note}`.trim() }];
            break;
        case 'task_result':
            t.result = { status: p.status, task_conclusion: p.task_conclusion, task_abstract: p.task_abstract };
            if (p.status === 'completed')
                t.progress = 1;
            move(t, p.status, by, now);
            break;
        case 'task_cancel':
            t.reason = p.reason;
            move(t, 'canceled', by, now, p.reason);
            break;
        case 'task_reassign':
            t.assignee = [...new Set(p.assignee)];
            t.progress = 0;
            t.suspendedFrom = null;
            t.graceDeadline = null;
            move(t, 'submitted', by, now, `reassigned to ${t.assignee.join(', ')}`);
            break;
    }
    return (0, exports.isSettled)(t);
}
/** Ends a task by the server's hand: `failed` (deadline, lost assignee, failed sub-team) or `canceled` (group closed). */
function endTask(t, state, reason, now) {
    t.reason = reason;
    t.suspendedFrom = null;
    t.graceDeadline = null;
    move(t, state, 'system', now, reason);
}
function suspendTask(t, graceMs, now) {
    t.suspendedFrom = t.state;
    t.graceDeadline = now + graceMs;
    move(t, 'suspended', 'system', now, 'assignee disconnected');
}
function resumeTask(t, now) {
    const back = t.suspendedFrom ?? 'running';
    t.suspendedFrom = null;
    t.graceDeadline = null;
    move(t, back, 'system', now, 'assignee reconnected');
}
/** The earliest time at which something about these tasks must happen by itself. */
function nextTaskDeadline(tasks) {
    let next = null;
    for (const t of tasks) {
        if ((0, exports.isSettled)(t))
            continue;
        for (const at of [t.deadline, t.state === 'suspended' ? t.graceDeadline : null]) {
            if (at !== null && (next === null || at < next))
                next = at;
        }
    }
    return next;
}
//# sourceMappingURL=task-book.js.map