import { SendMessageRequest, Task } from '@a2a-js/sdk';
import { Client, ClientFactory, ClientFactoryOptions, JsonRpcTransportFactory } from '@a2a-js/sdk/client';
import { api } from './http';
import { ADMIN_TOKEN, TestServer } from './server';

/** A client of ioa's A2A server in tests: `client` tokens, the A2A SDK's own client, and JSON-RPC by hand (0.3). */
export function a2aCalls(server: TestServer) {
  const clientToken = async (name: string) => (await api(server.url)('POST', '/v1/auth/client-tokens', ADMIN_TOKEN, { name })).body as { token: string; jti: string; client_id: string };
  const a2aClient = async (token: string): Promise<Client> => {
    const fetchImpl: typeof fetch = (input, init) => {
      const headers = new Headers(init?.headers);
      headers.set('authorization', `Bearer ${token}`);
      return fetch(input, { ...init, headers });
    };
    const options = ClientFactoryOptions.createFrom(ClientFactoryOptions.default, { transports: [new JsonRpcTransportFactory({ fetchImpl })] });
    return new ClientFactory(options).createFromUrl(server.url);
  };
  /** `now`: answered at once (`returnImmediately`), not when the task settles or asks; `push`: a push notification config. */
  const goalMessage = (text: string, data?: Record<string, unknown>, taskId?: string, now = false, push?: Record<string, unknown>) => SendMessageRequest.fromJSON({
    message: { messageId: crypto.randomUUID(), role: 'ROLE_USER', taskId, parts: [{ text }, ...(data ? [{ data }] : [])] },
    ...(now || push ? { configuration: { ...(now ? { returnImmediately: true } : {}), ...(push ? { taskPushNotificationConfig: push } : {}) } } : {}),
  });
  /** A JSON-RPC call by hand (an A2A 0.3 peer, or a malformed request). */
  const rpc = async (token: string | null, body: unknown, headers: Record<string, string> = {}) => {
    const res = await fetch(`${server.url}/a2a`, { method: 'POST', headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}), ...headers }, body: JSON.stringify(body) });
    return { status: res.status, body: (await res.json().catch(() => null)) as any };
  };
  return { clientToken, a2aClient, goalMessage, rpc };
}

export const textOfStatus = (t: Task) => t.status?.message?.parts.map((p) => (p.content?.$case === 'text' ? p.content.value : '')).join('') ?? '';
export const artifactText = (t: Task) => t.artifacts.flatMap((a) => a.parts).map((p) => (p.content?.$case === 'text' ? p.content.value : '')).join('');
