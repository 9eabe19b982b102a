"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.Batch = exports.LiveGroup = exports.MESSAGE_IDS_KEPT = void 0;
const xstate_1 = require("xstate");
const session_machine_1 = require("./session.machine");
/** Beyond this many messages in one group, resends are recognised by the database alone (memory stays bounded). */
exports.MESSAGE_IDS_KEPT = 5000;
/** An open group in memory: its row, its machine and its tasks. Only the session service touches it. */
class LiveGroup {
    row;
    tasks;
    /** The states each machine step passed through, so that pass-through states are logged too. */
    steps = [];
    actor;
    /** The coordinator's conclusion, kept for the close listeners (a sub-team's result goes to its parent task). */
    summary = null;
    /**
     * `sender message_id` of every message accepted in this group, while they number at most MESSAGE_IDS_KEPT, so
     * that a new id needs no database lookup to prove it is not a resend; null once unknown (the database answers).
     */
    messageIds;
    constructor(row, tasks, start) {
        this.row = row;
        this.tasks = tasks;
        this.actor = 'input' in start
            ? (0, xstate_1.createActor)(session_machine_1.sessionMachine, { input: start.input })
            // A restored actor takes no input: its context comes from the snapshot.
            : (0, xstate_1.createActor)(session_machine_1.sessionMachine, { snapshot: start.snapshot, input: undefined });
        this.actor.on('entered', (e) => this.steps.push(e.state));
        this.actor.start();
        this.messageIds = 'input' in start ? new Set() : null;
    }
    /** Starts tracking ids for a group loaded from the database, given all of its stored `(sender, message_id)`. */
    knowMessageIds(ids) {
        this.messageIds = ids.length <= exports.MESSAGE_IDS_KEPT ? new Set(ids.map((m) => `${m.sender} ${m.messageId}`)) : null;
    }
    /** True when `message_id` is certainly new for this sender; false when it may be a resend (ask the database). */
    isNewMessageId(sender, messageId) {
        return this.messageIds !== null && !this.messageIds.has(`${sender} ${messageId}`);
    }
    accepted(sender, messageId) {
        if (!this.messageIds)
            return;
        this.messageIds.add(`${sender} ${messageId}`);
        if (this.messageIds.size > exports.MESSAGE_IDS_KEPT)
            this.messageIds = null;
    }
    get context() {
        return this.actor.getSnapshot().context;
    }
    get state() {
        const value = String(this.actor.getSnapshot().value);
        return (value === 'init' ? 'discussion' : value);
    }
    get policy() {
        const c = this.context;
        return { state: this.state, coordinator: c.coordinator, members: c.members, holders: c.holders };
    }
}
exports.LiveGroup = LiveGroup;
/** What one serialised action changes: written in one transaction, then delivered in order. */
class Batch {
    messages = [];
    tasks = new Map();
    audit = [];
    deliveries = [];
    touch(task) {
        this.tasks.set(task.id, task);
    }
}
exports.Batch = Batch;
//# sourceMappingURL=live-group.js.map