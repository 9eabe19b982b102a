import { StreamResponse, Task, TaskState } from '@a2a-js/sdk';
import { Agent } from '@ioa/client';
import { a2aCalls, artifactText, textOfStatus } from './support/a2a-client';
import { api } from './support/http';
import { SdkAgents, startTripTeam } from './support/sdk-agents';
import { ADMIN_TOKEN, TestServer } from './support/server';
import { until } from './support/until';

/**
 * ioa as an A2A server, driven by the A2A SDK's own client (JSON-RPC, A2A 1.0) with `client` tokens, and by plain
 * JSON-RPC in A2A 0.3: the agent card, a goal streamed to its result, input-required answered in the same task,
 * get, list and cancel (the goal's tree with it), refusals, tasks private to their client, and a task read again
 * after a restart. The cases mirror the A2A TCK's mandatory JSON-RPC and agent-card tests where named.
 */
describe('A2A server (real server, scripted agents, the A2A SDK client)', () => {
  const server = new TestServer();
  const agents = new SdkAgents(server);
  let call: ReturnType<typeof api>;
  let lead: string;
  let asker: string;
  let patientLead: string;
  /** A coordinator that asks its requester where the trip starts, and concludes with the answer. */
  const asked = new Set<string>();
  const asking: Agent = {
    card: { name: 'asking-coordinator', description: 'plans trips and asks the traveller first', capabilities: [] },
    onGoal: (goal) => ({ goal: goal.goal, team_members: [{ need: 'convert miles into kilometres' }] }),
    onTurn: (ctx) => {
      if (!ctx.isCoordinator) return null;
      const answer = ctx.messages.find((m) => m.header.sender === 'requester');
      if (answer) return { type: 'conclusion', payload: { summary: `a trip from ${(answer.payload as { text: string }).text}` } };
      if (asked.has(ctx.group.id)) return null;
      asked.add(ctx.group.id);
      return { type: 'discussion', payload: { content: 'Which city do you leave from?', next_speaker: [], ask_requester: true } };
    },
  };
  /** A coordinator that waits for two messages from its requester, unasked, and concludes with both. */
  const patient: Agent = {
    card: { name: 'patient-coordinator', description: 'waits for two words from the traveller', capabilities: [] },
    onGoal: (goal) => ({ goal: goal.goal, team_members: [{ need: 'convert miles into kilometres' }] }),
    onTurn: (ctx) => {
      const said = ctx.messages.filter((m) => m.header.sender === 'requester').map((m) => (m.payload as { text: string }).text);
      return ctx.isCoordinator && said.length >= 2 ? { type: 'conclusion', payload: { summary: said.join(' + ') } } : null;
    },
  };
  const V1 = { 'A2A-Version': '1.0' };
  const { clientToken, a2aClient, goalMessage, rpc } = a2aCalls(server);

  beforeAll(async () => {
    await server.start();
    call = api(server.url);
    lead = await startTripTeam(agents);
    asker = (await agents.start(asking)).agentId;
    patientLead = (await agents.start(patient)).agentId;
  });
  afterAll(async () => {
    agents.stop();
    await server.dispose();
  });

  it('serves its agent card without a token: A2A 1.0 when asked, 0.3 by default (TCK test_agent_card_mandatory_fields, test_public_agent_card_access_control)', async () => {
    const v1 = await fetch(`${server.url}/.well-known/agent-card.json`, { headers: { 'A2A-Version': '1.0' } });
    expect(v1.status).toBe(200);
    const card = (await v1.json()) as Record<string, any>;
    expect(card).toMatchObject({
      name: 'ioa', version: expect.any(String), capabilities: { streaming: true },
      supportedInterfaces: expect.arrayContaining([expect.objectContaining({ url: `${server.url}/a2a`, protocolBinding: 'JSONRPC', protocolVersion: '1.0' })]),
      securitySchemes: { ioa: { httpAuthSecurityScheme: { scheme: 'Bearer' } } },
      defaultInputModes: expect.arrayContaining(['text/plain']), defaultOutputModes: ['text/plain'],
    });
    // Skills: reaching a goal, and what the registry's agents can do.
    expect(card.skills.map((s: { id: string }) => s.id)).toEqual(expect.arrayContaining(['goal', 'capability:translates', 'capability:converts']));
    // Public, so names only (never an agent's own description); and no shared cache keeps a card the Host header wrote.
    expect(JSON.stringify(card)).not.toContain('letters and notes');
    expect(v1.headers.get('cache-control')).toBe('no-cache');
    const v03 = (await (await fetch(`${server.url}/.well-known/agent-card.json`)).json()) as Record<string, any>;
    expect(v03).toMatchObject({ name: 'ioa', url: `${server.url}/a2a`, protocolVersion: expect.stringMatching(/^0\.3/), capabilities: { streaming: true } });
  });

  it('streams a goal from submitted to completed with a line per change, and the result as an artifact (TCK test_message_stream_basic, test_tasks_get_valid)', async () => {
    const { token, client_id } = await clientToken('an A2A caller');
    const client = await a2aClient(token);
    const events: StreamResponse[] = [];
    for await (const event of client.sendMessageStream(goalMessage('plan a weekend trip to Madrid for four', { coordinator: lead, max_turns: 30 }))) events.push(event);
    const first = events[0].payload;
    expect(first?.$case).toBe('task');
    const task = (first as { value: Task }).value;
    expect(task.status?.state).toBe(TaskState.TASK_STATE_SUBMITTED);
    const lines = events.flatMap((e) => (e.payload?.$case === 'statusUpdate' ? [e.payload.value.status?.message?.parts[0]?.content] : [])).map((c) => (c?.$case === 'text' ? c.value : ''));
    expect(lines).toEqual(expect.arrayContaining([expect.stringMatching(/^team formed: /), expect.stringMatching(/^task "first part" .*: completed$/)]));
    const last = events[events.length - 1].payload;
    expect(last).toMatchObject({ $case: 'statusUpdate', value: { taskId: task.id, status: { state: TaskState.TASK_STATE_COMPLETED } } });
    expect(events.some((e) => e.payload?.$case === 'artifactUpdate' && e.payload.value.artifact?.artifactId === 'result')).toBe(true);

    // The task is the goal: tasks/get from the goal rows, the goal readable over REST by the same client.
    const got = await client.getTask({ tenant: '', id: task.id, historyLength: 10 });
    expect(got.status?.state).toBe(TaskState.TASK_STATE_COMPLETED);
    expect(artifactText(got)).toMatch(/Bienvenidos|627.6 km/);
    expect(got.history[0]?.parts[0]?.content).toEqual({ $case: 'text', value: 'plan a weekend trip to Madrid for four' });
    expect((await call('GET', `/v1/goals/${task.id}`, token)).body).toMatchObject({ status: 'completed', created_by: client_id, coordinator: lead });
    // Another client does not see it (TCK test_get_task_nonexistent's error for it), nor may it post into the task.
    const stranger = await a2aClient((await clientToken('a stranger')).token);
    await expect(stranger.getTask({ tenant: '', id: task.id })).rejects.toThrow(/not found/i);
    await expect(stranger.sendMessage(goalMessage('let me in', undefined, task.id))).rejects.toThrow(/not found/i);
    // A message in a finished task is refused.
    await expect(client.sendMessage(goalMessage('one more thing', undefined, task.id))).rejects.toThrow(/is completed: its team takes messages while it runs/);
    const listed = await client.listTasks({ tenant: '', contextId: '', status: TaskState.TASK_STATE_UNSPECIFIED, pageToken: '', statusTimestampAfter: undefined, pageSize: 10 });
    expect(listed.tasks.map((t) => t.id)).toEqual([task.id]);
    const inContext = await client.listTasks({ tenant: '', contextId: task.contextId, status: TaskState.TASK_STATE_COMPLETED, pageToken: '', statusTimestampAfter: undefined, includeArtifacts: true });
    expect(inContext).toMatchObject({ tasks: [{ id: task.id, artifacts: [{ artifactId: 'result' }] }], totalSize: 1, pageSize: 1 });
    expect((await client.listTasks({ tenant: '', contextId: crypto.randomUUID(), status: TaskState.TASK_STATE_UNSPECIFIED, pageToken: '', statusTimestampAfter: undefined })).tasks).toEqual([]);
  });

  it('goes input-required when the coordinator asks its requester, and takes the answer in the same task', async () => {
    const { token } = await clientToken('a traveller');
    const client = await a2aClient(token);
    const question = (await client.sendMessage(goalMessage('plan a trip to Lisbon', { coordinator: asker }))) as Task;
    expect(question.status?.state).toBe(TaskState.TASK_STATE_INPUT_REQUIRED);
    expect(textOfStatus(question)).toBe('Which city do you leave from?');
    // Read again, from the goal row (any node tells it): still waiting for the answer.
    const read = await client.getTask({ tenant: '', id: question.id });
    expect([read.status?.state, textOfStatus(read)]).toEqual([TaskState.TASK_STATE_INPUT_REQUIRED, 'Which city do you leave from?']);
    // The question is a change of status: listed from just before it, not after it.
    const since = (ms: number) => client.listTasks({ tenant: '', contextId: '', status: TaskState.TASK_STATE_UNSPECIFIED, pageToken: '', statusTimestampAfter: new Date(ms).toISOString() });
    const askedAt = Date.parse(read.status?.timestamp as string);
    expect((await since(askedAt - 1)).tasks.map((t) => t.id)).toEqual([question.id]);
    expect((await since(askedAt)).tasks).toEqual([]);
    const done = (await client.sendMessage(goalMessage('Porto', undefined, question.id))) as Task;
    expect(done.status?.state).toBe(TaskState.TASK_STATE_COMPLETED);
    expect(artifactText(done)).toBe('a trip from Porto');
    // In the root team, the answer is the requester's, addressed to the coordinator.
    const transcript = (await call('GET', `/v1/goals/${question.id}/transcript`, token)).body.items as Array<{ header: { sender: string }; payload: Record<string, unknown> }>;
    expect(transcript.find((m) => m.header.sender === 'requester')?.payload).toMatchObject({ event: 'requester_message', text: 'Porto', to: asker });
  });

  it('cancels the goal and its whole tree with tasks/cancel; a finished task is not cancelable (TCK test_tasks_cancel_valid)', async () => {
    const { token } = await clientToken('a canceller');
    const client = await a2aClient(token);
    const waiting = (await client.sendMessage(goalMessage('plan a trip to Seville', { coordinator: asker }))) as Task;
    expect(waiting.status?.state).toBe(TaskState.TASK_STATE_INPUT_REQUIRED);
    const canceled = await client.cancelTask({ tenant: '', id: waiting.id, metadata: {} });
    expect(canceled.status?.state).toBe(TaskState.TASK_STATE_CANCELED);
    const goal = (await call('GET', `/v1/goals/${waiting.id}`, token)).body;
    expect(goal).toMatchObject({ status: 'canceled', reason: 'canceled by the client that submitted it' });
    expect(goal.tree.every((g: { state: string }) => g.state === 'closed')).toBe(true);
    await expect(client.cancelTask({ tenant: '', id: waiting.id, metadata: {} })).resolves.toMatchObject({ status: { state: TaskState.TASK_STATE_CANCELED } });
    await expect(client.cancelTask({ tenant: '', id: crypto.randomUUID(), metadata: {} })).rejects.toThrow(/not found/i);
    const finished = (await client.sendMessage(goalMessage('plan a day trip to Cuenca', { coordinator: lead }))) as Task;
    expect(finished.status?.state).toBe(TaskState.TASK_STATE_COMPLETED);
    await expect(client.cancelTask({ tenant: '', id: finished.id, metadata: {} })).rejects.toThrow(/not cancelable/i);
    expect((await call('GET', `/v1/goals/${finished.id}`, token)).body.status).toBe('completed');
  });

  it('keeps every stream of a task when more messages come in it, and lets its client subscribe (TCK test_message_send_continue_task)', async () => {
    const { token } = await clientToken('a chatty caller');
    const client = await a2aClient(token);
    const first: StreamResponse[] = [];
    const stream = (async () => {
      for await (const e of client.sendMessageStream(goalMessage('plan a road trip', { coordinator: patientLead }))) first.push(e);
    })();
    await until('the first stream has its task, and the team formed', () => first.some((e) => e.payload?.$case === 'statusUpdate' && /team formed/.test(JSON.stringify(e))));
    const id = (first[0].payload as { value: Task }).value.id;
    const subscribed: StreamResponse[] = [];
    const subscription = (async () => {
      for await (const e of client.resubscribeTask({ tenant: '', id })) subscribed.push(e);
    })();
    await client.sendMessage(goalMessage('one', undefined, id, true));
    await client.sendMessage(goalMessage('two', undefined, id, true));
    await Promise.all([stream, subscription]);
    for (const events of [first, subscribed]) {
      expect(events.at(-1)).toMatchObject({ payload: { $case: 'statusUpdate', value: { status: { state: TaskState.TASK_STATE_COMPLETED } } } });
    }
    expect(subscribed[0].payload?.$case).toBe('task');
    const done = await client.getTask({ tenant: '', id, historyLength: 50 });
    expect(artifactText(done)).toBe('one + two');
    expect(done.history.filter((m) => m.role === 1).map((m) => m.parts[0]?.content)).toEqual([
      { $case: 'text', value: 'plan a road trip' }, { $case: 'text', value: 'one' }, { $case: 'text', value: 'two' },
    ]);
    // Another client lists none of these, reads none, cancels none; an admin reads it.
    const stranger = await a2aClient((await clientToken('another client')).token);
    const listAll = { tenant: '', contextId: '', status: TaskState.TASK_STATE_UNSPECIFIED, pageToken: '', statusTimestampAfter: undefined };
    expect((await stranger.listTasks(listAll)).tasks).toEqual([]);
    await expect(stranger.cancelTask({ tenant: '', id, metadata: {} })).rejects.toThrow(/not found/i);
    expect((await (await a2aClient(ADMIN_TOKEN)).getTask({ tenant: '', id })).status?.state).toBe(TaskState.TASK_STATE_COMPLETED);
  });

  it('refuses a message in a task whose goal does not run yet, changing nothing, and cancels that pending goal', async () => {
    const { token } = await clientToken('an early caller');
    const client = await a2aClient(token);
    // A coordinator that never connects: the goal stays pending.
    const idle = (await call('POST', '/v1/agents', ADMIN_TOKEN, { name: 'idle-coordinator', description: 'never here', capabilities: [], coordinates: true })).body.agent.id;
    const pending = (await client.sendMessage(goalMessage('wait for nobody', { coordinator: idle, accept_timeout_s: 600 }, undefined, true))) as Task;
    expect(pending.status?.state).toBe(TaskState.TASK_STATE_SUBMITTED);
    const before = await client.getTask({ tenant: '', id: pending.id, historyLength: 50 });
    await expect(client.sendMessage(goalMessage('are you there?', undefined, pending.id))).rejects.toThrow(/is pending: its team takes messages while it runs/);
    expect((await rpc(token, { jsonrpc: '2.0', id: 1, method: 'SendMessage', params: { message: { messageId: 'm9', role: 'ROLE_USER', taskId: pending.id, parts: [{ text: 'still?' }] } } }, V1)).body.error.code).toBe(-32004);
    expect(await client.getTask({ tenant: '', id: pending.id, historyLength: 50 })).toEqual(before);
    expect((await call('POST', `/v1/goals/${pending.id}/messages`, token, { text: 'hello?' })).status).toBe(409);
    expect((await call('POST', `/v1/goals/${pending.id}/messages`, (await clientToken('not the requester')).token, { text: 'hello?' })).status).toBe(403);
    expect((await client.cancelTask({ tenant: '', id: pending.id, metadata: {} })).status?.state).toBe(TaskState.TASK_STATE_CANCELED);
    expect((await call('GET', `/v1/goals/${pending.id}`, token)).body.status).toBe('canceled');
  });

  it('refuses bad messages as invalid params without making a task (TCK test_message_send_invalid_params)', async () => {
    const { token } = await clientToken('a careless caller');
    const send = (parts: unknown) => rpc(token, { jsonrpc: '2.0', id: 1, method: 'SendMessage', params: { message: { messageId: 'm1', role: 'ROLE_USER', parts } } }, V1);
    for (const parts of ['invalid', [{ data: { coordinator: lead } }], [{ text: 'x' }, { data: { max_turns: 'many' } }], [{ text: 'x' }, { data: { surprise: 1 } }], [{ text: 'x' }, { data: {} }, { data: {} }]]) {
      expect([parts, (await send(parts)).body.error?.code]).toEqual([parts, -32602]);
    }
    expect((await call('GET', '/v1/goals', token)).body.total).toBe(0);
    // A goal that cannot be submitted (its coordinator is unknown): a message says why, and there is no task.
    const none = await rpc(token, { jsonrpc: '2.0', id: 4, method: 'SendMessage', params: { message: { messageId: 'm2', role: 'ROLE_USER', parts: [{ text: 'x' }, { data: { coordinator: crypto.randomUUID() } }] } } }, V1);
    expect(none.body.result.message).toMatchObject({ role: 'ROLE_AGENT', parts: [{ text: expect.stringMatching(/^NOT_FOUND: /) }], metadata: { code: 'NOT_FOUND' } });
    expect((await call('GET', '/v1/goals', token)).body.total).toBe(0);
  });

  it('answers JSON-RPC and authentication as the A2A TCK\'s mandatory tests check them', async () => {
    const { token } = await clientToken('a TCK stand-in');
    const code = async (body: unknown) => (await rpc(token, body, V1)).body.error?.code;
    // test_rejects_malformed_json, test_raw_invalid_json
    const malformed = await fetch(`${server.url}/a2a`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` }, body: '{"jsonrpc":"2.0","id":1,"method":"GetTask","params":{' });
    expect(((await malformed.json()) as { error: { code: number } }).error.code).toBe(-32700);
    // test_rejects_invalid_json_rpc_requests, test_invalid_jsonrpc_version, test_missing_method_field
    expect(await code({ jsonrpc: 'aaa', id: 1, method: 'GetTask', params: { id: 'x' } })).toBe(-32600);
    expect(await code({ jsonrpc: '1.0', id: 1, method: 'GetTask', params: { id: 'x' } })).toBe(-32600);
    expect(await code({ jsonrpc: '2.0', id: 1, params: {} })).toBe(-32600);
    expect(await code({ jsonrpc: '2.0', id: { no: 1 }, method: 'GetTask', params: { id: 'x' } })).toBe(-32600);
    expect(await code({ jsonrpc: '2.0', id: 1, method: 'SendMessageXXX', params: {} })).toBe(-32601);
    // test_rejects_unknown_method: the id comes back
    expect((await rpc(token, { jsonrpc: '2.0', id: 'u1', method: 'nonexistent/method', params: {} }, V1)).body).toMatchObject({ id: 'u1', error: { code: -32601 } });
    // test_tasks_get_nonexistent, test_tasks_cancel_nonexistent
    expect(await code({ jsonrpc: '2.0', id: 1, method: 'GetTask', params: { id: crypto.randomUUID() } })).toBe(-32001);
    expect(await code({ jsonrpc: '2.0', id: 1, method: 'CancelTask', params: { id: crypto.randomUUID() } })).toBe(-32001);
    // The TCK's main branch sends 1.0 method names without A2A-Version: a 1.0 name is read as 1.0 (0.3 would not know it).
    expect((await rpc(token, { jsonrpc: '2.0', id: 1, method: 'GetTask', params: { id: crypto.randomUUID() } })).body.error.code).toBe(-32001);
    // test_push_notification_not_supported_error_32003: without IOA_A2A_PUSH_ALLOWED_HOSTS the card says
    // pushNotifications: false (test/a2a-push.e2e-spec.ts sets it).
    expect(await code({ jsonrpc: '2.0', id: 1, method: 'CreateTaskPushNotificationConfig', params: { taskId: crypto.randomUUID(), url: 'http://127.0.0.1:9/hook' } })).toBe(-32003);
    // test_invalid_page_token_error, test_zero_page_size_error, test_out_of_range_page_size_error, test_invalid_timestamp_error
    for (const params of [{ pageToken: 'not-a-token' }, { pageSize: 0 }, { pageSize: 101 }, { statusTimestampAfter: '-1' }]) {
      expect([params, await code({ jsonrpc: '2.0', id: 1, method: 'ListTasks', params })]).toEqual([params, -32602]);
    }
    // test_list_tasks_empty_when_none_exist
    expect((await rpc(token, { jsonrpc: '2.0', id: 1, method: 'ListTasks', params: {} }, V1)).body.result).toMatchObject({ tasks: [], totalSize: 0, nextPageToken: '' });
    // test_authentication_required_when_declared, test_invalid_credentials_rejected: HTTP 401 (with a challenge), never 200
    for (const credential of [null, 'not-a-token']) {
      const res = await fetch(`${server.url}/a2a`, { method: 'POST', headers: { 'content-type': 'application/json', ...(credential ? { authorization: `Bearer ${credential}` } : {}) }, body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'GetTask', params: { id: 'x' } }) });
      expect([credential, res.status, res.headers.get('www-authenticate')]).toEqual([credential, 401, 'Bearer']);
    }
    const agentToken = (await call('POST', `/v1/agents/${lead}/tokens`, ADMIN_TOKEN)).body.token;
    expect((await rpc(agentToken, { jsonrpc: '2.0', id: 6, method: 'GetTask', params: { id: 'x' } })).status).toBe(403);
  });

  it('speaks A2A 0.3 (message/send, tasks/get) to a peer that sends no A2A-Version, and keeps tasks across a restart', async () => {
    const { token } = await clientToken('an older peer');
    const sent = await rpc(token, { jsonrpc: '2.0', id: 1, method: 'message/send', params: { message: { kind: 'message', messageId: 'm1', role: 'user', parts: [{ kind: 'text', text: 'plan a day trip to Toledo' }, { kind: 'data', data: { coordinator: lead } }] } } });
    expect(sent.body.result).toMatchObject({ kind: 'task', status: { state: 'completed' }, artifacts: [{ artifactId: 'result', parts: [{ kind: 'text', text: expect.any(String) }] }] });
    const id = sent.body.result.id as string;
    await server.restart();
    const got = await rpc(token, { jsonrpc: '2.0', id: 2, method: 'tasks/get', params: { id } });
    expect(got.body.result).toMatchObject({ id, kind: 'task', status: { state: 'completed' }, artifacts: [{ artifactId: 'result' }] });
    const client = await a2aClient(token);
    expect((await client.getTask({ tenant: '', id })).status?.state).toBe(TaskState.TASK_STATE_COMPLETED);
  });
});

