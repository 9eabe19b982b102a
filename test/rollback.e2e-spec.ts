import { fleet, TestAgent } from './support/fleet';
import { api } from './support/http';
import { ok } from './support/population';
import { ADMIN_TOKEN, TestServer } from './support/server';
import { until } from './support/until';

/** Rollback to a checkpoint: results since invalidated but kept, nodes re-dispatched, the second run's result final. */
describe('rollback (real server, real sockets, real SQLite file)', () => {
  const server = new TestServer();
  let call: ReturnType<typeof api>;
  let c: TestAgent, a: TestAgent, b: TestAgent;
  const group = async (g: string) => (await call('GET', `/v1/groups/${g}`, ADMIN_TOKEN)).body;
  const tasks = async (g: string) => (await call('GET', `/v1/groups/${g}/tasks`, ADMIN_TOKEN)).body;
  const checkpoints = async (g: string) => (await call('GET', `/v1/groups/${g}/checkpoints`, ADMIN_TOKEN)).body;
  const rollback = (g: string, checkpoint_id: string, token = ADMIN_TOKEN) => call('POST', `/v1/groups/${g}/rollback`, token, { checkpoint_id });
  const finish = async (x: TestAgent, g: string, taskId: string, abstract: string) => {
    ok(await x.client.send(g, 'task_reply', { task_id: taskId, accept: true }));
    ok(await x.client.send(g, 'task_result', { task_id: taskId, status: 'completed', task_conclusion: `${abstract}, in full`, task_abstract: abstract }));
  };

  beforeAll(async () => {
    await server.start();
    call = api(server.url);
    [c, a, b] = await fleet(server, ['coord', 'ana', 'bo']);
  });
  afterAll(async () => {
    for (const x of [c, a, b]) x?.client.close();
    await server.dispose();
  });

  it('returns the tasks to a checkpoint: results since invalidated and kept, the node runs again, seq keeps rising', async () => {
    const g = (await call('POST', '/v1/groups', ADMIN_TOKEN, { coordinator: c.id, goal: 'a leaflet', members: [a.id, b.id] })).body.id;
    for (const x of [c, a, b]) ok(await x.client.emit('subscribe', { group_id: g }));
    const [draft, translate] = ok(await c.client.send(g, 'task_assignment', { mode: 'sync', tasks: [
      { key: 'draft', depends_on: [], task_desc: 'Write it', task_abstract: 'draft', assignee: [a.id] },
      { key: 'translate', depends_on: ['draft'], task_desc: 'Into French', task_abstract: 'translate', assignee: [b.id] },
    ] })).task_ids;
    await a.client.waitFor('task', (t) => t.id === draft);
    await finish(a, g, draft, 'drafted');
    await b.client.waitFor('task', (t) => t.id === translate && t.node_state === 'dispatched');
    const [afterDraft] = await checkpoints(g);
    await finish(b, g, translate, 'traduit v1');
    await until('the group to return to discussion', async () => (await group(g)).state === 'discussion');
    const before = await group(g);
    const lastSeq = (await call('GET', `/v1/groups/${g}/messages`, ADMIN_TOKEN)).body.items.at(-1).header.seq;

    const done = await rollback(g, afterDraft.id);
    expect(done).toMatchObject({ status: 200, body: {
      group_id: g, checkpoint_id: afterDraft.id, at_seq: afterDraft.seq, restored: [translate], canceled: [],
      invalidated: [{ task_id: translate, key: 'translate', assignee: [b.id], task_abstract: 'traduit v1' }],
    } });
    // Every member hears it; the node is dispatched again, to be accepted anew; the sync assignment holds the group again.
    for (const x of [c, a, b]) expect((await x.client.waitFor('rollback', (e) => e.group_id === g)).invalidated[0].task_id).toBe(translate);
    await b.client.waitFor('task', (t) => t.id === translate && t.state === 'submitted' && t.node_state === 'dispatched');
    const after = await group(g);
    expect([after.state, after.turns_used]).toEqual(['sync_task_assignment', before.turns_used]);
    const history = (await call('GET', `/v1/groups/${g}/messages`, ADMIN_TOKEN)).body.items;
    const event = history.find((m: any) => m.payload.event === 'rollback');
    expect(event.header.seq).toBeGreaterThan(lastSeq);
    // Nothing is deleted: the first run's result stays in the history, beside the rollback.
    expect(history.filter((m: any) => m.header.type === 'task_result').map((m: any) => m.payload.task_abstract)).toEqual(['drafted', 'traduit v1']);
    const restored = (await tasks(g)).find((t: any) => t.id === translate);
    expect(restored).toMatchObject({ state: 'submitted', result: null, node_state: 'dispatched' });
    expect(restored.history.map((h: any) => h.note ?? h.state)).toEqual(expect.arrayContaining(['completed', `rolled back to checkpoint ${afterDraft.id}`]));

    await finish(b, g, translate, 'traduit v2');
    await until('the graph to settle again', async () => (await group(g)).state === 'discussion');
    expect((await tasks(g)).find((t: any) => t.id === translate).result.task_abstract).toBe('traduit v2');

    // A task assigned after the checkpoint is canceled by a rollback to it (and listed so), a finished one too.
    const [later] = ok(await c.client.send(g, 'task_assignment', { mode: 'async', tasks: [{ task_desc: 'Print', task_abstract: 'print', assignee: [a.id] }] })).task_ids;
    await finish(a, g, later, 'printed');
    // bo leaves: the node it held, dispatched again to nobody in the group, fails at once (and the graph with it).
    expect((await call('DELETE', `/v1/groups/${g}/members/${b.id}`, b.token)).status).toBe(200);
    expect((await rollback(g, afterDraft.id)).body).toMatchObject({ restored: [translate], canceled: [later], invalidated: [{ task_id: translate }, { task_id: later, task_abstract: 'printed' }] });
    expect((await tasks(g)).find((t: any) => t.id === later)).toMatchObject({ state: 'canceled', reason: `rolled back to checkpoint ${afterDraft.id}`, result: { task_abstract: 'printed' } });
    await until('the orphaned node to fail', async () => (await tasks(g)).find((t: any) => t.id === translate).state === 'failed');
    await until('the group to return to discussion', async () => (await group(g)).state === 'discussion');
    // Sent again with nothing done since (a retry after a timeout): nothing more changes.
    expect((await rollback(g, afterDraft.id)).body).toMatchObject({ restored: [], canceled: [], invalidated: [] });
  });

  it('never restores a checkpoint that does not verify, of another group, or unknown; and changes nothing then', async () => {
    const g = (await call('POST', '/v1/groups', ADMIN_TOKEN, { coordinator: c.id, goal: 'tampered', members: [a.id] })).body.id;
    const other = (await call('POST', '/v1/groups', ADMIN_TOKEN, { coordinator: c.id, goal: 'other', members: [a.id] })).body.id;
    const mine = (await call('POST', `/v1/groups/${g}/checkpoints`, ADMIN_TOKEN)).body.id;
    const theirs = (await call('POST', `/v1/groups/${other}/checkpoints`, ADMIN_TOKEN)).body.id;
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const db = new (require('better-sqlite3'))(`${server.dataDir}/ioa.sqlite`);
    db.prepare("UPDATE checkpoints SET state = replace(state, '\"turns_used\":0', '\"turns_used\":5') WHERE id = ?").run(mine);
    db.close();
    const seq = async () => (await call('GET', `/v1/groups/${g}/messages`, ADMIN_TOKEN)).body.items.at(-1).header.seq;
    const last = await seq();
    expect((await rollback(g, mine)).body.error).toMatchObject({ code: 'CONFLICT', message: expect.stringContaining('does not verify') });
    expect((await call('GET', `/v1/audit?group_id=${g}`, ADMIN_TOKEN)).body[0]).toMatchObject({ actor: 'admin', action: 'rollback_refused', detail: { checkpoint_id: mine } });
    expect((await rollback(g, theirs)).status).toBe(404);
    expect((await rollback(g, 'no-such-checkpoint')).status).toBe(404);
    expect((await rollback(g, mine, c.token)).status).toBe(403);
    expect(await seq()).toBe(last);
  });

  it('takes the coordinator\'s checkpoint and rollback messages, and refuses them from anyone else', async () => {
    const g = (await call('POST', '/v1/groups', ADMIN_TOKEN, { coordinator: c.id, goal: 'by message', members: [a.id] })).body.id;
    ok(await c.client.emit('subscribe', { group_id: g }));
    expect((await a.client.send(g, 'checkpoint', {})).error.code).toBe('FORBIDDEN');
    const asked = ok(await c.client.send(g, 'checkpoint', { note: 'before the risky part' }));
    const announced = await c.client.waitFor('message', (m) => m.header.group_id === g && m.payload.event === 'checkpoint');
    expect(announced).toMatchObject({ header: { seq: asked.seq + 1 }, payload: { reason: 'requested', at_seq: asked.seq } });
    expect((await checkpoints(g)).at(-1)).toMatchObject({ id: announced.payload.checkpoint_id, reason: 'requested', created_by: c.id, verified: true });

    const [task] = ok(await c.client.send(g, 'task_assignment', { mode: 'async', tasks: [{ task_desc: 'Risky', task_abstract: 'risky', assignee: [a.id] }] })).task_ids;
    await finish(a, g, task, 'went wrong');
    expect((await c.client.send(g, 'rollback', { checkpoint_id: 'no-such-checkpoint' })).error.code).toBe('NOT_FOUND');
    const back = ok(await c.client.send(g, 'rollback', { checkpoint_id: announced.payload.checkpoint_id }));
    const rolled = await c.client.waitFor('message', (m) => m.header.group_id === g && m.payload.event === 'rollback');
    expect(rolled).toMatchObject({ header: { seq: back.seq + 1 }, payload: { by: c.id, canceled: [task], invalidated: [{ task_id: task, task_abstract: 'went wrong' }] } });
  });
});
