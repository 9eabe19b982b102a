import { IoAClient } from '@ioa/client';
import { fleet, TestAgent } from './support/fleet';
import { api } from './support/http';
import { ok } from './support/population';
import { ADMIN_TOKEN, TestServer } from './support/server';
import { until } from './support/until';

/** Operator control: pause (deadlines frozen, messages refused), the operator's message, resume; a restart keeps a pause. */
describe('operator control (real server, real sockets, real SQLite file)', () => {
  const server = new TestServer();
  let call: ReturnType<typeof api>;
  let c: TestAgent, a: TestAgent;
  const group = async (g: string) => (await call('GET', `/v1/groups/${g}`, ADMIN_TOKEN)).body;
  const events = async (g: string, event: string) => (await call('GET', `/v1/groups/${g}/messages`, ADMIN_TOKEN)).body.items.filter((m: any) => m.payload.event === event);

  beforeAll(async () => {
    await server.start();
    call = api(server.url);
    [c, a] = await fleet(server, ['coord', 'ana']);
  });
  afterAll(async () => {
    for (const x of [c, a]) x?.client.close();
    await server.dispose();
  });

  it('pauses a group: messages refused, deadlines frozen, the operator heard by all; a restart keeps it; resume goes on', async () => {
    const g = (await call('POST', '/v1/groups', ADMIN_TOKEN, { coordinator: c.id, goal: 'steer me', members: [a.id], coordinator_timeout_s: 1 })).body.id;
    ok(await a.client.emit('subscribe', { group_id: g }));
    const deadline = Date.parse((await group(g)).turn.deadline);
    const paused = await call('POST', `/v1/groups/${g}/pause`, ADMIN_TOKEN, { note: 'looks wrong' });
    expect(paused).toMatchObject({ status: 200, body: { paused: { by: 'admin', note: 'looks wrong' } } });
    expect(await a.client.waitFor('group_pause', (e) => e.group_id === g)).toMatchObject({ paused: true, note: 'looks wrong' });
    expect((await call('POST', `/v1/groups/${g}/pause`, ADMIN_TOKEN, {})).status).toBe(409);
    expect((await c.client.send(g, 'discussion', { content: 'hello', next_speaker: [] })).error.code).toBe('GROUP_PAUSED');

    // The operator speaks into the paused group; every member sees it as the operator's.
    const said = await call('POST', `/v1/groups/${g}/messages`, ADMIN_TOKEN, { text: 'ana, check the budget first' });
    expect(said.status).toBe(201);
    const heard = await a.client.waitFor('message', (m) => m.header.seq === said.body.seq);
    expect(heard).toMatchObject({ header: { type: 'system', sender: 'operator' }, payload: { event: 'operator_message', text: 'ana, check the budget first', by: 'admin' } });
    expect((await call('POST', `/v1/groups/${g}/messages`, c.token, { text: 'I am the operator' })).status).toBe(403);

    // The coordinator's deadline passes while paused: nothing fires, not even across a restart.
    await until('the frozen deadline to pass', () => Date.now() > deadline + 1500);
    await server.restart();
    call = api(server.url);
    expect((await group(g)).paused).toMatchObject({ note: 'looks wrong' });
    expect(await events(g, 'coordinator_changed')).toEqual([]);

    // An SDK client's message is refused while paused (seen in its events: the pause), then waits for the resume.
    const sdk = await IoAClient.connect({ url: server.url, token: c.token, pausedRecheckMs: 60_000 });
    try {
      let settled = false;
      const waiting = sdk.send(g, 'discussion', { content: 'after the pause', next_speaker: [] }).finally(() => (settled = true));
      // Agents' other actions wait too: the coordinator's invite over REST.
      expect((await call('POST', `/v1/groups/${g}/members`, c.token, { agent_id: a.id })).body.error.code).toBe('GROUP_PAUSED');
      expect(settled).toBe(false);
      const resumed = await call('POST', `/v1/groups/${g}/resume`, ADMIN_TOKEN);
      expect(resumed).toMatchObject({ status: 200, body: { paused: null } });
      expect((await waiting).seq).toBeGreaterThan(said.body.seq);
    } finally {
      sdk.close();
    }
    expect((await call('POST', `/v1/groups/${g}/resume`, ADMIN_TOKEN)).status).toBe(409);
    const audit = (await call('GET', `/v1/audit?group_id=${g}`, ADMIN_TOKEN)).body.map((e: any) => e.action);
    expect(audit).toEqual(expect.arrayContaining(['group_paused', 'group_resumed', 'operator_message']));
    expect((await events(g, 'group_paused')).length + (await events(g, 'group_resumed')).length).toBe(2);
  });
});
