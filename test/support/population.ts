import { randomUUID } from 'node:crypto';
import agents from '../fixtures/agents.json';
import { api } from './http';
import { ADMIN_TOKEN, TestServer } from './server';
import { TestClient } from './socket';

export const ok = (ack: any) => {
  if (!ack.ok) throw new Error(JSON.stringify(ack.error));
  return ack;
};
export const uuid = () => randomUUID();

export interface Scripted {
  id: string;
  name: string;
  token: string;
  client: TestClient;
}

/**
 * Scripted agents: each fixture agent connects and answers invites by a rule (accept, unless named in `decline`
 * or `silent`), so the server's team formation runs against real sockets.
 */
export async function population(server: TestServer, names: string[], rules: { decline?: string[]; silent?: string[] } = {}): Promise<Map<string, Scripted>> {
  const call = api(server.url);
  const out = new Map<string, Scripted>();
  for (const name of names) {
    // A name that is not a fixture agent is a coordinator: it may be named a goal's coordinator.
    const card = agents.find((a) => a.name === name) ?? { name, description: `${name} coordinates projects and teams`, capabilities: [], coordinates: true };
    const r = await call('POST', '/v1/agents', ADMIN_TOKEN, card);
    const client = new TestClient(server.url, r.body.token);
    await client.connected();
    client.socket.on('invite', (inv: any) => {
      if (rules.silent?.includes(name)) return;
      void client.emit('invite_reply', { invite_id: inv.invite_id, accept: !rules.decline?.includes(name), reason: 'busy' });
    });
    out.set(name, { id: r.body.agent.id, name, token: r.body.token, client });
  }
  return out;
}

export const teamUp = (from: Scripted, payload: Record<string, unknown>) =>
  from.client.emit('message', { header: { protocol: 'ioa/1', message_id: uuid(), type: 'team_formation' }, payload });
