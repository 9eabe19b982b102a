import { Agent, AgentRun, ConnectionFailed, Credentials, ErrorCode, IoAClient, IoAError, runAgent } from '@ioa/client';
import { Envelope } from '@ioa/protocol';
import { api } from './support/http';
import { ADMIN_TOKEN, freePort, TestServer } from './support/server';
import { until } from './support/until';

const card = (name: string) => ({ name, description: `${name}, an agent of the SDK tests`, capabilities: [] });
// Fast reconnection so that restarts cost the test little time.
const fast = { reconnectionDelay: 100, reconnectionDelayMax: 500 };
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** An admin-made enrollment token, single use unless told otherwise. */
async function enrollmentToken(server: TestServer, max_uses = 1): Promise<string> {
  const r = await api(server.url)('POST', '/v1/auth/enrollments', ADMIN_TOKEN, { max_uses });
  if (r.status !== 201) throw new Error(JSON.stringify(r.body));
  return r.body.token;
}

/** Enrols a new agent through the SDK and keeps every credential pair it reports, as a real agent would persist them. */
async function enrol(server: TestServer, name: string, socket: Record<string, number> = fast): Promise<{ client: IoAClient; saved: Credentials[] }> {
  const saved: Credentials[] = [];
  const client = await IoAClient.connect({
    url: server.url, enrollment: { token: await enrollmentToken(server), card: card(name) }, onCredentials: (c) => void saved.push(c), socket,
  });
  return { client, saved };
}

describe('agent SDK (real server on loopback)', () => {
  const server = new TestServer();
  const call = () => api(server.url);
  const clients: IoAClient[] = [];
  const keep = <T extends { client: IoAClient }>(x: T) => (clients.push(x.client), x);

  beforeAll(() => server.start());
  afterAll(async () => {
    for (const c of clients) c.close();
    await server.dispose();
  });

  it('enrols with an enrollment token, reports the credentials, connects, and connects again from them', async () => {
    const token = await enrollmentToken(server);
    const saved: Credentials[] = [];
    const client = keep({ client: await IoAClient.connect({ url: server.url, enrollment: { token, card: card('sdk-alpha') }, onCredentials: (c) => void saved.push(c) }) }).client;
    expect(client.connected).toBe(true);
    expect(saved).toEqual([{ agent_id: client.agentId, token: expect.any(String), refresh_token: expect.any(String), expires_at: expect.any(String) }]);
    expect((await call()('GET', `/v1/agents/${client.agentId}`, ADMIN_TOKEN)).body).toMatchObject({ name: 'sdk-alpha', status: 'online' });

    const again = keep({ client: await IoAClient.connect({ url: server.url, token: saved[0].token, refreshToken: saved[0].refresh_token }) }).client;
    expect(again.agentId).toBe(client.agentId);

    const spent = await IoAClient.connect({ url: server.url, enrollment: { token, card: card('sdk-alpha-2') } }).catch((e) => e);
    expect(spent).toBeInstanceOf(IoAError);
    expect(spent).toMatchObject({ code: ErrorCode.UNAUTHORIZED, status: 401 });
  });

  it('refuses sends and reads with typed errors', async () => {
    const { client: lead } = keep(await enrol(server, 'sdk-lead-1'));
    const { client: member } = keep(await enrol(server, 'sdk-member-1'));
    // An agent's group invites the members it names and opens once they answered.
    const invited = new Promise<string>((resolve) => member.on('invite', (i) => resolve(i.invite_id)));
    const group = await lead.rest.createGroup({ goal: 'say hello', members: [member.agentId] });
    expect(group).toMatchObject({ state: 'forming', members: [lead.agentId] });
    await expect(lead.discussion(group.id, 'too early', [])).rejects.toMatchObject({ code: ErrorCode.ILLEGAL_IN_STATE });
    await member.replyInvite(await invited, true);
    await until('the group to open', async () => (await lead.rest.getGroup(group.id)).state === 'discussion');

    const outOfTurn = await member.discussion(group.id, 'hi', []).catch((e) => e);
    expect(outOfTurn).toBeInstanceOf(IoAError);
    expect(outOfTurn).toMatchObject({ code: ErrorCode.NOT_YOUR_TURN });
    const invalid = await lead.discussion(group.id, '', []).catch((e) => e);
    expect(invalid).toMatchObject({ code: ErrorCode.VALIDATION, fields: [expect.objectContaining({ field: 'payload.content' })] });
    await expect(member.conclude(group.id, 'done')).rejects.toMatchObject({ code: ErrorCode.FORBIDDEN });
    await expect(member.rest.getGroup('no-such-group')).rejects.toMatchObject({ code: ErrorCode.NOT_FOUND, status: 404 });
    // team_formation, member_joined, goal: nothing refused was stored.
    expect((await lead.rest.getGroup(group.id)).seq).toBe(3);
  });

  it('reconnects after the server was killed and receives exactly the messages it missed', async () => {
    const { client: lead } = keep(await enrol(server, 'sdk-lead-2'));
    // The member reconnects more slowly than the lead, so the lead speaks while the member is still away.
    const { client: member } = keep(await enrol(server, 'sdk-member-2', { reconnectionDelay: 2500, reconnectionDelayMax: 2500, randomizationFactor: 0 }));
    const group = (await call()('POST', '/v1/groups', ADMIN_TOKEN, { goal: 'survive a crash', coordinator: lead.agentId, members: [member.agentId] })).body;
    const g = group.id;
    const delivered: Envelope[] = [];
    const onWire: number[] = [];
    member.on('message', (m) => void delivered.push(m));
    member.socket.on('message', (m) => void onWire.push(m.header.seq));
    const subscribes: unknown[] = [];
    member.socket.onAnyOutgoing((event, req) => event === 'subscribe' && subscribes.push(req));
    await member.subscribe(g);
    await lead.discussion(g, 'one', [lead.agentId]);
    await until('"one"', () => delivered.some((m) => m.payload.content === 'one'));

    const memberBack = new Promise<void>((r) => member.on('reconnect', r));
    await server.stop('SIGKILL');
    const whileDown = lead.discussion(g, 'two', [lead.agentId]); // waits for the reconnection, then sends
    await server.start();
    await whileDown;
    await lead.discussion(g, 'three', [lead.agentId]);
    await memberBack;
    await lead.discussion(g, 'four', [lead.agentId]);
    await until('"four"', () => delivered.some((m) => m.payload.content === 'four'));

    const said = delivered.filter((m) => m.header.type === 'discussion').map((m) => m.payload.content);
    expect(said).toEqual(['one', 'two', 'three', 'four']);
    const seqs = delivered.map((m) => m.header.seq);
    expect(seqs).toEqual(seqs.map((_, i) => i + 1));
    // Re-subscribing with after_seq means nothing crossed the wire twice, not merely that duplicates were dropped.
    expect(onWire).toEqual(seqs);
    expect(subscribes).toEqual([{ group_id: g, after_seq: 0 }, { group_id: g, after_seq: 2 }]);
    expect(member.lastSeq(g)).toBe((await member.rest.getGroup(g)).seq);
    const history = await member.rest.messages(g);
    expect(history.items.filter((m) => m.payload.content === 'two')).toHaveLength(1);
  });

  it('names the URL and the cause when the server cannot be reached, and never as a protocol error', async () => {
    const nowhere = `http://127.0.0.1:${await freePort()}`; // nothing listens there
    const refused = await IoAClient.connect({ url: nowhere, enrollment: { token: 'x', card: card('sdk-nowhere') } }).catch((e) => e);
    expect(refused).toBeInstanceOf(ConnectionFailed);
    expect(refused.message).toBe(`cannot reach ${nowhere}: connection refused: is the server running on that host and port? (ECONNREFUSED)`);
    const { saved } = keep(await enrol(server, 'sdk-somewhere'));
    const socketOnly = await IoAClient.connect({ url: nowhere, token: saved[0].token, connectTimeoutMs: 1500 }).catch((e) => e);
    expect(socketOnly).toBeInstanceOf(ConnectionFailed);
    expect(socketOnly.message).toMatch(new RegExp(`^cannot reach ${nowhere}: .*no connection within 1500 ms`));
  });

  it('hands what the server sent at connect (a goal it owes) to handlers added later', async () => {
    const { client: first, saved } = keep(await enrol(server, 'sdk-late-coordinator'));
    await first.rest.updateCard(first.agentId, { coordinates: true });
    first.close();
    const goal = (await call()('POST', '/v1/goals', ADMIN_TOKEN, { goal: 'wait for me', coordinator: first.agentId })).body;
    const again = keep({ client: await IoAClient.connect({ url: server.url, token: saved.at(-1)!.token, socket: fast }) }).client;
    await sleep(300); // the goal has arrived by now, before any handler
    const got: string[] = [];
    again.on('goal', (g) => void got.push(g.goal_id));
    await until('the goal', () => got.length > 0);
    expect(got).toEqual([goal.id]);
    await call()('POST', `/v1/goals/${goal.id}/cancel`, ADMIN_TOKEN);
  });

  describe('runAgent with two scripted agents', () => {
    let workerId = '';
    const errors: unknown[] = [];
    const onError = (e: unknown) => void errors.push(e);
    const lead: Agent = {
      card: card('sdk-lead-3'),
      onGoal: (goal) => ({ goal: goal.goal, team_members: [workerId] }),
      onTurn: (ctx) => {
        const done = ctx.tasks.find((t) => t.state === 'completed');
        if (done) return { type: 'conclusion', payload: { summary: `the answer is ${done.result?.task_conclusion}` } };
        if (ctx.tasks.length || ctx.state !== 'discussion') return null;
        const others = ctx.members.filter((m) => m !== ctx.me);
        const heard = ctx.messages.some((m) => m.header.type === 'discussion' && m.header.sender !== ctx.me);
        if (!heard) return { type: 'discussion', payload: { content: 'ready to compute?', next_speaker: others } };
        return { type: 'task_assignment', payload: { mode: 'sync', tasks: [{ task_desc: 'compute 6 * 7', task_abstract: 'multiply', assignee: others }] } };
      },
    };
    const worker: Agent = {
      card: card('sdk-worker-3'),
      onInvite: () => true,
      onTurn: () => ({ type: 'discussion', payload: { content: 'ready', next_speaker: [] } }),
      onTask: async (task, report) => {
        await report.progress(0.5, `working on ${task.task_abstract}`);
        return { status: 'completed', task_conclusion: String(6 * 7), task_abstract: '42' };
      },
    };
    let runs: AgentRun[] = [];
    let leadId = '';

    beforeAll(async () => {
      const l = keep(await enrol(server, lead.card.name)).client;
      const w = keep(await enrol(server, worker.card.name)).client;
      leadId = l.agentId;
      workerId = w.agentId;
      runs = [runAgent(l, lead, { onError }), runAgent(w, worker, { onError })];
      await Promise.all(runs.map((r) => r.ready));
    });
    afterAll(() => runs.forEach((r) => r.stop()));

    const closed = async (id: string) => (await call()('GET', `/v1/groups/${id}`, ADMIN_TOKEN)).body.state === 'closed';

    it('talks, assigns a task, the worker completes it, and the coordinator concludes', async () => {
      const group = (await call()('POST', '/v1/groups', ADMIN_TOKEN, { goal: 'multiply', coordinator: leadId, members: [workerId] })).body;
      await until('the group to close', () => closed(group.id));
      expect((await call()('GET', `/v1/groups/${group.id}`, ADMIN_TOKEN)).body).toMatchObject({ close_reason: 'concluded' });
      const history = (await call()('GET', `/v1/groups/${group.id}/messages`, ADMIN_TOKEN)).body.items as Envelope[];
      expect(history.filter((m) => m.header.type !== 'system').map((m) => `${m.header.sender === leadId ? 'lead' : 'worker'}:${m.header.type}`)).toEqual([
        'lead:discussion', 'worker:discussion', 'lead:task_assignment', 'worker:task_reply', 'worker:task_progress', 'worker:task_result', 'lead:conclusion',
      ]);
      expect(history.find((m) => m.header.type === 'conclusion')?.payload).toEqual({ summary: 'the answer is 42' });
      expect(errors).toEqual([]);
    });

    it('takes a goal, forms the team through an invite, and completes the goal', async () => {
      const goal = (await call()('POST', '/v1/goals', ADMIN_TOKEN, { goal: 'multiply again', coordinator: leadId })).body;
      await until('the goal to complete', async () => (await call()('GET', `/v1/goals/${goal.id}`, ADMIN_TOKEN)).body.status === 'completed');
      const done = (await call()('GET', `/v1/goals/${goal.id}`, ADMIN_TOKEN)).body;
      expect(done).toMatchObject({ result: 'the answer is 42' });
      const group = (await call()('GET', `/v1/groups/${done.root_group_id}`, ADMIN_TOKEN)).body;
      expect(group.members.sort()).toEqual([leadId, workerId].sort());
      expect(errors).toEqual([]);
    });
  });
});

describe('agent SDK token refresh (access tokens live 2 s)', () => {
  const server = new TestServer({ env: { IOA_ACCESS_TOKEN_TTL_S: '2' } });
  let client: IoAClient | undefined;

  beforeAll(() => server.start());
  afterAll(async () => {
    client?.close();
    await server.dispose();
  });

  it('refreshes a token that expired while the server was down when reconnecting, persists each pair, and keeps REST working', async () => {
    const enrolled = await enrol(server, 'sdk-refresher');
    client = enrolled.client;
    const { saved } = enrolled;
    const group = (await api(server.url)('POST', '/v1/groups', ADMIN_TOKEN, { goal: 'outlive a token', coordinator: client.agentId, members: [client.agentId] })).body;
    await client.subscribe(group.id);
    await server.stop('SIGKILL');
    // Time passing is the point: the access token expires while no server can renew it on the open socket.
    await sleep(2500);
    const before = saved.length;
    const back = new Promise<void>((r) => client!.on('reconnect', r));
    await server.start();
    await back;
    expect(saved.length).toBeGreaterThan(before);
    expect(saved[saved.length - 1].token).not.toBe(saved[before - 1].token);
    expect(client.credentials).toEqual(saved[saved.length - 1]);
    await client.discussion(group.id, 'still here', []);
    await until('the message to come back', () => client!.lastSeq(group.id) >= 2);

    // Past another token lifetime the open socket renewed its own token (auth_expiring → refresh → auth); REST works.
    await sleep(2500);
    expect((await client.rest.getGroup(group.id)).seq).toBeGreaterThanOrEqual(2);
    const last = saved[saved.length - 1];
    const fromSaved = await IoAClient.connect({ url: server.url, token: last.token, refreshToken: last.refresh_token });
    expect(fromSaved.agentId).toBe(client.agentId);
    fromSaved.close();
  });
});
