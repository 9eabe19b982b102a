import { createServer, Server as HttpServer } from 'node:http';
import { AddressInfo } from 'node:net';
import { Server, Socket } from 'socket.io';
import { IoAClient } from './client';
import { IoAError } from './errors';
import { retryAfterS } from './rest';

// A token whose payload names the agent, as the server's JWTs do; the fake server never checks signatures.
const token = (sub: string) => `h.${Buffer.from(JSON.stringify({ sub })).toString('base64url')}.s`;
const envelope = (group_id: string, seq: number, content = `m${seq}`) => ({
  header: { protocol: 'ioa/1', message_id: `id-${seq}`, group_id, type: 'discussion', sender: 'x', state: 'discussion', seq, timestamp: '' },
  payload: { content, next_speaker: [] },
});

/** A stand-in for the ioa server: socket.io on loopback with per-test behaviour, recording what clients send. */
class FakeServer {
  readonly http: HttpServer = createServer((_req, res) => res.writeHead(404).end());
  readonly io = new Server(this.http, { transports: ['websocket'] });
  readonly received: { event: string; data: any }[] = [];
  connections = 0;
  onMessage: (s: Socket, data: any, ack: (a: unknown) => void) => void = (_s, d, ack) => ack({ ok: true, seq: 1, message_id: d.header.message_id });
  onSubscribe: (s: Socket, data: any, ack: (a: unknown) => void) => void = (_s, d, ack) => ack({ ok: true, group_id: d.group_id, state: 'discussion', seq: 0 });

  async start(): Promise<string> {
    this.io.on('connection', (s) => {
      this.connections++;
      s.on('message', (d, ack) => (this.received.push({ event: 'message', data: d }), this.onMessage(s, d, ack)));
      s.on('subscribe', (d, ack) => (this.received.push({ event: 'subscribe', data: d }), this.onSubscribe(s, d, ack)));
    });
    await new Promise<void>((r) => this.http.listen(0, '127.0.0.1', r));
    return `http://127.0.0.1:${(this.http.address() as AddressInfo).port}`;
  }

  stop(): Promise<void> {
    return new Promise((r) => this.io.close(() => r()));
  }
}

describe('IoAClient reliability (fake socket.io server)', () => {
  let server: FakeServer;
  let client: IoAClient | undefined;
  const connect = async (extra: Record<string, unknown> = {}) =>
    (client = await IoAClient.connect({ url: await server.start(), token: token('agent-1'), ackTimeoutMs: 300, socket: { reconnectionDelay: 50, reconnectionDelayMax: 100 }, ...extra }));

  beforeEach(() => (server = new FakeServer()));
  afterEach(async () => {
    client?.close();
    client = undefined;
    await server.stop();
  });

  it('reads the agent id from the token', async () => {
    expect((await connect()).agentId).toBe('agent-1');
  });

  it('resends with the same message_id after the socket dropped before the ack', async () => {
    let first = true;
    server.onMessage = (s, d, ack) => {
      if (first) return void ((first = false), s.conn.close());
      ack({ ok: true, seq: 7, message_id: d.header.message_id });
    };
    const c = await connect();
    const ack = await c.discussion('g-1', 'hello', []);
    const ids = server.received.filter((r) => r.event === 'message').map((r) => r.data.header.message_id);
    expect(ids).toEqual([ack.message_id, ack.message_id]);
    expect(ack).toEqual({ seq: 7, message_id: ack.message_id });
    expect(server.connections).toBe(2);
  });

  it('resends with the same message_id after an ack timeout, and gives up after the attempts', async () => {
    let calls = 0;
    server.onMessage = (_s, d, ack) => void (++calls === 2 && ack({ ok: true, seq: 3, message_id: d.header.message_id }));
    const c = await connect({ sendAttempts: 2 });
    const ack = await c.send('g-1', 'conclusion', { summary: 'done' }, { messageId: '6f1c2a0e-8d4b-4c1e-9b7a-2f3d5e6a7b8c' });
    expect(ack.message_id).toBe('6f1c2a0e-8d4b-4c1e-9b7a-2f3d5e6a7b8c');
    server.onMessage = () => undefined;
    await expect(c.conclude('g-1', 'again')).rejects.toMatchObject({ code: 'UNAVAILABLE' });
  });

  it('turns a refused ack into an IoAError with its code and fields', async () => {
    server.onMessage = (_s, _d, ack) => ack({ ok: false, error: { code: 'VALIDATION', message: 'bad', fields: [{ field: 'payload.x', messages: ['no'] }] } });
    const c = await connect();
    const error = await c.discussion('g-1', 'x').catch((e) => e);
    expect(error).toBeInstanceOf(IoAError);
    expect(error).toMatchObject({ code: 'VALIDATION', fields: [{ field: 'payload.x', messages: ['no'] }] });
  });

  it('delivers each seq once, waits for the replay, and re-subscribes after a drop with after_seq = last seen', async () => {
    server.onSubscribe = (s, d, ack) => {
      ack({ ok: true, group_id: d.group_id, state: 'discussion', seq: 3 });
      // Overlapping replay: the client must drop what it has already seen.
      for (let seq = Math.max(1, d.after_seq - 1); seq <= 3; seq++) s.emit('message', envelope(d.group_id, seq));
    };
    const c = await connect();
    const seen: number[] = [];
    c.on('message', (m) => void seen.push(m.header.seq));
    await c.subscribe('g-1');
    expect(seen).toEqual([1, 2, 3]);
    const reconnected = new Promise<void>((r) => c.on('reconnect', r));
    server.io.sockets.sockets.forEach((s) => s.conn.close());
    await reconnected;
    const subs = server.received.filter((r) => r.event === 'subscribe').map((r) => r.data);
    expect(subs).toEqual([{ group_id: 'g-1', after_seq: 0 }, { group_id: 'g-1', after_seq: 3 }]);
    expect(seen).toEqual([1, 2, 3]);
  });

  it('fails connect with the server\'s code when the handshake is refused and there is no refresh token', async () => {
    server.io.use((_s, next) => next(Object.assign(new Error('expired'), { data: { code: 'UNAUTHORIZED', message: 'expired' } })));
    await expect(connect()).rejects.toMatchObject({ code: 'UNAUTHORIZED' });
  });
});

describe('retryAfterS', () => {
  it('reads delay-seconds and HTTP dates, at least 1 s, and nothing from an absent or unreadable header', () => {
    expect(retryAfterS('5')).toBe(5);
    expect(retryAfterS('0')).toBe(1);
    expect(retryAfterS(new Date(Date.now() + 10_500).toUTCString())).toBeGreaterThanOrEqual(9);
    expect(retryAfterS(new Date(Date.now() - 10_000).toUTCString())).toBe(1);
    for (const h of [null, '', '  ', 'soon', '-3']) expect(retryAfterS(h)).toBeUndefined();
  });
});
