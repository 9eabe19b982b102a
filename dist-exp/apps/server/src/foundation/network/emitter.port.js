"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.ROOM = exports.Emitter = void 0;
/** Sends server events to rooms; the socket.io server sits behind it (and, with several nodes, its Redis adapter). */
class Emitter {
}
exports.Emitter = Emitter;
/** Rooms a socket joins, by convention. */
exports.ROOM = {
    agent: (agentId) => `agent:${agentId}`,
    group: (groupId) => `group:${groupId}`,
    /** The sockets of one agent subscribed to one group: where its personal view of a message goes. */
    member: (groupId, agentId) => `group:${groupId}:agent:${agentId}`,
    admins: (groupId) => `group:${groupId}:admin`,
};
//# sourceMappingURL=emitter.port.js.map