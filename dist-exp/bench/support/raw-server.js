"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
const node_http_1 = require("node:http");
const socket_io_1 = require("socket.io");
const port = Number(process.argv[2]);
const http = (0, node_http_1.createServer)((_req, res) => res.end('ok'));
const io = new socket_io_1.Server(http, { transports: ['websocket'], serveClient: false, maxHttpBufferSize: 128 * 1024 });
const seqs = new Map();
io.use((socket, next) => {
    const token = socket.handshake.auth.token;
    if (typeof token !== 'string' || !token)
        return next(new Error('auth.token is required'));
    socket.data.id = token;
    next();
});
io.on('connection', (socket) => {
    const sender = socket.data.id;
    void socket.join(`agent:${sender}`);
    socket.on('subscribe', (req, ack) => {
        void socket.join(`group:${req.group_id}`);
        ack?.({ ok: true, group_id: req.group_id, state: 'discussion', seq: seqs.get(req.group_id) ?? 0 });
    });
    socket.on('message', (env, ack) => {
        const groupId = env.header.group_id;
        const seq = (seqs.get(groupId) ?? 0) + 1;
        seqs.set(groupId, seq);
        const header = { ...env.header, sender, state: 'discussion', seq, timestamp: new Date().toISOString() };
        io.to(`group:${groupId}`).emit('message', { header, payload: env.payload });
        const holders = env.payload.next_speaker ?? [];
        if (holders.length)
            io.to(holders.map((id) => `agent:${id}`)).emit('turn', { group_id: groupId, holders, deadline: null });
        ack?.({ ok: true, seq, message_id: env.header.message_id });
    });
});
http.listen(port, '127.0.0.1', () => console.log(`raw socket.io listening on ${port}`));
//# sourceMappingURL=raw-server.js.map