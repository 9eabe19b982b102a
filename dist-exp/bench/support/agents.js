"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.Hub = void 0;
exports.discussion = discussion;
exports.send = send;
exports.connectAll = connectAll;
exports.closeAll = closeAll;
exports.makeGroups = makeGroups;
exports.openFloor = openFloor;
const node_crypto_1 = require("node:crypto");
const socket_io_client_1 = require("socket.io-client");
const stats_1 = require("./stats");
/** Routes every agent's incoming events to whichever workload is running; one hub per server under test. */
class Hub {
    onTurn = () => undefined;
    onMessage = () => undefined;
    idle() {
        this.onTurn = () => undefined;
        this.onMessage = () => undefined;
    }
}
exports.Hub = Hub;
/** A paragraph-sized discussion turn (about 200 bytes on the wire with its header). */
const CONTENT = 'I checked the plan against the budget: flights fit, the hotel is 8% over; I propose we trim one night.';
function discussion(groupId, nextSpeakers) {
    return {
        header: { protocol: 'ioa/1', message_id: (0, node_crypto_1.randomUUID)(), group_id: groupId, type: 'discussion' },
        payload: { content: CONTENT, next_speaker: nextSpeakers },
    };
}
/** Sends a message and resolves with its ack (a workload-level deadline guards against a lost ack). */
function send(agent, envelope) {
    return new Promise((resolve) => agent.socket.emit('message', envelope, resolve));
}
function connectAll(target, creds, hub) {
    return (0, stats_1.pool)(creds.map((c) => () => connect(target.url, c, hub)), 50);
}
/** Every socket the benchmark opened, so that cleanup can close them all even after a failure half way. */
const sockets = new Set();
function closeAll() {
    for (const s of sockets)
        s.close();
    sockets.clear();
}
function connect(url, creds, hub) {
    const socket = (0, socket_io_client_1.io)(url, { transports: ['websocket'], auth: { token: creds.token }, reconnection: false, forceNew: true });
    sockets.add(socket);
    const agent = { ...creds, socket };
    socket.on('turn', (e) => hub.onTurn(agent, e));
    socket.on('message', (m) => hub.onMessage(agent, m));
    return new Promise((resolve, reject) => {
        socket.once('connect', () => resolve(agent));
        socket.once('connect_error', (e) => reject(new Error(`agent ${creds.id} could not connect: ${e.message}`)));
    });
}
/** Makes `count` groups of `size` consecutive agents (the first coordinates) and subscribes every member. */
async function makeGroups(target, agents, count, size) {
    if (agents.length < count * size)
        throw new Error(`need ${count * size} agents, have ${agents.length}`);
    const groups = await (0, stats_1.pool)(Array.from({ length: count }, (_, i) => async () => {
        const members = agents.slice(i * size, (i + 1) * size);
        return { id: await target.createGroup(members[0], members.slice(1).map((m) => m.id)), members };
    }), 8);
    await (0, stats_1.pool)(groups.flatMap((g) => g.members.map((m) => async () => {
        const ack = await m.socket.timeout(10_000).emitWithAck('subscribe', { group_id: g.id });
        if (!ack.ok)
            throw new Error(`subscribe to ${g.id} refused: ${JSON.stringify(ack.error)}`);
    })), 50);
    return groups;
}
/** Each coordinator names every member as next speaker, so that any of them may post from then on. */
async function openFloor(groups) {
    const acks = await Promise.all(groups.map((g) => send(g.members[0], discussion(g.id, g.members.map((m) => m.id)))));
    const refused = acks.find((a) => !a.ok);
    if (refused)
        throw new Error(`opening message refused: ${JSON.stringify(refused)}`);
}
//# sourceMappingURL=agents.js.map