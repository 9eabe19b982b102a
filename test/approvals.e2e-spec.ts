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

/** Approval nodes decided by people (participant tokens) and admins: REST, the socket, expiry, and who may decide. */
describe('approvals (real server, real sockets, real SQLite file)', () => {
  const server = new TestServer();
  let call: ReturnType<typeof api>;
  let c: TestAgent, a: TestAgent;
  const messages = async (g: string, event: string) => (await call('GET', `/v1/groups/${g}/messages`, ADMIN_TOKEN)).body.items.filter((m: any) => m.payload.event === event);
  const group = async () => {
    const g = (await call('POST', '/v1/groups', ADMIN_TOKEN, { coordinator: c.id, goal: 'publish a leaflet', members: [a.id] })).body.id;
    for (const x of [c, a]) ok(await x.client.emit('subscribe', { group_id: g }));
    return g as string;
  };
  /** draft (by ana) → review (an approval) → publish (by ana); `publish` runs only once the review is approved. */
  const assign = async (g: string, review: object) => ok(await c.client.send(g, 'task_assignment', {
    mode: 'sync', tasks: [
      { key: 'draft', depends_on: [], task_desc: 'write it', task_abstract: 'draft', assignee: [a.id] },
      { key: 'review', depends_on: ['draft'], kind: 'approval', task_desc: 'SECRET-REVIEW check the draft before it goes out', task_abstract: 'approve the draft', ...review },
      { key: 'publish', depends_on: ['review'], task_desc: 'publish it', task_abstract: 'publish', assignee: [a.id] },
    ],
  })).task_ids as string[];
  const finish = async (taskId: string, g: string, abstract = 'done') => {
    ok(await a.client.send(g, 'task_reply', { task_id: taskId, accept: true }));
    ok(await a.client.send(g, 'task_result', { task_id: taskId, status: 'completed', task_conclusion: abstract, task_abstract: abstract }));
  };
  const person = async (name: string, scope: object) => (await call('POST', '/v1/people', ADMIN_TOKEN, { name, scope })).body;

  beforeAll(async () => {
    await server.start();
    call = api(server.url);
    [c, a] = await fleet(server, ['coord', 'ana']);
  });
  afterAll(async () => {
    if (process.env.SHOW_SERVER) console.log(server.output);
    for (const x of [c, a]) x?.client.close();
    await server.dispose();
  });

  it('waits for a participant: checkpoint first, a notice to the people who may decide, approved over REST, the graph goes on', async () => {
    const g = await group();
    const lena = await person('Lena', { groups: [g] });
    const other = await person('Omar', { groups: ['somewhere-else'] });
    expect(lena).toMatchObject({ person: { name: 'Lena' }, token: expect.any(String) });
    const lenaSocket = new TestClient(server.url, lena.token);
    const omarSocket = new TestClient(server.url, other.token);
    await Promise.all([lenaSocket.connected(), omarSocket.connected()]);
    const [draft, review, publish] = await assign(g, { expires_in_s: 600 });

    // Agents may not decide an approval, nor act on it as its assignee.
    expect((await a.client.send(g, 'task_result', { task_id: review, status: 'completed', task_conclusion: 'ok', task_abstract: 'ok' })).error.code).toBe('FORBIDDEN');
    expect((await call('POST', `/v1/approvals/${review}`, a.token, { decision: 'approve' })).status).toBe(403);
    await finish(draft, g, 'draft ready');

    const notice = await lenaSocket.waitFor('approval', (e) => e.id === review && e.state === 'pending');
    expect(notice).toMatchObject({ group_id: g, key: 'review', what: 'approve the draft', detail: expect.stringContaining('SECRET-REVIEW'), approvers: null, expires_at: expect.any(String) });
    // The checkpoint before the decision, then the request, in the group's history.
    const [checkpoint] = (await call('GET', `/v1/groups/${g}/checkpoints`, ADMIN_TOKEN)).body.filter((x: any) => x.reason === 'approval');
    expect(checkpoint).toMatchObject({ verified: true });
    expect(await messages(g, 'approval_requested')).toMatchObject([{ payload: { approval_id: review, key: 'review' } }]);

    // Listed for Lena, not for Omar (whose token covers another group), who may not decide it either.
    expect((await call('GET', '/v1/approvals', lena.token)).body.map((x: any) => x.id)).toEqual([review]);
    expect((await call('GET', '/v1/approvals', other.token)).body).toEqual([]);
    expect((await call('POST', `/v1/approvals/${review}`, other.token, { decision: 'approve' })).status).toBe(403);
    expect(omarSocket.of('approval')).toEqual([]);
    expect((await call('POST', `/v1/approvals/${review}`, lena.token, { decision: 'maybe' })).status).toBe(400);

    const decided = await call('POST', `/v1/approvals/${review}`, lena.token, { decision: 'approve', comment: 'looks good' });
    expect(decided).toMatchObject({ status: 200, body: { state: 'approved', decided_by: lena.person.id, comment: 'looks good' } });
    expect((await call('POST', `/v1/approvals/${review}`, lena.token, { decision: 'reject' })).status).toBe(409);
    const toAna = await a.client.waitFor('task', (t) => t.id === publish && t.node_state === 'dispatched');
    expect(toAna.inputs).toMatchObject([{ key: 'review', state: 'completed', task_conclusion: 'looks good' }]);
    await finish(publish, g);
    await until('discussion again', async () => (await call('GET', `/v1/groups/${g}`, ADMIN_TOKEN)).body.state === 'discussion');
    expect((await messages(g, 'approval_decided'))[0].payload).toMatchObject({ approval_id: review, decision: 'approved', by: lena.person.id });
    const audit = (await call('GET', `/v1/audit?group_id=${g}`, ADMIN_TOKEN)).body;
    expect(JSON.stringify(audit.items ?? audit)).toContain('approval_decided');
    for (const s of [lenaSocket, omarSocket]) s.close();
  });

  it('a rejection over the socket follows the failure policy; an approval naming a person is hers alone', async () => {
    const g = await group();
    const [maya, lena] = [await person('Maya', { groups: [g] }), await person('Lena', { groups: [g] })];
    const refused = await c.client.send(g, 'task_assignment', {
      mode: 'sync', tasks: [{ key: 'x', depends_on: [], kind: 'approval', task_desc: 'd', task_abstract: 'a', approvers: ['nobody-such'] }],
    });
    expect(refused.error).toMatchObject({ code: 'VALIDATION', message: expect.stringContaining('nobody-such') });
    const [draft, review, publish] = await assign(g, { approvers: [maya.person.id], policy: 'skip' });
    await finish(draft, g);
    const socket = new TestClient(server.url, maya.token);
    await socket.connected();
    await until('the review to wait', async () => (await call('GET', `/v1/approvals/${review}`, ADMIN_TOKEN)).body.state === 'pending');
    // Lena's scope covers the group, but the approval names Maya; a token of Maya's that covers another group does
    // not reach it either (naming a person does not widen her token).
    expect((await call('POST', `/v1/approvals/${review}`, lena.token, { decision: 'approve' })).status).toBe(403);
    const narrow = (await call('POST', `/v1/people/${maya.person.id}/tokens`, ADMIN_TOKEN, { scope: { groups: ['elsewhere'] } })).body.token;
    expect((await call('POST', `/v1/approvals/${review}`, narrow, { decision: 'approve' })).status).toBe(403);
    expect((await call('GET', '/v1/approvals', narrow)).body).toEqual([]);
    expect((await call('GET', '/v1/approvals', lena.token)).body).toEqual([]);
    const ack = await socket.emit('approval_decide', { approval_id: review, decision: 'reject', comment: 'not now' });
    expect(ack).toMatchObject({ ok: true, state: 'rejected', comment: 'not now' });
    // Under `skip`, what depends on the rejected approval is skipped, and the group returns to discussion.
    await until('discussion again', async () => (await call('GET', `/v1/groups/${g}`, ADMIN_TOKEN)).body.state === 'discussion');
    const tasks = (await call('GET', `/v1/groups/${g}/tasks`, ADMIN_TOKEN)).body;
    expect(tasks.find((t: any) => t.id === publish)).toMatchObject({ node_state: 'skipped', state: 'canceled' });
    expect(tasks.find((t: any) => t.id === review)).toMatchObject({ state: 'rejected', kind: 'approval', approvers: [maya.person.id] });
    socket.close();
  });

  it('in the CLI: an admin creates a person, who lists what waits for her and rejects it', async () => {
    const ioa = (token: string, ...args: string[]) => run(process.execPath, [CLI, '--url', server.url, '--token', token, ...args]);
    const g = await group();
    const created = (await ioa(ADMIN_TOKEN, 'people', 'create', 'Rita', '--group', g)).stdout.trim().split('\n');
    expect(created[0]).toMatch(/^person Rita \([0-9a-f-]{36}\); participant token/);
    const rita = created[1];
    expect((await ioa(rita, 'approvals', 'list')).stdout).toContain('nothing waits for your decision');
    const [draft, review] = await assign(g, {});
    await finish(draft, g);
    await until('the review to wait', async () => (await call('GET', `/v1/approvals/${review}`, ADMIN_TOKEN)).body.state === 'pending');
    expect((await ioa(rita, 'approvals', 'list')).stdout).toMatch(new RegExp(`^${review}\\s+pending .*"review": approve the draft`));
    expect((await ioa(rita, 'approvals', 'show', review)).stdout).toContain('SECRET-REVIEW');
    expect((await ioa(rita, 'approvals', 'reject', review, '--comment', 'too long')).stdout.trim()).toBe(`approval ${review} ("review"): rejected`);
    const again = await ioa(rita, 'approvals', 'approve', review).catch((e: { code: number; stderr: string }) => e);
    expect(again).toMatchObject({ code: 1, stderr: expect.stringContaining('CONFLICT') });
    expect((await call('GET', `/v1/approvals/${review}`, ADMIN_TOKEN)).body).toMatchObject({ state: 'rejected', comment: 'too long' });
    expect((await ioa(ADMIN_TOKEN, 'people', 'list')).stdout).toContain('Rita');
  });

  it('an approval nobody decides expires, which counts as rejected (the graph fails under the default policy)', async () => {
    const g = await group();
    const [draft, review] = await assign(g, { expires_in_s: 1 });
    await finish(draft, g);
    await until('the review to expire', async () => (await call('GET', `/v1/approvals/${review}`, ADMIN_TOKEN)).body.state === 'expired');
    await until('discussion again', async () => (await call('GET', `/v1/groups/${g}`, ADMIN_TOKEN)).body.state === 'discussion');
    const [settled] = await messages(g, 'graph_settled');
    expect(settled.payload).toMatchObject({ outcome: 'failed', failed_at: 'review' });
    expect((await call('POST', `/v1/approvals/${review}`, ADMIN_TOKEN, { decision: 'approve' })).status).toBe(409);
    expect((await call('GET', '/v1/approvals?state=all', ADMIN_TOKEN)).body.map((x: any) => x.id)).toContain(review);
  });
});
