"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.SESSION_DEFAULTS = exports.CLIENT_MESSAGE_TYPES = exports.MESSAGE_TYPES = exports.SETTLED_TASK_STATES = exports.TASK_STATES = exports.CLOSE_REASONS = exports.PROPOSABLE_STATES = exports.GROUP_STATES = void 0;
/** The states of a group's session machine; the five of the IoA protocol plus `forming` and `closed`. */
exports.GROUP_STATES = [
    'forming',
    'discussion',
    'sync_task_assignment',
    'async_task_assignment',
    'pause_and_trigger',
    'conclusion',
    'closed',
];
/** States a speaker may propose with `next_state` (the paper's Discussion `type`). */
exports.PROPOSABLE_STATES = ['discussion', 'sync_task_assignment', 'async_task_assignment', 'pause_and_trigger', 'conclusion'];
exports.CLOSE_REASONS = ['concluded', 'max_turns', 'failed', 'canceled', 'closed_by_admin'];
exports.TASK_STATES = ['submitted', 'running', 'suspended', 'completed', 'canceled', 'rejected', 'failed'];
/** A task in one of these states is settled: it no longer holds a synchronous assignment or a trigger open. */
exports.SETTLED_TASK_STATES = ['completed', 'canceled', 'rejected', 'failed'];
/** Message types of `ioa/1`; `system` is written only by the server. */
exports.MESSAGE_TYPES = [
    'discussion',
    'task_assignment',
    'task_reply',
    'task_progress',
    'task_result',
    'task_cancel',
    'task_reassign',
    'pause_and_trigger',
    'conclusion',
    'team_formation',
    'system',
];
exports.CLIENT_MESSAGE_TYPES = exports.MESSAGE_TYPES.filter((t) => t !== 'system');
/** Session timing options of a group, with the protocol's defaults. */
exports.SESSION_DEFAULTS = {
    turn_timeout_s: 120,
    coordinator_timeout_s: 300,
    conclusion_wait_s: 120,
    max_turns: 50,
    suspend_grace_s: 300,
};
//# sourceMappingURL=session.js.map