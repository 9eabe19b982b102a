import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { Agent } from '@ioa/client';
import { SETTLED_TASK_STATES } from '@ioa/protocol';
import { TestA2aAgent } from './support/a2a-agent';
import { api } from './support/http';
import { SdkAgents } from './support/sdk-agents';
import { ADMIN_TOKEN, TestServer } from './support/server';
import { until } from './support/until';

const CLI = join(__dirname, '../dist/libs/client/src/cli/ioa.js');

/**
 * A2A agents as members without glue code: a real A2A agent (the A2A SDK's server, in this process) imported by the
 * URL of its card, chosen by team formation by meaning next to scripted agents, doing its task through the server,
 * asking a question, failing a task when killed while the group goes on; and the SSRF rules on what may be imported.
 */
describe('hosted A2A members (real server, a real A2A agent, scripted agents)', () => {
  const server = new TestServer({ env: { IOA_A2A_ALLOWED_HOSTS: '127.0.0.1', IOA_A2A_TIMEOUT_S: '3', IOA_A2A_CHECK_S: '1', IOA_INVITES_PER_PAIR_PER_MINUTE: '100' } });
  const agents = new SdkAgents(server);
  const remote = new TestA2aAgent({ secret: 'remote-secret' });
  let call: ReturnType<typeof api>;
  let lead: string;
  const worker: Agent = {
    card: { name: 'unit-converter', description: 'converts miles into kilometres', capabilities: [] },
    onTurn: () => ({ type: 'discussion', payload: { content: 'ready', next_speaker: [] } }),
    onTask: async () => ({ status: 'completed', task_conclusion: '627.6 km', task_abstract: 'done' }),
  };
  /** Known once imported: the coordinator gives it the first need's task, and the other member (if any) the conversion. */
  let translator = '';
  let spanish = '';
  let needs = ['translate a note into Spanish', 'convert miles into kilometres'];
  const leader: Agent = {
    card: { name: 'trip-coordinator', description: 'plans trips with a team', capabilities: [] },
    // A need in words is found by meaning; an agent id is named.
    onGoal: (g) => ({ goal: g.goal, team_members: needs.map((need) => (need === translator ? need : { need })) }),
    onTurn: (ctx) => {
      if (!ctx.isCoordinator) return null;
      const other = ctx.members.find((m) => m !== ctx.me && m !== translator);
      if (!ctx.tasks.length) {
        return { type: 'task_assignment', payload: { mode: 'sync', tasks: [
          { task_desc: `do your part: ${ctx.goal}`, task_abstract: 'translation', assignee: [translator] },
          ...(other ? [{ task_desc: 'convert 390 miles into kilometres', task_abstract: 'distance', assignee: [other] }] : []),
        ] } };
      }
      if (!ctx.tasks.every((t) => SETTLED_TASK_STATES.includes(t.state))) return null;
      return { type: 'conclusion', payload: { summary: ctx.tasks.map((t) => `${t.task_abstract}: ${t.result?.task_conclusion ?? t.state}`).join(' / ') } };
    },
  };
  const importCard = (body: Record<string, unknown>, token: string | null = ADMIN_TOKEN) => call('POST', '/v1/agents/import', token, body);
  /** Runs a goal to its end: its team formed by meaning, the translation given to the hosted agent. */
  const goal = async (text: string) => {
    const id = (await call('POST', '/v1/goals', ADMIN_TOKEN, { goal: text, coordinator: lead })).body.id as string;
    return until(`goal "${text}" settled`, async () => {
      const g = (await call('GET', `/v1/goals/${id}`, ADMIN_TOKEN)).body;
      return ['completed', 'failed', 'canceled'].includes(g.status) && g;
    }, 30_000);
  };
  const translatorTask = (g: { tree: Array<{ tasks: Array<{ task_abstract: string; state: string; assignee: string[]; result: { task_conclusion: string } | null; reason: string | null; id: string; group_id: string }> }> }) =>
    g.tree[0].tasks.find((t) => t.task_abstract === 'translation')!;

  beforeAll(async () => {
    await remote.start();
    await server.start();
    call = api(server.url);
    await agents.start(worker);
    lead = (await agents.start(leader)).agentId;
  });
  afterAll(async () => {
    agents.stop();
    await server.dispose();
    await remote.kill().catch(() => undefined);
  });

  it('refuses what it may not fetch: another scheme, a host not allowed, a redirect, an endpoint elsewhere; and non-admins', async () => {
    const refusals: Array<[Record<string, unknown>, number, RegExp]> = [
      [{ card_url: 'file:///etc/passwd' }, 403, /only http and https/],
      [{ card_url: `http://localhost:${remote.port}/.well-known/agent-card.json` }, 403, /host localhost is not allowed/],
      [{ card_url: 'http://169.254.169.254/latest/meta-data' }, 403, /not allowed/],
      [{ card_url: `${remote.url}/moved` }, 403, /redirect \(302\)/],
      [{ card_url: `${remote.url}/elsewhere.json` }, 403, /another origin/],
      [{ card_url: `${remote.url}/elsewhere.json`, allow_cross_origin: true }, 403, /host 192\.0\.2\.1 is not allowed/],
      [{ card_url: `${remote.url}/nothing-here` }, 503, /answered 404/],
      [{ card_url: 'not a url' }, 400, /is not a URL/],
      [{ card_url: `${remote.url}/.well-known/agent-card.json`, surprise: 1 }, 400, /surprise/],
    ];
    for (const [body, status, message] of refusals) {
      const r = await importCard(body);
      expect([body, r.status, r.body.error?.message]).toEqual([body, status, expect.stringMatching(message)]);
    }
    const client = (await call('POST', '/v1/auth/client-tokens', ADMIN_TOKEN, { name: 'not an admin' })).body.token;
    expect((await importCard({ card_url: `${remote.url}/.well-known/agent-card.json` }, client)).status).toBe(403);
    expect((await call('GET', '/v1/agents?limit=100', ADMIN_TOKEN)).body.items.map((a: { name: string }) => a.name)).not.toContain('spanish-translator');
  });

  it('imports an agent by its card URL, keeps its secret sealed, and it works a task of a goal chosen by meaning', async () => {
    const imported = await importCard({ card_url: `${remote.url}/.well-known/agent-card.json`, secret: 'Bearer remote-secret' });
    expect(imported.status).toBe(201);
    expect(imported.body).toMatchObject({
      refreshed: false,
      agent: { name: 'spanish-translator', capabilities: [{ name: 'translate into Spanish' }], interface: { kind: 'a2a', endpoint: `${remote.url}/rpc` } },
      hosted: { endpoint: `${remote.url}/rpc`, protocol_version: '1.0', invite_policy: 'accept', has_secret: true },
    });
    expect(JSON.stringify(imported.body)).not.toContain('remote-secret');
    const id = imported.body.agent.id as string;
    [translator, spanish] = [id, id];
    await until('the hosted agent online', async () => (await call('GET', `/v1/agents/${id}`, ADMIN_TOKEN)).body.status === 'online', 15_000);

    const done = await goal('plan a weekend in Madrid and greet the hosts');
    expect(done.status).toBe('completed');
    const task = translatorTask(done);
    expect(task).toMatchObject({ assignee: [id], state: 'completed', result: { task_conclusion: '¡Hola! Bienvenidos.' } });
    // Team formation chose it by meaning for the need to translate.
    const decision = (await call('GET', `/v1/teams/${done.tree[0].group_id}/decision`, ADMIN_TOKEN)).body;
    expect(JSON.stringify(decision)).toContain(id);
    expect(remote.received.at(-1)).toContain('do your part: plan a weekend in Madrid');
    const audit = (await call('GET', `/v1/audit?actor=${id}`, ADMIN_TOKEN)).body as Array<{ action: string; detail: Record<string, unknown> }>;
    expect(audit.find((a) => a.action === 'a2a_call')?.detail).toMatchObject({ task_id: task.id, state: 'completed', endpoint: `${remote.url}/rpc` });

    // Importing it again (here with the CLI) refreshes the same agent, which the server connects again.
    const { stdout } = await promisify(execFile)(process.execPath, [CLI, '--url', server.url, '--token', ADMIN_TOKEN, 'agents', 'import', `${remote.url}/.well-known/agent-card.json`]);
    expect(JSON.parse(stdout)).toMatchObject({ refreshed: true, agent: { id }, hosted: { has_secret: true } });
    await until('the refreshed agent online', async () => (await call('GET', `/v1/agents/${id}`, ADMIN_TOKEN)).body.status === 'online', 15_000);
  });

  it('posts the remote agent\'s question for the coordinator and fails the task with it', async () => {
    const done = await goal('greet the hosts, the wording is unclear');
    const task = translatorTask(done);
    expect(task).toMatchObject({ state: 'failed', result: { task_conclusion: expect.stringMatching(/needs more input: Which Spanish: Spain or Mexico\?/) } });
    const messages = (await call('GET', `/v1/groups/${task.group_id}/messages?limit=200`, ADMIN_TOKEN)).body.items as Array<{ header: { type: string }; payload: { note?: string } }>;
    expect(messages.some((m) => m.header.type === 'task_progress' && /question for the coordinator: Which Spanish/.test(m.payload.note ?? ''))).toBe(true);
  });

  it('speaks A2A 0.3 to an agent whose card says so, polling one that does not stream', async () => {
    const older = await new TestA2aAgent({ name: 'Word Counter', skill: 'count the words in a text', version: '0.3', streaming: false }).start();
    try {
      // Imported twice at once, under two names: one agent, the other request refreshing it or refused (its own
      // registration undone), never two.
      const both = await Promise.all(['word-counter', 'word-counter-again'].map((name) => importCard({ card_url: `${older.url}/.well-known/agent-card.json`, invite_policy: 'accept', name })));
      expect(both.map((r) => r.status)).toContain(201);
      expect(both.every((r) => [201, 409].includes(r.status))).toBe(true);
      const imported = both.find((r) => r.status === 201 && !r.body.refreshed)!;
      const named = (await call('GET', '/v1/agents?name_prefix=word-counter', ADMIN_TOKEN)).body.items;
      expect(named.map((a: { id: string }) => a.id)).toEqual([imported.body.agent.id]);
      expect(imported.body).toMatchObject({ agent: { name: 'word-counter' }, hosted: { protocol_version: '0.3', has_secret: false } });
      // Named (the other tests find agents by meaning).
      [translator, needs] = [imported.body.agent.id, [imported.body.agent.id]];
      await until('the 0.3 agent online', async () => (await call('GET', `/v1/agents/${translator}`, ADMIN_TOKEN)).body.status === 'online', 15_000);
      const done = await goal('count the words of our welcome note');
      expect(translatorTask(done)).toMatchObject({ assignee: [translator], state: 'completed', result: { task_conclusion: 'Word Counter (A2A 0.3) did it' } });
    } finally {
      await older.kill();
    }
  });

  it('fails a task the remote agent does not finish in IOA_A2A_TIMEOUT_S, and the group goes on', async () => {
    [translator, needs] = [spanish, [spanish, 'convert miles into kilometres']];
    needs = [spanish, 'convert miles into kilometres'];
    const done = await goal('translate our note slowly, it takes long');
    expect(done.status).toBe('completed');
    expect(translatorTask(done)).toMatchObject({ state: 'failed', result: { task_conclusion: expect.stringMatching(/no answer within 3 s/) } });
  });

  it('takes a disabled agent offline until it is enabled, and imports a deleted one anew', async () => {
    const online = (id: string, status: string) => until(`${id} ${status}`, async () => (await call('GET', `/v1/agents/${id}`, ADMIN_TOKEN)).body.status === status, 15_000);
    expect((await call('POST', `/v1/agents/${spanish}/disable`, ADMIN_TOKEN)).status).toBe(200);
    await online(spanish, 'disabled');
    expect((await call('POST', `/v1/agents/${spanish}/enable`, ADMIN_TOKEN)).status).toBe(200);
    await online(spanish, 'online');
    // Deleted, then imported again (spelled another way): a new agent, which the server hosts.
    expect((await call('DELETE', `/v1/agents/${spanish}`, ADMIN_TOKEN)).status).toBe(200);
    const again = await importCard({ card_url: `${remote.url}/./.well-known/agent-card.json`, secret: 'Bearer remote-secret' });
    expect(again.body).toMatchObject({ refreshed: false, agent: { name: 'spanish-translator' } });
    expect(again.body.agent.id).not.toBe(spanish);
    [spanish, translator] = [again.body.agent.id, again.body.agent.id];
    await online(spanish, 'online');
  });

  it('fails the task when the remote agent dies mid-task, the group goes on, and the agent goes offline', async () => {
    const id = spanish;
    needs = [spanish, 'convert miles into kilometres'];
    const pending = goal('translate this slowly too, then plan the drive');
    await until('the remote agent has the slow task', async () => remote.received.some((r) => /slowly too/.test(r)), 15_000);
    await remote.kill();
    const done = await pending;
    expect(done.status).toBe('completed');
    expect(translatorTask(done)).toMatchObject({ state: 'failed', result: { task_conclusion: expect.stringMatching(/A2A agent Spanish Translator failed/) } });
    await until('the hosted agent offline', async () => (await call('GET', `/v1/agents/${id}`, ADMIN_TOKEN)).body.status === 'offline', 15_000);
  });
});
