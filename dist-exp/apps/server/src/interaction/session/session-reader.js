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
exports.SessionReader = void 0;
exports.assertCanRead = assertCanRead;
const common_1 = require("@nestjs/common");
const protocol_1 = require("../../../../../libs/protocol/src");
const group_store_1 = require("../../data/groups/group-store");
const api_error_1 = require("../../foundation/http/api-error");
const emitter_port_1 = require("../../foundation/network/emitter.port");
const session_service_1 = require("./session.service");
const views_1 = require("./views");
const REPLAY_PAGE = 500;
/** Agents read the groups they are in, observers those in their scope, admins all; nobody else learns anything. */
function assertCanRead(p, row) {
    if (p.role === 'admin')
        return;
    if (p.role === 'agent') {
        if (!row.members.includes(p.id))
            throw new api_error_1.ApiError(protocol_1.ErrorCode.NOT_MEMBER, 'you are not a member of this group');
        return;
    }
    // A goal scope covers the goal's whole team tree, including sub-teams formed later.
    if (p.role === 'observer' && (p.scope?.all || p.scope?.groups?.includes(row.id) || (row.goalId && p.scope?.goals?.includes(row.goalId))))
        return;
    throw new api_error_1.ApiError(protocol_1.ErrorCode.FORBIDDEN, 'this token may not watch this group');
}
let SessionReader = class SessionReader {
    sessions;
    store;
    constructor(sessions, store) {
        this.sessions = sessions;
        this.store = store;
    }
    async group(p, id) {
        const row = await this.row(p, id);
        return (0, views_1.groupView)(row, this.sessions.live.get(id)?.context.holders ?? []);
    }
    async list(p, limit = 50, offset = 0) {
        const filter = p.role === 'admin' || (p.role === 'observer' && p.scope?.all) ? {}
            : p.role === 'agent' ? { member: p.id }
                : { ids: p.scope?.groups ?? [], goalIds: p.scope?.goals ?? [] };
        const [rows, total] = await this.store.list(filter, limit, offset);
        const items = rows.map((r) => (0, views_1.groupView)(this.sessions.live.get(r.id)?.row ?? r, this.sessions.live.get(r.id)?.context.holders ?? []));
        return { items, total, limit, offset };
    }
    async messages(p, id, afterSeq = 0, limit = 100) {
        const row = await this.row(p, id);
        const rows = await this.store.messages(id, afterSeq, limit);
        const items = rows.map((m) => (0, views_1.messageView)(m, row, p));
        return { items, next_after_seq: rows.length === limit ? rows[rows.length - 1].seq : null };
    }
    async tasks(p, id) {
        const row = await this.row(p, id);
        const live = this.sessions.live.get(id);
        const tasks = live ? [...live.tasks.values()] : await this.store.tasksOf(id);
        return tasks.map((t) => (0, views_1.taskView)(t, row, p));
    }
    /**
     * Joins the group's rooms and replays what came after `afterSeq`, under the group's lock, so that no message
     * is accepted in between: the replay ends where live delivery begins, with nothing lost and nothing twice.
     */
    async subscribe(p, groupId, afterSeq, sink) {
        if (!this.sessions.live.has(groupId)) {
            // A closed group: history only, nothing live will follow.
            const row = await this.row(p, groupId);
            sink.ack({ group_id: groupId, state: row.state, seq: row.lastSeq });
            await this.replay(p, row, afterSeq, row.lastSeq, sink);
            return;
        }
        await this.sessions.run(groupId, async (live) => {
            assertCanRead(p, { id: groupId, members: live.context.members, goalId: live.row.goalId });
            const rooms = [emitter_port_1.ROOM.group(groupId)];
            if (p.role === 'admin')
                rooms.push(emitter_port_1.ROOM.admins(groupId));
            if (p.role === 'agent')
                rooms.push(emitter_port_1.ROOM.member(groupId, p.id));
            sink.join(rooms);
            sink.ack({ group_id: groupId, state: live.state, seq: live.row.lastSeq });
            await this.replay(p, live.row, afterSeq, live.row.lastSeq, sink);
        });
    }
    async replay(p, row, afterSeq, upTo, sink) {
        for (let after = afterSeq; after < upTo;) {
            const page = await this.store.messages(row.id, after, REPLAY_PAGE);
            if (!page.length)
                break;
            for (const m of page)
                if (m.seq <= upTo)
                    sink.send((0, views_1.messageView)(m, row, p));
            after = page[page.length - 1].seq;
        }
    }
    async row(p, id) {
        const row = this.sessions.live.get(id)?.row ?? (await this.store.get(id));
        if (!row)
            throw api_error_1.ApiError.notFound('group', id);
        assertCanRead(p, row);
        return row;
    }
};
exports.SessionReader = SessionReader;
exports.SessionReader = SessionReader = __decorate([
    (0, common_1.Injectable)(),
    __metadata("design:paramtypes", [session_service_1.SessionService, group_store_1.GroupStore])
], SessionReader);
//# sourceMappingURL=session-reader.js.map