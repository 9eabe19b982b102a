"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.MessageSenders = void 0;
/** One typed helper per session message type, each a thin layer over `send` (which `IoAClient` implements). */
class MessageSenders {
    /**
     * Speaks in the discussion (needs the turn) and names who may speak next (`[]`: the coordinator).
     * @example
     * await client.discussion(groupId, 'bob should book', [bobId], 'sync_task_assignment');
     */
    discussion(groupId, content, nextSpeakers = [], nextState) {
        return this.send(groupId, 'discussion', { content, next_speaker: nextSpeakers, ...(nextState ? { next_state: nextState } : {}) });
    }
    /**
     * Coordinator: assigns tasks; the ack's `task_ids` are the new tasks' ids, in order.
     * @example
     * const { task_ids } = await client.assignTasks(groupId, [{ task_desc: 'book flights', task_abstract: 'flights', assignee: [aliceId] }]);
     */
    assignTasks(groupId, tasks, mode = 'sync') {
        return this.send(groupId, 'task_assignment', { mode, tasks });
    }
    /**
     * Assignee: accepts (`running`) or rejects a submitted task.
     * @example
     * await client.replyTask(groupId, taskId, true, { eta_s: 60 });
     */
    replyTask(groupId, taskId, accept, extra = {}) {
        return this.send(groupId, 'task_reply', { task_id: taskId, accept, ...extra });
    }
    /**
     * Assignee: reports progress (0 to 1) on a running task.
     * @example
     * await client.progress(groupId, taskId, 0.5, 'outbound booked');
     */
    progress(groupId, taskId, progress, note = '') {
        return this.send(groupId, 'task_progress', { task_id: taskId, progress, note });
    }
    /**
     * Assignee: settles a task as completed or failed.
     * @example
     * await client.result(groupId, taskId, { status: 'completed', task_conclusion: 'AF123 booked', task_abstract: 'booked' });
     */
    result(groupId, taskId, outcome) {
        return this.send(groupId, 'task_result', { task_id: taskId, ...outcome });
    }
    /**
     * Coordinator: cancels a task that is not settled.
     * @example
     * await client.cancelTask(groupId, taskId, 'no longer needed');
     */
    cancelTask(groupId, taskId, reason = '') {
        return this.send(groupId, 'task_cancel', { task_id: taskId, reason });
    }
    /**
     * Coordinator: gives a task to other members (it returns to `submitted`).
     * @example
     * await client.reassignTask(groupId, taskId, [bobId]);
     */
    reassignTask(groupId, taskId, assignee) {
        return this.send(groupId, 'task_reassign', { task_id: taskId, assignee });
    }
    /**
     * Coordinator: pauses the discussion until the named tasks settle.
     * @example
     * await client.pauseAndTrigger(groupId, [taskId]);
     */
    pauseAndTrigger(groupId, triggers) {
        return this.send(groupId, 'pause_and_trigger', { triggers });
    }
    /**
     * Coordinator: closes the group with a summary.
     * @example
     * await client.conclude(groupId, 'trip planned: AF123 and Hotel Lisboa');
     */
    conclude(groupId, summary) {
        return this.send(groupId, 'conclusion', { summary });
    }
}
exports.MessageSenders = MessageSenders;
//# sourceMappingURL=senders.js.map