import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { fleet, TestAgent } from './support/fleet';
import { api } from './support/http';
import { ok } from './support/population';
import { ADMIN_TOKEN, TestServer } from './support/server';
import { TestClient } from './support/socket';
import { until } from './support/until';

const CLI = join(__dirname, '../dist/libs/client/src/cli/ioa.js');
const run = promisify(execFile);

/** People as members of a group: invited or added, online with their sockets, named next speaker, answering. */
describe('human members (real server, real sockets, real SQLite file)', () => {
  const server = new TestServer();
  let call: ReturnType<typeof api>;
  let c: TestAgent, a: TestAgent;
  const group = async (g: string) => (await call('GET', `/v1/groups/${g}`, ADMIN_TOKEN)).body;
  const events = async (g: string, event: string) => (await call('GET', `/v1/groups/${g}/messages`, ADMIN_TOKEN)).body.items.filter((m: any) => m.payload.event === event);
  const person = async (name: string) => (await call('POST', '/v1/people', ADMIN_TOKEN, { name, scope: {} })).body;

  beforeAll(async () => {
    await server.start();
    call = api(server.url);
    [c, a] = await fleet(server, ['coord', 'ana']);
  });
  afterAll(async () => {
    for (const x of [c, a]) x?.client.close();
    await server.dispose();
  });

  it('a person invited by the coordinator joins, is named next speaker, gets the turn with its own deadline, and answers', async () => {
    const g = (await call('POST', '/v1/groups', ADMIN_TOKEN, { coordinator: c.id, goal: 'plan the offsite', members: [a.id], human_turn_timeout_s: 600 })).body.id;
    ok(await c.client.emit('subscribe', { group_id: g }));
    const hana = await person('Hana');
    const socket = new TestClient(server.url, hana.token);
    await socket.connected();
    // Not a member yet: she may not read or speak (her token's scope names nothing).
    expect((await call('GET', `/v1/groups/${g}`, hana.token)).status).toBe(403);
    expect((await socket.send(g, 'discussion', { content: 'hi', next_speaker: [] })).error.code).toBe('NOT_MEMBER');

    // The coordinator invites her by id, as it invites agents; she accepts on her socket.
    const invited = await call('POST', `/v1/groups/${g}/members`, c.token, { agent_id: hana.person.id });
    expect(invited.status).toBe(202);
    // A person's invite waits her turn's timeout (600 s here), not the agents' invite timeout.
    expect(Date.parse(invited.body.deadline) - Date.now()).toBeGreaterThan(500_000);
    const invite = await socket.waitFor('invite', (e) => e.group_id === g);
    expect(await socket.emit('invite_reply', { invite_id: invite.invite_id, accept: true })).toMatchObject({ ok: true, group_id: g });
    const joined = await group(g);
    expect(joined).toMatchObject({ members: [c.id, a.id, hana.person.id], humans: [hana.person.id], options: { human_turn_timeout_s: 600 } });
    expect((await call('GET', `/v1/groups/${g}`, hana.token)).status).toBe(200);

    // Named next speaker: her turn comes to her socket, with the people's deadline rather than the agents'.
    ok(await socket.emit('subscribe', { group_id: g }));
    const before = Date.now();
    ok(await c.client.send(g, 'discussion', { content: 'Hana, which dates suit you?', next_speaker: [hana.person.id] }));
    const turn = await socket.waitFor('turn', (t) => t.group_id === g && t.holders.includes(hana.person.id));
    expect(Date.parse(turn.deadline) - before).toBeGreaterThan(500_000);
    const said = ok(await socket.send(g, 'discussion', { content: 'The 12th or the 19th.', next_speaker: [] }));
    const heard = await c.client.waitFor('message', (m) => m.header.seq === said.seq);
    expect(heard).toMatchObject({ header: { sender: hana.person.id, type: 'discussion' }, payload: { content: 'The 12th or the 19th.' } });
    // She holds no turn now; she may not speak out of turn, as any member.
    expect((await socket.send(g, 'discussion', { content: 'also…', next_speaker: [] })).error.code).toBe('NOT_YOUR_TURN');
    socket.close();
  });

  it('an admin adds a person; she is online while connected; her task is not suspended while she is away; her silent turn expires', async () => {
    const g = (await call('POST', '/v1/groups', ADMIN_TOKEN, { coordinator: c.id, goal: 'review the budget', members: [a.id], human_turn_timeout_s: 1 })).body.id;
    ok(await c.client.emit('subscribe', { group_id: g }));
    const omar = await person('Omar');
    expect((await call('POST', `/v1/groups/${g}/members`, ADMIN_TOKEN, { agent_id: omar.person.id })).body.humans).toEqual([omar.person.id]);
    const socket = new TestClient(server.url, omar.token);
    await socket.connected();
    await c.client.waitFor('member_presence', (e) => e.group_id === g && e.agent_id === omar.person.id && e.online);

    const [task] = ok(await c.client.send(g, 'task_assignment', { mode: 'async', tasks: [{ task_desc: 'check the numbers', task_abstract: 'check', assignee: [omar.person.id] }] })).task_ids;
    await socket.waitFor('task', (t) => t.id === task);
    ok(await socket.send(g, 'task_reply', { task_id: task, accept: true }));
    socket.close();
    await c.client.waitFor('member_presence', (e) => e.group_id === g && e.agent_id === omar.person.id && !e.online);
    // Away, but not suspended: people's tasks wait for them.
    expect((await call('GET', `/v1/groups/${g}/tasks`, ADMIN_TOKEN)).body.find((t: any) => t.id === task).state).toBe('running');

    // His turn (human_turn_timeout_s: 1) expires and returns to the coordinator.
    await until('discussion again', async () => (await group(g)).state === 'discussion');
    ok(await c.client.send(g, 'discussion', { content: 'Omar, anything to add?', next_speaker: [omar.person.id] }));
    await until('his turn to time out', async () => (await events(g, 'turn_timeout')).length === 1);
    expect((await group(g)).turn.holders).toEqual([c.id]);
    expect((await call('GET', `/v1/groups/${g}/tasks`, ADMIN_TOKEN)).body.find((t: any) => t.id === task).state).toBe('running');
    expect(await events(g, 'task_suspended')).toEqual([]);
    // She reads her own task's text, finds the group in her list though her token's scope names nothing, and leaves.
    expect((await call('GET', `/v1/groups/${g}/tasks`, omar.token)).body[0].task_desc).toBe('check the numbers');
    expect((await call('GET', '/v1/groups', omar.token)).body.items.map((x: any) => x.id)).toContain(g);
    expect((await call('DELETE', `/v1/groups/${g}/members/${a.id}`, omar.token)).status).toBe(403);
    const left = await call('DELETE', `/v1/groups/${g}/members/${omar.person.id}`, omar.token);
    expect(left.body).toMatchObject({ members: [c.id, a.id], humans: [] });
  });

  it('in the CLI: a person accepts an invite, answers in her turn, accepts her task and gives its result', async () => {
    const g = (await call('POST', '/v1/groups', ADMIN_TOKEN, { coordinator: c.id, goal: 'write the minutes', members: [a.id] })).body.id;
    ok(await c.client.emit('subscribe', { group_id: g }));
    const rosa = await person('Rosa');
    const ioa = (...args: string[]) => run(process.execPath, [CLI, '--url', server.url, '--token', rosa.token, ...args]);
    expect((await ioa('invites')).stdout).toContain('no invite waits for you');
    const invite = (await call('POST', `/v1/groups/${g}/members`, c.token, { agent_id: rosa.person.id })).body;
    expect((await ioa('invites')).stdout).toContain(`${invite.invite_id}  group ${g}  "write the minutes"`);
    expect((await ioa('invites', 'accept', invite.invite_id)).stdout.trim()).toBe(`invite ${invite.invite_id}: accepted; you are a member of group ${g}`);
    expect((await group(g)).humans).toEqual([rosa.person.id]);
    const outOfTurn = await ioa('reply', g, 'me first').catch((e: { code: number; stderr: string }) => e);
    expect(outOfTurn).toMatchObject({ code: 1, stderr: expect.stringContaining('NOT_YOUR_TURN') });

    ok(await c.client.send(g, 'discussion', { content: 'Rosa, will you take the minutes?', next_speaker: [rosa.person.id] }));
    expect((await ioa('reply', g, 'Yes, send them over.')).stdout).toMatch(/^group .+: said at seq \d+/);
    await c.client.waitFor('message', (m) => m.header.sender === rosa.person.id && m.payload.content === 'Yes, send them over.');
    const [task] = ok(await c.client.send(g, 'task_assignment', { mode: 'sync', tasks: [{ task_desc: 'minutes of today', task_abstract: 'minutes', assignee: [rosa.person.id] }] })).task_ids;
    expect((await ioa('task', 'accept', g, task)).stdout).toContain(`task ${task}: accepted`);
    expect((await ioa('task', 'done', g, task, 'Minutes: we agreed on the 12th.')).stdout).toContain(`task ${task}: completed`);
    await until('discussion again', async () => (await group(g)).state === 'discussion');
    expect((await call('GET', `/v1/groups/${g}/tasks`, ADMIN_TOKEN)).body[0]).toMatchObject({ state: 'completed', result: { task_conclusion: 'Minutes: we agreed on the 12th.' } });
  });
});
