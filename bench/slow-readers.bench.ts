import { randomUUID } from 'node:crypto';
import { Socket } from 'socket.io-client';
import { TestServer } from '../test/support/server';
import { adminApi, connectSocket } from './support/clients';
import { rssMb, sleep } from './support/stats';

/**
 * `npm run bench -- slow-readers`: the server's memory while clients that stopped reading ask for a long history.
 * A 20 MB group history (more than the kernel's socket buffers hold); 50 observers (each its own token) connect, stop reading at the TCP level, and send 60
 * `subscribe { after_seq: 0 }` each, while the group keeps talking. Reported: the server's RSS growth over the
 * 15 s that follow (its peak), and how many of those sockets the server closed for unsent output.
 */
const CLIENTS = Number(process.env.BENCH_SLOW_CLIENTS ?? 50);
const SUBSCRIBES = 60;
const HISTORY = { messages: Number(process.env.BENCH_SLOW_HISTORY ?? 2500), bytes: 8000 };


export async function run() {
  const server = new TestServer({ env: { IOA_RATE_PER_S: '100000', IOA_RATE_BURST: '100000' } });
  await server.start();
  const call = adminApi(server.url);
  const sockets: Socket[] = [];
  try {
    const coord = await call('POST', '/v1/agents', { name: 'talker', description: 'talks a lot', capabilities: [] });
    const peer = await call('POST', '/v1/agents', { name: 'peer', description: 'listens', capabilities: [] });
    const group = await call('POST', '/v1/groups', { goal: 'a long history', coordinator: coord.agent.id, members: [peer.agent.id], max_turns: 10_000 });
    const talker = await connectSocket(server.url, coord.token);
    sockets.push(talker);
    const text = 'x'.repeat(HISTORY.bytes);
    const say = async () => {
      const ack = await talker.timeout(10_000).emitWithAck('message', {
        header: { protocol: 'ioa/1', message_id: randomUUID(), group_id: group.id, type: 'discussion' }, payload: { content: text, next_speaker: [coord.agent.id] },
      });
      if (!ack.ok) throw new Error(`message refused: ${JSON.stringify(ack.error)}`);
    };
    for (let i = 0; i < HISTORY.messages; i++) await say();
    const pid = server.pid!;
    await sleep(1000);
    const before = rssMb(pid);
    for (let i = 0; i < CLIENTS; i++) {
      const { token } = await call('POST', '/v1/auth/observer-tokens', { scope: { all: true } });
      const socket = await connectSocket(server.url, token);
      sockets.push(socket);
      const ws = (socket.io.engine as unknown as { transport: { ws: { _socket: { pause(): void } } } }).transport.ws;
      for (let n = 0; n < SUBSCRIBES; n++) socket.emit('subscribe', { group_id: group.id, after_seq: 0 });
      ws._socket.pause();
    }
    let peak = before;
    for (let t = 0; t < 15; t++) {
      // The group keeps talking: live output piles up for the stalled readers too.
      for (let k = 0; k < 10; k++) await say();
      await sleep(1000);
      peak = Math.max(peak, rssMb(pid));
    }
    const closed = (server.output.match(/stopped reading/g) ?? []).length;
    return {
      name: 'slow-readers',
      shape: { clients: CLIENTS, subscribes_each: SUBSCRIBES, history_mb: (HISTORY.messages * HISTORY.bytes) / 1e6, live_messages_per_s: 10 },
      rss_mb: { before: Math.round(before), peak: Math.round(peak), growth: Math.round(peak - before) },
      sockets_closed_for_unsent_output: closed,
    };
  } finally {
    for (const s of sockets) s.close();
    await server.dispose();
  }
}
