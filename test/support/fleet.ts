import { api } from './http';
import { ADMIN_TOKEN, TestServer } from './server';
import { TestClient } from './socket';

export interface TestAgent {
  id: string;
  name: string;
  token: string;
  refresh_token: string;
  client: TestClient;
}

/** Registers agents through REST (as an admin) and connects each one with a real socket. */
export async function fleet(server: TestServer, names: string[]): Promise<TestAgent[]> {
  const call = api(server.url);
  const agents: TestAgent[] = [];
  for (const name of names) {
    const r = await call('POST', '/v1/agents', ADMIN_TOKEN, { name, description: `${name} test agent`, capabilities: [] });
    if (r.status !== 201) throw new Error(JSON.stringify(r.body));
    const client = new TestClient(server.url, r.body.token);
    await client.connected();
    agents.push({ id: r.body.agent.id, name, token: r.body.token, refresh_token: r.body.refresh_token, client });
  }
  return agents;
}
