import { io, Socket } from 'socket.io-client';
import { api } from '../../test/support/http';
import { ADMIN_TOKEN } from '../../test/support/server';

/**
 * REST as the admin for a benchmark's set-up and read-back: returns the body, and throws on any answer but 2xx (a
 * benchmark must not measure on after its set-up failed).
 */
export function adminApi(url: string): (method: string, path: string, body?: unknown) => Promise<any> {
  const call = api(url);
  return async (method, path, body) => {
    const reply = await call(method, path, ADMIN_TOKEN, body);
    if (reply.status >= 300) throw new Error(`${method} ${path}: ${reply.status} ${JSON.stringify(reply.body)}`);
    return reply.body;
  };
}

/** A plain socket.io client that does not reconnect by itself (the benchmark decides when to reconnect). */
export function connectSocket(url: string, token: string): Promise<Socket> {
  const socket = io(url, { transports: ['websocket'], auth: { token }, reconnection: false });
  return new Promise((resolve, reject) => {
    socket.once('connect', () => resolve(socket));
    socket.once('connect_error', reject);
  });
}
