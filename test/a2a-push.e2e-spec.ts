import { createServer, IncomingHttpHeaders, Server } from 'node:http';
import { AddressInfo } from 'node:net';
import { Task, TaskState } from '@a2a-js/sdk';
import { Client } from '@a2a-js/sdk/client';
import { Agent } from '@ioa/client';
import { a2aCalls } from './support/a2a-client';
import { SdkAgents, startTripTeam } from './support/sdk-agents';
import { api } from './support/http';
import { ADMIN_TOKEN, TestServer } from './support/server';
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
 * A2A push notifications (real server, scripted agents, a webhook on loopback that `IOA_A2A_PUSH_ALLOWED_HOSTS`
 * allows by address): each change of a task pushed to its client's URL, authenticated, in A2A 1.0 or 0.3 as the config
 * was set, a question and its answer included; configs read back without their secrets, private to their client,
 * bounded, deleted one by one, kept across a restart; URLs the push rules refuse (a host not listed, even one hosted
 * agents may be reached at; `file:`; credentials) refused when given, and redirects not followed (the rules' own
 * `fetch`, whose connect-time address checks `outbound.spec.ts` tests).
 */
describe('A2A push notifications (real server, scripted agents, a webhook)', () => {
  const server = new TestServer({ env: { IOA_A2A_PUSH_ALLOWED_HOSTS: '127.0.0.1', IOA_A2A_ALLOWED_HOSTS: 'agents.example.com', IOA_A2A_TIMEOUT_S: '3' } });
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
  /**
   * Whether `seen` goes through `order` forwards (each push reads the task as it is when it leaves, so a change may
   * be told with the one after it; a state may be told again with a new status message).
   */
  const inOrder = (seen: string[], order: string[]) => {
    let at = 0;
    return seen.every((state) => (at = order.indexOf(state, at)) >= 0);
  };
  const configs = (client: Client, taskId: string) => client.listTaskPushNotificationConfig({ tenant: '', taskId, pageSize: 10, pageToken: '' });
  const create = (client: Client, taskId: string, path: string) => client.createTaskPushNotificationConfig({ tenant: '', id: '', taskId, url: `${hook.url}${path}`, token: '', authentication: undefined });

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
    expect([states('/done'), inOrder(states('/done'), ['TASK_STATE_SUBMITTED', 'TASK_STATE_WORKING', 'TASK_STATE_COMPLETED'])]).toEqual([expect.anything(), true]);
    expect(hook.at('/done').every((r) => r.headers.authorization === 'Bearer hook-secret' && r.headers['content-type']?.startsWith('application/'))).toBe(true);
    expect(hook.at('/done').at(-1)?.body.task).toMatchObject({ id: task.id, artifacts: [{ artifactId: 'result' }] });

    // Read back without its credentials; another client sees no such task, and its own config of the same id is its own.
    const listed = await configs(client, task.id);
    expect(listed.configs).toEqual([expect.objectContaining({ taskId: task.id, url: push.url, authentication: { scheme: 'Bearer', credentials: '' } })]);
    const stranger = await a2aClient((await clientToken('a stranger')).token);
    await expect(configs(stranger, task.id)).rejects.toThrow(/not found/i);
    await stranger.sendMessage(goalMessage('plan a day trip to Cadiz', { coordinator: lead }, undefined, true, { id: listed.configs[0].id, url: `${hook.url}/stranger` }));
    expect((await configs(client, task.id)).configs.map((c) => c.url)).toEqual([push.url]);
    // An ended task takes no more configs, nor does a goal not submitted over A2A (an admin reads every goal).
    await expect(create(client, task.id, '/late')).rejects.toThrow(/has ended/);
    const restGoal = (await api(server.url)('POST', '/v1/goals', ADMIN_TOKEN, { goal: 'plan a trip to Ronda', coordinator: patientLead })).body.id as string;
    await expect(create(await a2aClient(ADMIN_TOKEN), restGoal, '/rest')).rejects.toThrow(/not submitted over A2A/);
    // Deleted, a config is gone.
    await client.deleteTaskPushNotificationConfig({ tenant: '', taskId: task.id, id: listed.configs[0].id });
    expect((await configs(client, task.id)).configs).toEqual([]);
  });

  it('refuses URLs the push rules refuse before anything is made (a message with one is not taken); follows no redirect; keeps 4 configs a task', async () => {
    const { token } = await clientToken('a careless client');
    const client = await a2aClient(token);
    const port = new URL(hook.url).port;
    for (const url of ['file:///etc/passwd', 'http://169.254.169.254/latest/meta-data', `http://user:pw@127.0.0.1:${port}/x`, 'http://agents.example.com/hook', 'not a url']) {
      const message = goalMessage('plan a day trip to Toledo', { coordinator: lead }, undefined, false, { url });
      await expect(client.sendMessage(message)).rejects.toThrow(/push notification url/);
      await expect((async () => {
        for await (const e of client.sendMessageStream(message)) void e;
      })()).rejects.toThrow(/push notification url/);
    }
    const none = await client.listTasks({ tenant: '', contextId: '', status: TaskState.TASK_STATE_UNSPECIFIED, pageToken: '', pageSize: 10, statusTimestampAfter: undefined });
    expect(none.tasks).toEqual([]);
    const task = (await client.sendMessage(goalMessage('plan a trip to Jaen', { coordinator: patientLead }, undefined, false, { url: `${hook.url}/first` }))) as Task;
    expect(task.status?.state).toBe(TaskState.TASK_STATE_INPUT_REQUIRED);
    await until('the question pushed', () => states('/first').includes('TASK_STATE_INPUT_REQUIRED'));
    // A refused config with a message in the task: the message is not taken.
    const before = (await client.getTask({ tenant: '', id: task.id, historyLength: 50 })).history.length;
    await expect(client.sendMessage(goalMessage('Jaen', undefined, task.id, false, { url: 'file:///etc/passwd' }))).rejects.toThrow(/push notification url/);
    expect((await client.getTask({ tenant: '', id: task.id, historyLength: 50 })).history.length).toBe(before);
    for (const path of ['/moved', '/kept', '/dropped']) await create(client, task.id, path);
    await expect(create(client, task.id, '/fifth')).rejects.toThrow(/at most 4/);
    const dropped = (await configs(client, task.id)).configs.find((c) => c.url.endsWith('/dropped'))!;
    await expect(rpc(token, { jsonrpc: '2.0', id: 1, method: 'DeleteTaskPushNotificationConfig', params: { taskId: task.id } }, { 'A2A-Version': '1.0' })).resolves.toMatchObject({ body: { error: { code: -32602 } } });
    await client.deleteTaskPushNotificationConfig({ tenant: '', taskId: task.id, id: dropped.id });
    expect((await configs(client, task.id)).configs.map((c) => new URL(c.url).pathname)).toEqual(['/first', '/moved', '/kept']);
    await client.sendMessage(goalMessage('Jaen', undefined, task.id));
    await until('the completed task pushed', () => states('/kept').includes('TASK_STATE_COMPLETED'));
    expect([hook.at('/dropped'), hook.at('/elsewhere')]).toEqual([[], []]);
    expect(states('/moved')).toContain('TASK_STATE_COMPLETED');
    await until('the redirect refused', () => /answered with a redirect \(307\), which is not followed/.test(server.output));
  });

  it('pushes in A2A 0.3 to a config set in 0.3, with its token, the question and its answer included, across a restart', async () => {
    const { token } = await clientToken('an older client');
    const sent = await rpc(token, { jsonrpc: '2.0', id: 1, method: 'message/send', params: {
      message: { kind: 'message', messageId: 'm1', role: 'user', parts: [{ kind: 'text', text: 'plan a trip to Cordoba' }, { kind: 'data', data: { coordinator: patientLead } }] },
      configuration: { blocking: true, pushNotificationConfig: { url: `${hook.url}/older`, token: 'older-token' } },
    } });
    expect([sent.body.error, sent.body.result?.status]).toEqual([undefined, expect.objectContaining({ state: 'input-required' })]);
    const id = sent.body.result.id as string;
    await until('the question pushed', () => states('/older').includes('input-required'));
    const listed = await rpc(token, { jsonrpc: '2.0', id: 2, method: 'tasks/pushNotificationConfig/list', params: { id } });
    expect(listed.body.result).toEqual([expect.objectContaining({ taskId: id, pushNotificationConfig: expect.objectContaining({ url: `${hook.url}/older` }) })]);
    expect(JSON.stringify(listed.body.result)).not.toContain('older-token');
    const unnamed = await rpc(token, { jsonrpc: '2.0', id: 3, method: 'tasks/pushNotificationConfig/delete', params: { id } });
    expect(unnamed.body.error?.code).toBe(-32602);
    await server.restart();
    const answered = await (await a2aClient(token)).sendMessage(goalMessage('Seville', undefined, id));
    expect((answered as Task).status?.state).toBe(TaskState.TASK_STATE_COMPLETED);
    await until('the 0.3 pushes up to completed', () => states('/older').includes('completed'));
    expect([states('/older'), inOrder(states('/older'), ['submitted', 'working', 'input-required', 'working', 'completed'])]).toEqual([expect.anything(), true]);
    expect(hook.at('/older').every((r) => r.headers['x-a2a-notification-token'] === 'older-token' && r.body.kind === 'task' && r.body.id === id)).toBe(true);
  });
});
