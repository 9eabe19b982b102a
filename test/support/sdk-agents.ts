import { Agent, IoAClient, runAgent, RunOptions } from '@ioa/client';
import { api } from './http';
import { ADMIN_TOKEN, TestServer } from './server';

/** Agents written with the SDK, each enrolled with its own single-use token, connected and run; stopped together. */
export class SdkAgents {
  private readonly clients: IoAClient[] = [];
  private readonly runs: { stop(): void }[] = [];

  constructor(private readonly server: TestServer) {}

  /** Enrols, connects and runs `agent`; resolves once its card says what it does (`run.ready`). */
  async start(agent: Agent, options?: RunOptions): Promise<IoAClient> {
    const { token } = (await api(this.server.url)('POST', '/v1/auth/enrollments', ADMIN_TOKEN, { max_uses: 1 })).body;
    const client = await IoAClient.connect({ url: this.server.url, enrollment: { token, card: agent.card } });
    this.clients.push(client);
    const run = runAgent(client, agent, options);
    this.runs.push(run);
    await run.ready;
    return client;
  }

  stop(): void {
    this.runs.forEach((r) => r.stop());
    this.clients.forEach((c) => c.close());
  }
}
