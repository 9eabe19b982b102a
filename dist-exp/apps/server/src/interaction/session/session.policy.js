"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.checkMessage = checkMessage;
const protocol_1 = require("../../../../../libs/protocol/src");
const COORDINATOR_ONLY = new Set(['task_assignment', 'task_cancel', 'task_reassign', 'pause_and_trigger', 'conclusion']);
const TASK_MESSAGES = new Set(['task_reply', 'task_progress', 'task_result', 'task_cancel', 'task_reassign']);
/** States in which each message type is legal. */
const LEGAL_IN = {
    discussion: ['discussion'],
    task_assignment: ['discussion'],
    pause_and_trigger: ['discussion'],
    conclusion: ['discussion', 'conclusion'],
    task_reply: ['discussion', 'sync_task_assignment', 'pause_and_trigger', 'conclusion'],
    task_progress: ['discussion', 'sync_task_assignment', 'pause_and_trigger', 'conclusion'],
    task_result: ['discussion', 'sync_task_assignment', 'pause_and_trigger', 'conclusion'],
    task_cancel: ['discussion', 'sync_task_assignment', 'pause_and_trigger', 'conclusion'],
    task_reassign: ['discussion', 'sync_task_assignment', 'pause_and_trigger'],
};
/** Task states in which each task message is legal. */
const TASK_LEGAL_IN = {
    task_reply: ['submitted'],
    task_progress: ['running'],
    task_result: ['submitted', 'running'],
    task_cancel: ['submitted', 'running', 'suspended'],
    task_reassign: ['submitted', 'running', 'suspended', 'rejected'],
};
const refuse = (code, message) => ({ code, message });
/**
 * Who may send what, and the precise reason when not. Checks run in a fixed order (membership → closed → role →
 * state → turn → references) so that answers are predictable; the session machine is the second line of defence.
 * `payload` has already passed its DTO.
 */
function checkMessage(group, sender, type, payload, tasks) {
    if (!group.members.includes(sender))
        return refuse(protocol_1.ErrorCode.NOT_MEMBER, 'you are not a member of this group');
    if (group.state === 'closed')
        return refuse(protocol_1.ErrorCode.GROUP_CLOSED, 'the group is closed');
    if (type === 'system')
        return refuse(protocol_1.ErrorCode.FORBIDDEN, 'system messages are written by the server');
    if (type === 'team_formation')
        return refuse(protocol_1.ErrorCode.ILLEGAL_IN_STATE, 'team_formation is not handled by the session layer');
    if (COORDINATOR_ONLY.has(type) && sender !== group.coordinator) {
        return refuse(protocol_1.ErrorCode.FORBIDDEN, `only the coordinator may send ${type}`);
    }
    if (!LEGAL_IN[type].includes(group.state))
        return refuse(protocol_1.ErrorCode.ILLEGAL_IN_STATE, `${type} is not allowed in state ${group.state}`);
    if (type === 'discussion' && !group.holders.includes(sender)) {
        return refuse(protocol_1.ErrorCode.NOT_YOUR_TURN, `the turn is held by ${group.holders.join(', ') || 'nobody'}`);
    }
    return checkReferences(group, sender, type, payload, tasks);
}
function checkReferences(group, sender, type, payload, tasks) {
    const notMembers = (ids) => ids.filter((id) => !group.members.includes(id));
    if (type === 'discussion')
        return outsiders('next_speaker', notMembers(payload.next_speaker));
    if (type === 'task_assignment') {
        const specs = payload.tasks;
        return outsiders('assignee', notMembers(specs.flatMap((t) => t.assignee)));
    }
    if (type === 'task_reassign') {
        const bad = outsiders('assignee', notMembers(payload.assignee));
        if (bad)
            return bad;
    }
    if (type === 'pause_and_trigger') {
        for (const id of payload.triggers) {
            const task = tasks.get(id);
            if (!task)
                return refuse(protocol_1.ErrorCode.NOT_FOUND, `task ${id} is not a task of this group`);
            if (protocol_1.SETTLED_TASK_STATES.includes(task.state))
                return refuse(protocol_1.ErrorCode.ILLEGAL_IN_STATE, `task ${id} is already ${task.state}`);
        }
        return null;
    }
    if (!TASK_MESSAGES.has(type))
        return null;
    const task = tasks.get(payload.task_id);
    if (!task)
        return refuse(protocol_1.ErrorCode.NOT_FOUND, `task ${String(payload.task_id)} is not a task of this group`);
    const byAssignee = type === 'task_reply' || type === 'task_progress' || type === 'task_result';
    if (byAssignee && !task.assignee.includes(sender))
        return refuse(protocol_1.ErrorCode.FORBIDDEN, `you are not an assignee of task ${task.id}`);
    if (!TASK_LEGAL_IN[type]?.includes(task.state))
        return refuse(protocol_1.ErrorCode.ILLEGAL_IN_STATE, `${type} is not allowed on a ${task.state} task`);
    return null;
}
function outsiders(field, ids) {
    return ids.length ? refuse(protocol_1.ErrorCode.VALIDATION, `${field} ${ids.join(', ')} is not a member of this group`) : null;
}
//# sourceMappingURL=session.policy.js.map