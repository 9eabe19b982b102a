import { createAdapter } from '@socket.io/redis-streams-adapter';
import { createServer } from 'node:http';
import { createClient } from 'redis';
import { Server } from 'socket.io';

/**
 * The baseline: plain socket.io doing the session pattern and nothing else — no validation, policy, machine or
 * persistence. Run as its own process (`node raw-server.js <port>`) so that it gets a core of its own, like ioa.
 * The auth token is taken as the agent id; a message is stamped like ioa's (sender, seq, state, timestamp),
 * relayed to the group's room, the named next speakers get a `turn`, and the sender an ack, in that order.
 */
interface RawEnvelope {
  header: { group_id: string; message_id: string; [key: string]: unknown };
  payload: { next_speaker?: string[]; [key: string]: unknown };
}
type Ack = (a: object) => void;

const port = Number(process.argv[2]);
const http = createServer((_req, res) => res.end('ok'));
const io = new Server(http, { transports: ['websocket'], serveClient: false, maxHttpBufferSize: 128 * 1024 });
const seqs = new Map<string, number>();

io.use((socket, next) => {
  const token = (socket.handshake.auth as { token?: unknown }).token;
  if (typeof token !== 'string' || !token) return next(new Error('auth.token is required'));
  socket.data.id = token;
  next();
});

io.on('connection', (socket) => {
  const sender = socket.data.id as string;
  void socket.join(`agent:${sender}`);
  socket.on('subscribe', (req: { group_id: string }, ack?: Ack) => {
    void socket.join(`group:${req.group_id}`);
    ack?.({ ok: true, group_id: req.group_id, state: 'discussion', seq: seqs.get(req.group_id) ?? 0 });
  });
  socket.on('message', (env: RawEnvelope, ack?: Ack) => {
    const groupId = env.header.group_id;
    const seq = (seqs.get(groupId) ?? 0) + 1;
    seqs.set(groupId, seq);
    const header = { ...env.header, sender, state: 'discussion', seq, timestamp: new Date().toISOString() };
    io.to(`group:${groupId}`).emit('message', { header, payload: env.payload });
    const holders = env.payload.next_speaker ?? [];
    if (holders.length) io.to(holders.map((id) => `agent:${id}`)).emit('turn', { group_id: groupId, holders, deadline: null });
    ack?.({ ok: true, seq, message_id: env.header.message_id });
  });
});

// With RAW_REDIS_URL, the same adapter as ioa's several nodes, so that a comparison carries the same Redis cost.
const redisUrl = process.env.RAW_REDIS_URL;
void (redisUrl ? createClient({ url: redisUrl }).connect().then((client) => io.adapter(createAdapter(client))) : Promise.resolve()).then(() =>
  http.listen(port, '127.0.0.1', () => console.log(`raw socket.io listening on ${port}${redisUrl ? ' (Redis Streams adapter)' : ''}`)));
