import { createServer, IncomingHttpHeaders, Server } from 'node:http';
import { AddressInfo } from 'node:net';
import { Task, TaskState } from '@a2a-js/sdk';
import { Agent } from '@ioa/client';
import { a2aCalls } from './support/a2a-client';
import { SdkAgents, startTripTeam } from './support/sdk-agents';
import { TestServer } from './support/server';
import { until } from './support/until';

/** What a client's webhook received: each push's path, headers and JSON body, in arrival order. */
class Webhook {
  readonly received: Array<{ path: string; headers: IncomingHttpHeaders; body: any }> = [];
  private readonly server: Server = createServer((req, res) => {
    let body = '';
    req.on('data', (c) => (body += c));
    req.on('end', () => {
      this.received.push({ path: req.url ?? '', headers: req.headers, body: JSON.parse(body || 'null') });
      if (req.url === '/moved') res.writeHead(307, { location: '/elsewhere' }).end();
      else res.writeHead(200).end();
    });
  });

  url = '';

  async start(): Promise<void> {
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  at(path: string) {
    return this.received.filter((r) => r.path === path);
  }

  close(): Promise<void> {
    return new Promise((resolve) => this.server.close(() => resolve()));
  }
}

/**
 * A2A push notifications (real server, scripted agents, a webhook on loopback that `IOA_A2A_ALLOWED_HOSTS` allows):
 * each change of a task pushed to its client's URL, authenticated, in A2A 1.0 or 0.3 as the config was set; configs
 * read back without their secrets, deleted, private to their client, kept across a restart; URLs that the outbound
 * rules refuse (another host, `file:`, credentials, metadata addresses) refused when given, and redirects not followed.
 */
describe('A2A push notifications (real server, scripted agents, a webhook)', () => {
  const server = new TestServer({ env: { IOA_A2A_ALLOWED_HOSTS: '127.0.0.1', IOA_A2A_TIMEOUT_S: '3' } });
  const agents = new SdkAgents(server);
  const hook = new Webhook();
  const { clientToken, a2aClient, goalMessage, rpc } = a2aCalls(server);
  let lead: string;
  let patientLead: string;
  /** A coordinator that asks once, and concludes when its requester has written. */
  const patient: Agent = {
    card: { name: 'patient-coordinator', description: 'waits for a word from the traveller', capabilities: [] },
    onGoal: (goal) => ({ goal: goal.goal, team_members: [{ need: 'convert miles into kilometres' }] }),
    onTurn: (ctx) => {
      if (!ctx.isCoordinator) return null;
      const said = ctx.messages.find((m) => m.header.sender === 'requester');
      if (said) return { type: 'conclusion', payload: { summary: `leaving from ${(said.payload as { text: string }).text}` } };
      return ctx.messages.some((m) => (m.payload as { ask_requester?: boolean }).ask_requester) ? null
        : { type: 'discussion', payload: { content: 'Where from?', next_speaker: [], ask_requester: true } };
    },
  };
  const states = (path: string) => hook.at(path).map((r) => r.body?.task?.status?.state ?? r.body?.status?.state);

  beforeAll(async () => {
    await hook.start();
    await server.start();
    lead = await startTripTeam(agents);
    patientLead = (await agents.start(patient)).agentId;
  });
  afterAll(async () => {
    agents.stop();
    await server.dispose();
    await hook.close();
  });

  it('pushes each change of the task to the URL given with the message, authenticated, ending with the result', async () => {
    const client = await a2aClient((await clientToken('a pushed client')).token);
    const push = { url: `${hook.url}/done`, authentication: { scheme: 'Bearer', credentials: 'hook-secret' } };
    const task = (await client.sendMessage(goalMessage('plan a day trip to Granada', { coordinator: lead }, undefined, false, push))) as Task;
    expect(task.status?.state).toBe(TaskState.TASK_STATE_COMPLETED);
    await until('the completed task pushed', () => states('/done').at(-1) === 'TASK_STATE_COMPLETED');
    // In order (one push per change, each the whole task), and each authenticated as the client asked.
    expect(states('/done')[0]).toBe('TASK_STATE_SUBMITTED');
    expect(states('/done')).toContain('TASK_STATE_WORKING');
    expect(states('/done').indexOf('TASK_STATE_COMPLETED')).toBe(states('/done').length - 1);
    expect(hook.at('/done').every((r) => r.headers.authorization === 'Bearer hook-secret' && r.headers['content-type']?.startsWith('application/'))).toBe(true);
    expect(hook.at('/done').at(-1)?.body.task).toMatchObject({ id: task.id, artifacts: [{ artifactId: 'result' }] });

    // Read back without its credentials; another client sees no such task; deleted, it is gone.
    const listed = await client.listTaskPushNotificationConfig({ tenant: '', taskId: task.id, pageSize: 10, pageToken: '' });
    expect(listed.configs).toEqual([expect.objectContaining({ taskId: task.id, url: push.url, authentication: { scheme: 'Bearer', credentials: '' } })]);
    const stranger = await a2aClient((await clientToken('a stranger')).token);
    await expect(stranger.listTaskPushNotificationConfig({ tenant: '', taskId: task.id, pageSize: 10, pageToken: '' })).rejects.toThrow(/not found/i);
    // Config ids are the clients' own: the same id on another client's task is another config.
    await stranger.sendMessage(goalMessage('plan a day trip to Cadiz', { coordinator: lead }, undefined, true, { id: listed.configs[0].id, url: `${hook.url}/stranger` }));
    expect((await client.listTaskPushNotificationConfig({ tenant: '', taskId: task.id, pageSize: 10, pageToken: '' })).configs.map((c) => c.url)).toEqual([push.url]);
    await client.deleteTaskPushNotificationConfig({ tenant: '', taskId: task.id, id: listed.configs[0].id });
    expect((await client.listTaskPushNotificationConfig({ tenant: '', taskId: task.id, pageSize: 10, pageToken: '' })).configs).toEqual([]);
  });

  it('refuses URLs the outbound rules refuse, before any task is made, and does not follow a redirect', async () => {
    const { token } = await clientToken('a careless client');
    const client = await a2aClient(token);
    for (const url of ['file:///etc/passwd', 'http://169.254.169.254/latest/meta-data', `http://user:pw@127.0.0.1:${new URL(hook.url).port}/x`, 'http://example.com/hook', 'not a url']) {
      await expect(client.sendMessage(goalMessage('plan a day trip to Toledo', { coordinator: lead }, undefined, false, { url }))).rejects.toThrow(/push notification url/);
    }
    expect((await client.listTasks({ tenant: '', contextId: '', status: TaskState.TASK_STATE_UNSPECIFIED, pageToken: '', pageSize: 10, statusTimestampAfter: undefined })).tasks).toEqual([]);
    const moved = (await client.sendMessage(goalMessage('plan a day trip to Segovia', { coordinator: lead }, undefined, false, { url: `${hook.url}/moved` }))) as Task;
    expect(moved.status?.state).toBe(TaskState.TASK_STATE_COMPLETED);
    await until('the completed task pushed to the redirecting hook', () => states('/moved').includes('TASK_STATE_COMPLETED'));
    expect(hook.at('/elsewhere')).toEqual([]);
  });

  it('pushes in A2A 0.3 to a config set in 0.3, with its token, a question and its answer included, across a restart', async () => {
    const { token } = await clientToken('an older client');
    const client = await a2aClient(token);
    const task = (await client.sendMessage(goalMessage('plan a trip to Cordoba', { coordinator: patientLead }))) as Task;
    expect(task.status?.state).toBe(TaskState.TASK_STATE_INPUT_REQUIRED);
    const set = await rpc(token, { jsonrpc: '2.0', id: 1, method: 'tasks/pushNotificationConfig/set', params: { taskId: task.id, pushNotificationConfig: { url: `${hook.url}/older`, token: 'older-token' } } });
    expect(set.body.result).toMatchObject({ taskId: task.id, pushNotificationConfig: { url: `${hook.url}/older` } });
    expect(JSON.stringify(set.body.result)).not.toContain('older-token');
    await server.restart();
    const answered = await (await a2aClient(token)).sendMessage(goalMessage('Seville', undefined, task.id));
    expect((answered as Task).status?.state).toBe(TaskState.TASK_STATE_COMPLETED);
    await until('the 0.3 pushes up to completed', () => states('/older').includes('completed'));
    expect(hook.at('/older').every((r) => r.headers['x-a2a-notification-token'] === 'older-token' && r.body.kind === 'task' && r.body.id === task.id)).toBe(true);
    expect(states('/older')).toEqual(expect.arrayContaining(['working', 'completed']));
  });
});
