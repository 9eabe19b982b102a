import { Agent, IoAClient, runAgent, RunOptions } from '@ioa/client';
import { coordinator } from '../../libs/client/examples/coordinator';
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

/** A scripted worker: ready on its turn, and answers every task with `answer`; its description is its one capability. */
export const worker = (name: string, description: string, answer: string): Agent => ({
  card: { name, description, capabilities: [{ name: description.split(' ')[0], description }] },
  onTurn: () => ({ type: 'discussion', payload: { content: `${name} is ready`, next_speaker: [] } }),
  onTask: async () => ({ status: 'completed', task_conclusion: answer, task_abstract: 'done' }),
});

/** The trip team of the interop tests: a translator, a unit converter, and the example coordinator of both; its id. */
export async function startTripTeam(agents: SdkAgents): Promise<string> {
  await agents.start(worker('spanish-translator', 'translates letters and notes into Spanish', 'Bienvenidos'));
  await agents.start(worker('unit-converter', 'converts miles into kilometres', '627.6 km'));
  return (await agents.start(coordinator('trip-coordinator', ['translate a note into Spanish', 'convert miles into kilometres']))).agentId;
}
