import { Agent, AgentRun, IoAClient, runAgent, TaskGraph, TaskView } from '@ioa/client';
import { fleet, TestAgent } from './support/fleet';
import { api } from './support/http';
import { ok } from './support/population';
import { ADMIN_TOKEN, TestServer } from './support/server';
import { TestClient } from './support/socket';
import { until } from './support/until';

describe('task graphs (real server, real socket.io clients, real SQLite file)', () => {
  const server = new TestServer();
  let call: ReturnType<typeof api>;
  let c: TestAgent, a: TestAgent, b: TestAgent, d: TestAgent;

  beforeAll(async () => {
    await server.start();
    call = api(server.url);
    [c, a, b, d] = await fleet(server, ['coord', 'alice', 'bob', 'dana']);
  });
  afterAll(async () => {
    for (const x of [c, a, b, d]) x?.client.close();
    await server.dispose();
  });

  async function group(): Promise<string> {
    const r = await call('POST', '/v1/groups', ADMIN_TOKEN, { coordinator: c.id, goal: 'make a leaflet', members: [a.id, b.id, d.id] });
    for (const x of [c, a, b, d]) ok(await x.client.emit('subscribe', { group_id: r.body.id }));
    return r.body.id;
  }
  const graph = async (g: string, id: string, token = ADMIN_TOKEN) => (await call('GET', `/v1/groups/${g}/graphs/${id}`, token)).body;
  const node = (view: any, key: string) => view.nodes.find((n: any) => n.key === key);
  const finish = async (x: TestAgent, g: string, taskId: string, status: 'completed' | 'failed', abstract: string) => {
    ok(await x.client.send(g, 'task_reply', { task_id: taskId, accept: true }));
    ok(await x.client.send(g, 'task_result', { task_id: taskId, status, task_conclusion: `${abstract}: the full text`, task_abstract: abstract }));
  };

  it('runs a sync diamond: branches in parallel once their predecessor completed, results flowing along the edges', async () => {
    const g = await group();
    const ack = ok(await c.client.send(g, 'task_assignment', {
      mode: 'sync', tasks: [
        { key: 'draft', depends_on: [], task_desc: 'SECRET-DRAFT write the text', task_abstract: 'draft', assignee: [a.id], deadline_s: 600 },
        { key: 'translate', depends_on: ['draft'], task_desc: 'SECRET-TRANSLATE into French', task_abstract: 'translate', assignee: [b.id] },
        { key: 'illustrate', depends_on: ['draft'], task_desc: 'SECRET-ILLUSTRATE draw', task_abstract: 'illustrate', assignee: [d.id] },
        { key: 'layout', depends_on: ['translate', 'illustrate'], task_desc: 'SECRET-LAYOUT lay it out', task_abstract: 'layout', assignee: [a.id] },
      ],
    }));
    const [draft, translate, illustrate, layout] = ack.task_ids;
    const id = (await c.client.waitFor('message', (m) => m.header.group_id === g && m.header.type === 'task_assignment')).header.message_id;

    // Only the root runs; the others wait, and their assignees may not act on them yet.
    const first = await c.client.waitFor('message', (m) => m.header.group_id === g && m.payload.event === 'graph_step');
    expect(first.payload).toMatchObject({ graph_id: id, dispatched: [{ key: 'draft', task_id: draft }], skipped: [], canceled: [] });
    expect((await a.client.waitFor('task', (t) => t.id === draft)).node_state).toBe('dispatched');
    const before = await graph(g, id);
    expect(before.nodes.map((n: any) => [n.key, n.node_state])).toEqual([['draft', 'dispatched'], ['translate', 'pending'], ['illustrate', 'pending'], ['layout', 'pending']]);
    expect([node(before, 'draft').deadline !== null, node(before, 'translate').deadline]).toEqual([true, null]);
    expect((await b.client.send(g, 'task_reply', { task_id: translate, accept: true })).error.code).toBe('ILLEGAL_IN_STATE');
    expect(b.client.of('task').filter((t) => t.id === translate)).toEqual([]);

    await finish(a, g, draft, 'completed', 'draft ready');
    const [toB, toD] = await Promise.all([b.client.waitFor('task', (t) => t.id === translate), d.client.waitFor('task', (t) => t.id === illustrate)]);
    for (const t of [toB, toD]) {
      expect(t).toMatchObject({ node_state: 'dispatched', inputs: [{ key: 'draft', task_id: draft, state: 'completed', task_abstract: 'draft ready', task_conclusion: 'draft ready: the full text' }] });
      expect(JSON.stringify(t)).not.toContain('SECRET-DRAFT');
    }
    await finish(b, g, translate, 'completed', 'traduit');
    expect(node(await graph(g, id), 'layout').node_state).toBe('pending');
    await finish(d, g, illustrate, 'completed', 'drawn');
    const toA = await a.client.waitFor('task', (t) => t.id === layout && t.node_state === 'dispatched');
    expect(toA.inputs.map((i: any) => [i.key, i.task_abstract])).toEqual([['translate', 'traduit'], ['illustrate', 'drawn']]);
    expect(toA.task_desc).toContain('SECRET-LAYOUT');

    // Dana (no assignee of layout) reads the graph without its text or inputs.
    const danasView = node(await graph(g, id, d.token), 'layout');
    expect([danasView.task_desc, danasView.inputs]).toEqual([undefined, undefined]);
    const [stranger] = await fleet(server, ['stranger']);
    stranger.client.close();
    expect((await call('GET', `/v1/groups/${g}/graphs/${id}`, stranger.token)).status).toBe(403);

    expect((await call('GET', `/v1/groups/${g}`, ADMIN_TOKEN)).body.state).toBe('sync_task_assignment');
    await finish(a, g, layout, 'completed', 'leaflet laid out');
    const settled = await c.client.waitFor('message', (m) => m.header.group_id === g && m.payload.event === 'tasks_settled');
    const events = c.client.messages(g).filter((m) => m.header.type === 'system').map((m) => m.payload.event);
    expect(events.slice(events.indexOf('graph_settled'))).toEqual(['graph_settled', 'tasks_settled', 'checkpoint']);
    expect(settled.payload.results.map((r: any) => [r.key, r.state, r.node_state])).toEqual([
      ['draft', 'completed', 'settled'], ['translate', 'completed', 'settled'], ['illustrate', 'completed', 'settled'], ['layout', 'completed', 'settled'],
    ]);
    expect((await call('GET', `/v1/groups/${g}`, ADMIN_TOKEN)).body).toMatchObject({ state: 'discussion', turn: { holders: [c.id] } });
    const after = await graph(g, id);
    expect([after.outcome, after.mode, after.edges]).toEqual(['completed', 'sync', [
      { from: 'draft', to: 'translate' }, { from: 'draft', to: 'illustrate' }, { from: 'translate', to: 'layout' }, { from: 'illustrate', to: 'layout' },
    ]]);
  });

  it('branches on a result, skips the branch not taken, and fails the graph when a node under the fail policy fails', async () => {
    const g = await group();
    const ack = ok(await c.client.send(g, 'task_assignment', {
      mode: 'async', tasks: [
        { key: 'review', depends_on: [], task_desc: 'review it', task_abstract: 'review', assignee: [a.id] },
        { key: 'publish', depends_on: ['review'], when: { review: 'approved' }, task_desc: 'publish it', task_abstract: 'publish', assignee: [b.id] },
        { key: 'fix', depends_on: ['review'], when: { review: 'changes needed' }, task_desc: 'fix it', task_abstract: 'fix', assignee: [d.id] },
        { key: 'announce', depends_on: ['publish'], task_desc: 'announce it', task_abstract: 'announce', assignee: [d.id] },
      ],
    }));
    const [review, publish, fix, announce] = ack.task_ids;
    expect((await call('GET', `/v1/groups/${g}`, ADMIN_TOKEN)).body.state).toBe('discussion');
    await finish(a, g, review, 'completed', 'Review: APPROVED');
    await b.client.waitFor('task', (t) => t.id === publish && t.node_state === 'dispatched');
    const tasks = (await call('GET', `/v1/groups/${g}/tasks`, ADMIN_TOKEN)).body;
    expect(tasks.find((t: any) => t.id === fix)).toMatchObject({ node_state: 'skipped', state: 'canceled', reason: 'skipped: condition "changes needed" on "review" not met' });
    expect(d.client.of('task').filter((t) => t.id === fix || t.id === announce)).toEqual([]);

    await finish(b, g, publish, 'failed', 'site down');
    const end = await c.client.waitFor('message', (m) => m.header.group_id === g && m.payload.event === 'graph_settled');
    ok(await c.client.send(g, 'discussion', { content: 'a round trip after the graph ended', next_speaker: [] }));
    await c.client.waitFor('message', (m) => m.header.group_id === g && m.payload.content === 'a round trip after the graph ended');
    expect(c.client.messages(g).filter((m) => m.payload.event === 'graph_settled')).toHaveLength(1);
    expect(end.payload).toMatchObject({ outcome: 'failed', failed_at: 'publish' });
    const id = end.payload.graph_id;
    const view = await graph(g, id);
    expect(view.outcome).toBe('failed');
    expect(view.nodes.map((n: any) => [n.key, n.node_state, n.state])).toEqual([
      ['review', 'settled', 'completed'], ['publish', 'settled', 'failed'], ['fix', 'skipped', 'canceled'], ['announce', 'skipped', 'canceled'],
    ]);
    expect((await c.client.send(g, 'task_reassign', { task_id: publish, assignee: [d.id] })).error.code).toBe('ILLEGAL_IN_STATE');
  });

  it('a sync graph: a node whose assignee left fails under its policy, a failure ends the graph and the group returns to discussion; a close cancels a graph', async () => {
    const g = await group();
    const ack = ok(await c.client.send(g, 'task_assignment', {
      mode: 'sync', tasks: [
        { key: 'research', depends_on: [], task_desc: 'research', task_abstract: 'research', assignee: [a.id] },
        { key: 'charts', depends_on: ['research'], policy: 'skip', task_desc: 'SECRET-CHARTS', task_abstract: 'charts', assignee: [b.id] },
        { key: 'report', depends_on: ['research'], task_desc: 'write the report', task_abstract: 'report', assignee: [d.id] },
      ],
    }));
    const [research, charts, report] = ack.task_ids;
    expect((await call('DELETE', `/v1/groups/${g}/members/${b.id}`, b.token)).status).toBe(200);
    await finish(a, g, research, 'completed', 'found it');
    await d.client.waitFor('task', (t) => t.id === report && t.node_state === 'dispatched');
    const tasks = (await call('GET', `/v1/groups/${g}/tasks`, ADMIN_TOKEN)).body;
    expect(tasks.find((t: any) => t.id === charts)).toMatchObject({ state: 'failed', node_state: 'skipped', reason: 'no assignee is a member of the group any more' });
    // Bob left before his node was dispatched: he never hears of it, nor of the results it would have received.
    expect(b.client.of('task').filter((t) => t.id === charts)).toEqual([]);
    expect((await call('GET', `/v1/groups/${g}`, ADMIN_TOKEN)).body.state).toBe('sync_task_assignment');

    await finish(d, g, report, 'failed', 'no time');
    await c.client.waitFor('message', (m) => m.header.group_id === g && m.payload.event === 'tasks_settled');
    const system = c.client.messages(g).filter((m) => m.header.type === 'system').map((m) => m.payload.event);
    expect(system.filter((e) => e === 'graph_settled')).toHaveLength(1);
    expect(c.client.messages(g).find((m) => m.payload.event === 'graph_settled')?.payload).toMatchObject({ outcome: 'failed', failed_at: 'report' });
    expect((await call('GET', `/v1/groups/${g}`, ADMIN_TOKEN)).body).toMatchObject({ state: 'discussion', turn: { holders: [c.id] } });

    const second = ok(await c.client.send(g, 'task_assignment', {
      mode: 'async', tasks: [
        { key: 'x', depends_on: [], task_desc: 'x', task_abstract: 'x', assignee: [a.id] },
        { key: 'y', depends_on: ['x'], task_desc: 'y', task_abstract: 'y', assignee: [d.id] },
      ],
    }));
    expect((await call('POST', `/v1/groups/${g}/close`, ADMIN_TOKEN, {})).status).toBe(200);
    const canceled = await c.client.waitFor('message', (m) => m.header.group_id === g && m.payload.event === 'graph_settled' && m.payload.graph_id === second.message_id);
    expect(canceled.payload.outcome).toBe('canceled');
    const view = await graph(g, second.message_id);
    expect([view.outcome, view.nodes.map((n: any) => [n.node_state, n.state])]).toEqual(['canceled', [['settled', 'canceled'], ['skipped', 'canceled']]]);
  });

  it('runs a node again under the retry policy, after its delay, holding a sync assignment until it completes', async () => {
    const g = await group();
    const ack = ok(await c.client.send(g, 'task_assignment', {
      mode: 'sync', tasks: [
        { key: 'fetch', depends_on: [], policy: 'retry', max_retries: 1, retry_delay_s: 1, task_desc: 'fetch the page', task_abstract: 'fetch', assignee: [a.id], deadline_s: 600 },
        { key: 'parse', depends_on: ['fetch'], task_desc: 'parse it', task_abstract: 'parse', assignee: [b.id] },
      ],
    }));
    const [fetch, parse] = ack.task_ids;
    await finish(a, g, fetch, 'failed', 'timed out');
    const waiting = await c.client.waitFor('message', (m) => m.header.group_id === g && m.payload.event === 'graph_step' && m.payload.retrying?.length);
    expect(waiting.payload.retrying).toEqual([{ key: 'fetch', task_id: fetch, retry_at: expect.any(String) }]);
    expect(node(await graph(g, ack.message_id), 'fetch')).toMatchObject({ node_state: 'ready', state: 'failed', retries_left: 0 });
    expect((await call('GET', `/v1/groups/${g}`, ADMIN_TOKEN)).body.state).toBe('sync_task_assignment');

    const again = await a.client.waitFor('task', (t) => t.id === fetch && t.state === 'submitted' && t.history.some((h: any) => h.state === 'failed'), 10_000);
    expect([again.result, again.retry_at, again.deadline === null]).toEqual([null, null, false]);
    await finish(a, g, fetch, 'completed', 'fetched');
    await finish(b, g, parse, 'completed', 'parsed');
    const settled = await c.client.waitFor('message', (m) => m.header.group_id === g && m.payload.event === 'graph_settled');
    expect(settled.payload.outcome).toBe('completed');
    expect((await call('GET', `/v1/groups/${g}`, ADMIN_TOKEN)).body.state).toBe('discussion');
    const history = (await graph(g, ack.message_id)).nodes[0].history.map((h: any) => `${h.state}${h.note ? ` (${h.note})` : ''}`);
    expect(history).toEqual([
      'submitted', 'submitted (dispatched)', 'running', 'failed', 'submitted (run again (0 more after this))', 'submitted (dispatched)', 'running', 'completed',
    ]);
  });

  it('refuses a malformed graph with VALIDATION naming the key, and changes nothing', async () => {
    const g = await group();
    const seq = async () => (await call('GET', `/v1/groups/${g}`, ADMIN_TOKEN)).body.seq;
    const before = await seq();
    const spec = (key: string, depends_on?: string[]) => ({ key, ...(depends_on ? { depends_on } : {}), task_desc: key, task_abstract: key, assignee: [a.id] });
    const cases: Array<[unknown[], string]> = [
      [[spec('a', ['b']), spec('b', ['a'])], 'cycle through "a"'],
      [[spec('a', []), spec('b', ['c'])], 'names unknown key "c"'],
      [[spec('a', []), spec('a', [])], 'key "a" is used by two tasks'],
      [[spec('a'), spec('b')], 'has key, when, policy or kind but the assignment has no depends_on'],
      [[spec('a', []), { ...spec('b', ['a']), when: { a: 'x', z: 'y' } }], 'when of "b" names "z"'],
      [[spec('a', []), { ...spec('b', ['a']), policy: 'sometimes' }], 'policy'],
    ];
    for (const [tasks, message] of cases) {
      const ack = await c.client.send(g, 'task_assignment', { mode: 'sync', tasks });
      expect({ tasks, code: ack.error?.code, message: ack.error?.message }).toEqual({ tasks, code: 'VALIDATION', message: expect.stringContaining(message) });
    }
    expect(await seq()).toBe(before);
    expect((await call('GET', `/v1/groups/${g}/graphs/nope`, ADMIN_TOKEN)).status).toBe(404);
  });

  it('with the SDK: a coordinator assigns a graph built by TaskGraph, and runAgent works each node once it is dispatched, with its inputs', async () => {
    const connect = async (name: string) => {
      const enrollment = (await call('POST', '/v1/auth/enrollments', ADMIN_TOKEN, { max_uses: 1 })).body.token;
      return IoAClient.connect({ url: server.url, enrollment: { token: enrollment, card: { name, description: `${name} (graph tests)`, capabilities: [] } } });
    };
    const [lead, worker] = [await connect('graph-lead'), await connect('graph-worker')];
    const worked: TaskView[] = [];
    const errors: unknown[] = [];
    // The lead is an assignee of the graph's last node too: it receives that node's task event while it is pending,
    // and must not start it before it is dispatched.
    const coordinator: Agent = {
      card: { name: 'graph-lead', description: 'x', capabilities: [] },
      onTurn: (ctx) => {
        const last = ctx.tasks.find((t) => t.key === 'sum');
        if (last?.state === 'completed') return { type: 'conclusion', payload: { summary: last.result?.task_conclusion ?? '' } };
        if (ctx.tasks.length || ctx.state !== 'discussion') return null;
        const tasks = new TaskGraph()
          .task('a', { task_desc: 'say 20', task_abstract: 'a', assignee: [worker.agentId] })
          .task('b', { task_desc: 'say 22', task_abstract: 'b', assignee: [worker.agentId] })
          .task('sum', { task_desc: 'add them', task_abstract: 'sum', assignee: [ctx.me] }, { after: ['a', 'b'] })
          .build();
        return { type: 'task_assignment', payload: { mode: 'sync', tasks } };
      },
      onTask: async (task) => {
        worked.push(task);
        const total = (task.inputs ?? []).reduce((n, i) => n + Number(i.task_conclusion), 0);
        return { status: 'completed', task_conclusion: String(total), task_abstract: `sum ${total}` };
      },
    };
    const doer: Agent = {
      card: { name: 'graph-worker', description: 'x', capabilities: [] },
      onTurn: () => null,
      onTask: async (task) => {
        worked.push(task);
        return { status: 'completed', task_conclusion: task.task_desc?.replace('say ', '') ?? '', task_abstract: task.task_abstract };
      },
    };
    const runs: AgentRun[] = [runAgent(lead, coordinator, { onError: (e) => void errors.push(e) }), runAgent(worker, doer, { onError: (e) => void errors.push(e) })];
    try {
      await Promise.all(runs.map((r) => r.ready));
      const g = (await call('POST', '/v1/groups', ADMIN_TOKEN, { goal: 'add two numbers', coordinator: lead.agentId, members: [worker.agentId] })).body;
      await until('the group to close', async () => (await call('GET', `/v1/groups/${g.id}`, ADMIN_TOKEN)).body.state === 'closed');
      const summary = (await call('GET', `/v1/groups/${g.id}/messages`, ADMIN_TOKEN)).body.items.find((m: any) => m.header.type === 'conclusion');
      expect(summary.payload.summary).toBe('42');
      expect(worked.map((t) => t.key).sort()).toEqual(['a', 'b', 'sum']);
      expect(worked.find((t) => t.key === 'sum')?.inputs?.map((i) => i.task_conclusion)).toEqual(['20', '22']);
      expect(errors).toEqual([]);
    } finally {
      runs.forEach((r) => r.stop());
      lead.close();
      worker.close();
    }
  });

  // Last: it restarts the server under the other tests' sockets.
  it('keeps a graph across a restart: node states, edges and deadline_s are stored, and the graph goes on', async () => {
    const g = await group();
    const ack = ok(await c.client.send(g, 'task_assignment', {
      mode: 'async', tasks: [
        { key: 'first', depends_on: [], task_desc: 'one', task_abstract: 'one', assignee: [a.id] },
        { key: 'second', depends_on: ['first'], task_desc: 'two', task_abstract: 'two', assignee: [b.id], deadline_s: 300 },
      ],
    }));
    const [first, second] = ack.task_ids;
    await server.restart();
    for (const x of [a, b]) {
      x.client.close();
      x.client = new TestClient(server.url, x.token);
      await x.client.connected();
      ok(await x.client.emit('subscribe', { group_id: g }));
    }
    const stored = await graph(g, ack.message_id);
    expect(stored.nodes.map((n: any) => [n.key, n.node_state, n.deadline])).toEqual([['first', 'dispatched', null], ['second', 'pending', null]]);
    expect(stored.edges).toEqual([{ from: 'first', to: 'second' }]);
    await finish(a, g, first, 'completed', 'one done');
    const dispatched = await b.client.waitFor('task', (t) => t.id === second && t.node_state === 'dispatched');
    expect([dispatched.inputs[0].task_abstract, dispatched.deadline === null]).toEqual(['one done', false]);
  });
});
