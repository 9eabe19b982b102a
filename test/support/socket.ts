import { randomUUID } from 'node:crypto';
import { io, Socket } from 'socket.io-client';

/** A real socket.io client on loopback that records every server event it receives. */
export class TestClient {
  readonly socket: Socket;
  readonly events: { event: string; data: any }[] = [];

  constructor(url: string, token: string, options: { autoConnect?: boolean } = {}) {
    this.socket = io(url, { transports: ['websocket'], auth: { token }, reconnection: false, autoConnect: options.autoConnect ?? true });
    this.socket.onAny((event, data) => this.events.push({ event, data }));
  }

  connected(): Promise<void> {
    if (this.socket.connected) return Promise.resolve();
    return new Promise((resolve, reject) => {
      this.socket.once('connect', () => resolve());
      this.socket.once('connect_error', reject);
    });
  }

  emit<T = any>(event: string, data: unknown): Promise<T> {
    return this.socket.timeout(10_000).emitWithAck(event, data) as Promise<T>;
  }

  /** Sends an envelope; returns the ack. */
  send(groupId: string, type: string, payload: unknown, messageId: string = randomUUID()): Promise<any> {
    return this.emit('message', { header: { protocol: 'ioa/1', message_id: messageId, group_id: groupId, type }, payload });
  }

  messages(groupId?: string): any[] {
    return this.events.filter((e) => e.event === 'message' && (!groupId || e.data.header.group_id === groupId)).map((e) => e.data);
  }

  of(event: string): any[] {
    return this.events.filter((e) => e.event === event).map((e) => e.data);
  }

  /** Waits until an event matching `match` has arrived (already or later). */
  async waitFor(event: string, match: (data: any) => boolean = () => true, timeoutMs = 10_000): Promise<any> {
    const started = Date.now();
    for (;;) {
      const hit = this.events.find((e) => e.event === event && match(e.data));
      if (hit) return hit.data;
      if (Date.now() - started > timeoutMs) throw new Error(`no ${event} event matched within ${timeoutMs} ms; got ${JSON.stringify(this.events.map((e) => e.event))}`);
      await new Promise((r) => setTimeout(r, 20));
    }
  }

  close(): void {
    this.socket.close();
  }
}
