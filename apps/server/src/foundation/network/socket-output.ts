import type { Socket } from 'socket.io';

/** The parts of engine.io's socket and ws's websocket this module reads (neither types them as public). */
interface EngineConnection {
  writeBuffer: Array<{ data?: string | Buffer }>;
  transport: { writable: boolean; socket?: { bufferedAmount?: number; terminate?: () => void } };
}

const engine = (socket: Socket) => socket.conn as unknown as EngineConnection;

/**
 * Bytes written to a socket and not yet taken by the network: what engine.io queues while the transport is busy,
 * plus what the websocket holds for a peer that reads slower than we write (nothing, for a reader that keeps up).
 */
export function pendingBytes(socket: Socket): number {
  const conn = engine(socket);
  let bytes = conn.transport.socket?.bufferedAmount ?? 0;
  for (const packet of conn.writeBuffer) bytes += typeof packet.data === 'string' ? Buffer.byteLength(packet.data) : packet.data?.length ?? 0;
  return bytes;
}

/** Resolves once everything written to the socket has been handed to the network, or the socket closed. */
export async function drained(socket: Socket, pollMs = 20): Promise<void> {
  const conn = engine(socket);
  while (socket.connected && (conn.writeBuffer.length > 0 || !conn.transport.writable)) {
    await new Promise((resolve) => setTimeout(resolve, pollMs));
  }
}

/**
 * Closes the socket now, dropping what it still had to send. A plain disconnect waits for the output to drain first,
 * which never happens for a peer that stopped reading.
 */
export function terminate(socket: Socket): void {
  const ws = engine(socket).transport.socket;
  if (ws?.terminate) ws.terminate();
  else socket.disconnect(true);
}

/**
 * Every `everyMs`, closes the sockets whose unsent output passed `maxBytes` (peers that stopped reading while
 * messages kept coming), with a log line each. Returns the function that stops watching.
 */
export function capOutput(sockets: () => Iterable<Socket>, maxBytes: number, log: (line: string) => void, everyMs = 1000): () => void {
  const timer = setInterval(() => {
    for (const socket of sockets()) {
      const bytes = pendingBytes(socket);
      if (bytes <= maxBytes) continue;
      const p = socket.data.principal as { role: string; id: string } | undefined;
      log(`${p?.role ?? 'socket'} ${p?.id ?? ''}: socket ${socket.id} closed, ${bytes} bytes of output unsent (IOA_SOCKET_BUFFER_MAX_BYTES ${maxBytes}); it stopped reading`);
      terminate(socket);
    }
  }, everyMs);
  timer.unref();
  return () => clearInterval(timer);
}
