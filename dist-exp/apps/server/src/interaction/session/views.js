"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.SYSTEM = void 0;
exports.seesTaskText = seesTaskText;
exports.messageView = messageView;
exports.taskView = taskView;
exports.groupView = groupView;
const protocol_1 = require("../../../../../libs/protocol/src");
const columns_1 = require("../../foundation/persistence/columns");
exports.SYSTEM = 'system';
function seesTaskText(viewer, group, assignee) {
    return viewer.role === 'admin' || (viewer.role === 'agent' && (viewer.id === group.coordinator || assignee.includes(viewer.id)));
}
/** A stored message as `viewer` may see it: `task_desc` of tasks it may not read is left out (context minimisation). */
function messageView(m, group, viewer) {
    let payload = m.payload;
    if (m.type === 'task_assignment') {
        const tasks = payload.tasks;
        payload = {
            ...payload,
            tasks: tasks.map(({ task_desc, ...rest }) => (viewer && seesTaskText(viewer, group, rest.assignee) ? { task_desc, ...rest } : rest)),
        };
    }
    return {
        header: {
            protocol: protocol_1.PROTOCOL_VERSION, message_id: m.messageId, group_id: m.groupId, type: m.type, sender: m.sender,
            state: m.state, seq: m.seq, timestamp: (0, columns_1.iso)(m.timestamp),
        },
        payload,
        ...(m.ext ? { ext: m.ext } : {}),
    };
}
function taskView(t, group, viewer) {
    return {
        id: t.id, group_id: t.groupId, state: t.state, mode: t.mode, task_abstract: t.abstract,
        ...(viewer && seesTaskText(viewer, group, t.assignee) ? { task_desc: t.description } : {}),
        assignee: t.assignee, progress: t.progress, deadline: (0, columns_1.iso)(t.deadline), result: t.result, reason: t.reason,
        history: t.history.map((h) => ({ at: (0, columns_1.iso)(h.at), state: h.state, by: h.by, ...(h.note ? { note: h.note } : {}) })),
        created_at: (0, columns_1.iso)(t.createdAt), updated_at: (0, columns_1.iso)(t.updatedAt),
    };
}
function groupView(g, holders) {
    return {
        id: g.id, goal: g.goal, state: g.state, coordinator: g.coordinator, members: g.members,
        turn: { holders, deadline: (0, columns_1.iso)(g.turnDeadline) }, turns_used: g.turnsUsed, max_turns: g.maxTurns, seq: g.lastSeq,
        options: g.options, created_by: g.createdBy, close_reason: g.closeReason, conclusion_deadline: (0, columns_1.iso)(g.conclusionDeadline),
        created_at: (0, columns_1.iso)(g.createdAt), updated_at: (0, columns_1.iso)(g.updatedAt),
    };
}
//# sourceMappingURL=views.js.map