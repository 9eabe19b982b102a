import { randomBytes } from 'node:crypto';
import { parseArgs } from 'node:util';
import { AgentCard, AgentRun, clip, GoalWatcher, IoAClient, LlmAgent, RestClient, runAgent, Timeline } from '@ioa/client';
import { scriptedAgent } from './agents';
import { Api, api } from './http';
import { llmCoordinator, LlmSettings, usageLine } from './llm-coordinator';
import { COORDINATOR, GOAL, population } from './scenario';
import { ServerProcess } from './server-process';
import { signOff } from './sign-off';
import type { TreeNode } from '@ioa/protocol';

/** The model an LLM coordinator uses when OPENAI_MODEL is not set. */
const DEFAULT_MODEL = 'gpt-4o-mini';

const USAGE = `Usage: npm run demo -- [options]

Starts an ioa server (unless --url), ~20 scripted agents built with the SDK, submits a goal and prints the
collaboration live. No LLM and no network: every agent is scripted, unless OPENAI_BASE_URL is set: then the
goal's coordinator (travel-planner) is the SDK's llmAgent on that OpenAI-compatible endpoint (Ollama, vLLM,
llama.cpp, OpenAI), with OPENAI_API_KEY as its key and OPENAI_MODEL as its model (default ${DEFAULT_MODEL}).

  --exit              stop everything at the end; exit 0 only if the goal completed with a result
  --approve           the coordinator's task graph waits for you to approve its brief in the web console (a link
                      is printed); without it the demo approves by itself
  --url <url>[,<url>…] use a running server instead (also IOA_URL); needs --admin-token or IOA_ADMIN_TOKEN;
                      several nodes of a cluster, comma-separated: the agents connect to them in turn
  --admin-token <t>   the running server's admin token
  --data-dir <dir>    the started server's data dir, deleted first (default ./data/demo)
  --port <n>          the started server's port (default 7788, or a free one if taken; 0: any free port)
  --timeout <s>       bound on the whole run, server start included (default 60; 180 with an LLM; 600 with --approve)
  --pace <ms>         how long each agent pauses before acting, to follow along (default 250)
  -h, --help          this text`;

interface Options {
  exit: boolean;
  /** A person approves the graph's sign-off in the console, rather than the demo itself. */
  approve: boolean;
  url?: string;
  adminToken?: string;
  dataDir: string;
  port: number;
  timeoutS: number;
  paceMs: number;
  /** The coordinator's model, when OPENAI_BASE_URL is set. */
  llm?: LlmSettings;
}

function options(): Options {
  const { values } = parseArgs({
    options: {
      exit: { type: 'boolean', default: false }, approve: { type: 'boolean', default: false }, url: { type: 'string' }, 'admin-token': { type: 'string' }, 'data-dir': { type: 'string' },
      port: { type: 'string' }, timeout: { type: 'string' }, pace: { type: 'string' }, help: { type: 'boolean', short: 'h', default: false },
    },
  });
  if (values.help) {
    console.log(USAGE);
    process.exit(0);
  }
  const num = (v: string | undefined, fallback: number, name: string) => {
    const n = v === undefined ? fallback : Number(v);
    if (!Number.isInteger(n) || n < 0) throw new Error(`--${name} must be a whole number (got ${v})`);
    return n;
  };
  const url = values.url ?? process.env.IOA_URL;
  // The only place the demo reads the model's settings.
  const baseUrl = process.env.OPENAI_BASE_URL?.trim();
  const llm = baseUrl ? { baseUrl, apiKey: process.env.OPENAI_API_KEY || undefined, model: process.env.OPENAI_MODEL?.trim() || DEFAULT_MODEL } : undefined;
  const timeoutS = values.approve ? 600 : llm ? 180 : 60;
  return {
    exit: values.exit, approve: values.approve, url: url?.split(',').map((u) => u.trim().replace(/\/+$/, '')).filter(Boolean).join(','), adminToken: values['admin-token'] ?? (url ? process.env.IOA_ADMIN_TOKEN : undefined),
    dataDir: values['data-dir'] ?? './data/demo', port: num(values.port, 7788, 'port'), timeoutS: num(values.timeout, timeoutS, 'timeout') || timeoutS,
    paceMs: num(values.pace, 250, 'pace'), llm,
  };
}

async function main(): Promise<number> {
  const opts = options();
  const deadline = Date.now() + opts.timeoutS * 1000;
  const left = () => Math.max(0, deadline - Date.now());
  const out = new Timeline();
  const server = new ServerProcess();
  const clients: IoAClient[] = [];
  const runs: AgentRun[] = [];
  let watcher: GoalWatcher | null = null;
  let stopSigning = (): void => undefined;
  const shutdown = async () => {
    stopSigning();
    watcher?.stop();
    runs.forEach((r) => r.stop());
    clients.forEach((c) => c.close());
    await server.stop();
  };
  process.once('exit', () => server.killNow());
  process.once('SIGINT', () => void shutdown().finally(() => process.exit(130)));
  process.once('SIGTERM', () => void shutdown().finally(() => process.exit(143)));

  out.raw(opts.llm
    ? `ioa demo: agents work on one goal through an ioa server.\ncoordinator: LLM (the SDK's llmAgent, model ${opts.llm.model} at ${opts.llm.baseUrl}); the other agents are scripted.\n`
      + `Each scripted agent pauses ${opts.paceMs} ms before acting; lines are printed in event order, about half a second behind.\n`
    : 'ioa demo: scripted agents (no LLM, no network) work on one goal through an ioa server.\n'
      + 'coordinator: scripted (set OPENAI_BASE_URL, OPENAI_API_KEY and OPENAI_MODEL for an LLM coordinator).\n'
      + `Each agent pauses ${opts.paceMs} ms before acting; lines are printed in event order, about half a second behind.\n`);
  let url = opts.url;
  let adminToken = opts.adminToken;
  if (!url) {
    adminToken = randomBytes(24).toString('hex');
    out.line('server', `starting the built server (data in ${opts.dataDir}, wiped first)`);
    await server.start({ dataDir: opts.dataDir, port: opts.port, adminToken, onLine: (l) => out.line('server', clip(l, 240)) }, Math.min(30_000, left()));
    url = server.url;
    out.line('server', `up at ${url}`);
  } else if (!adminToken) {
    throw new Error('--url needs the server\'s admin token (--admin-token or IOA_ADMIN_TOKEN) to enrol the demo agents');
  }
  // Several nodes of one cluster: the agents connect to each in turn; the demo itself talks to the first.
  const nodes = url.split(',');
  url = nodes[0];
  const admin = api(url, adminToken);

  // Against a running server the names get a suffix, since names are unique and an earlier run may have taken them.
  const cards = population();
  const started = await startAgents(nodes, admin, cards, opts.url ? `-${randomBytes(2).toString('hex')}` : '', opts, out, clients, runs);
  const { ids, llm } = started;
  out.line('demo', `${cards.length} agents enrolled and connected: ${out.nameList(ids)}`);
  // Each card now says whether its agent coordinates (runAgent declares it from onGoal): the goal can find one.
  await Promise.all(runs.map((r) => r.ready));

  // Named only against a running server, whose other agents could match the goal better than ours.
  const coordinator = opts.url ? ids[cards.findIndex((c) => c.name === COORDINATOR)] : undefined;
  const submittedAt = Date.now();
  const goal = await admin('POST', '/v1/goals', { goal: GOAL, team_up_depth: 1, max_turns: 20, ...(coordinator ? { coordinator } : {}) });
  const choice = goal.coordinator_choice as { by: string; score?: number };
  out.line('goal', `submitted "${GOAL}"`, submittedAt);
  const picked = choice.by === 'search' ? `chosen by meaning: ${out.name(goal.coordinator)} (score ${choice.score?.toFixed(3)})` : `named: ${out.name(goal.coordinator)}`;
  out.line('goal', `coordinator ${picked}`, submittedAt);

  const observer = await admin<{ token: string }>('POST', '/v1/auth/observer-tokens', { scope: { goals: [goal.id] }, label: 'ioa demo' });
  out.line('goal', `watch it in a browser: ${consoleLink(url, goal.id, observer.token)}`, submittedAt);
  watcher = new GoalWatcher(url, observer.token, { out, details: new RestClient(url, { token: () => adminToken }), pollMs: 150 });
  await watcher.start(goal.id);
  // On a server of its own, the demo signs off every goal's approval (one submitted later over A2A or MCP too).
  stopSigning = await signOff(admin, url, goal.id, opts.approve, out, !opts.url);

  let final: { status: string; result: string | null; reason: string | null };
  try {
    final = await watcher.settled(left());
  } catch (e) {
    final = { status: 'unfinished', result: null, reason: `${(e as Error).message} (--timeout ${opts.timeoutS} s)` };
  }
  await watcher.drained();
  const ok = final.status === 'completed' && !!final.result?.trim();
  // Our own server stops with --exit or a failure; a server named by --url keeps running either way.
  const serverStays = !!opts.url || (ok && !opts.exit);
  // For an A2A caller or an MCP host to try next (docs/interop.md): a client token, while the server stays.
  const client = serverStays ? await admin<{ token: string }>('POST', '/v1/auth/client-tokens', { name: 'ioa demo', ttl_s: 86_400 }) : null;
  report(out, final, await admin<TreeNode[]>('GET', `/v1/goals/${goal.id}/tree`).catch(() => []), client ? { url, observerToken: observer.token, clientToken: client.token, goalId: goal.id } : null);
  if (llm) out.raw(`\n${usageLine(llm)}`);
  if (opts.exit || !ok) {
    await shutdown();
    if (!ok) out.raw(`\ndemo failed: the goal is ${final.status}${final.reason ? ` (${final.reason})` : ''}`);
    return ok ? 0 : 1;
  }
  out.raw('\nThe server and the agents keep running; press Ctrl-C to stop.');
  return new Promise<number>(() => undefined);
}

/**
 * Enrols each card through the SDK with its own single-use enrollment token, connects it and runs it as a scripted
 * agent, or the coordinator as an LLM agent when a model is configured; returns the agent ids in the order of
 * `cards`, and the LLM agent if there is one.
 */
async function startAgents(nodes: string[], admin: Api, cards: AgentCard[], suffix: string, opts: Options, out: Timeline, clients: IoAClient[], runs: AgentRun[]): Promise<{ ids: string[]; llm?: LlmAgent }> {
  let llm: LlmAgent | undefined;
  const ids = await Promise.all(cards.map(async (fixture, i) => {
    const card = { ...fixture, name: `${fixture.name}${suffix}` };
    const { token } = await admin<{ token: string }>('POST', '/v1/auth/enrollments', { max_uses: 1, ttl_s: 600 });
    const client = await IoAClient.connect({ url: nodes[i % nodes.length], enrollment: { token, card }, connectTimeoutMs: 10_000 });
    clients.push(client);
    out.nameAgent(client.agentId, card.name);
    const me = () => out.name(client.agentId);
    const byModel = opts.llm && fixture.name === COORDINATOR ? llmCoordinator(card, opts.llm, out, me) : undefined;
    llm ??= byModel?.agent;
    const { agent, options } = byModel ?? scriptedAgent(client, card, fixture.name, out, opts.paceMs);
    runs.push(runAgent(client, agent, options));
    return client.agentId;
  }));
  return { ids, llm };
}

interface Watch {
  url: string;
  observerToken: string;
  clientToken: string;
  goalId: string;
}

function report(out: Timeline, goal: { status: string; result: string | null }, tree: TreeNode[], watch: Watch | null): void {
  out.raw(`\n== final result (goal ${goal.status}) ==\n${goal.result ?? '(none)'}\n\n== goal tree ==`);
  const walk = (n: TreeNode, depth: number) => {
    const pad = '  '.repeat(depth);
    out.raw(`${pad}${out.label(n.group_id)} [${n.state}${n.close_reason ? `: ${n.close_reason}` : ''}] "${clip(n.goal, 70)}"`);
    out.raw(`${pad}  coordinator ${out.name(n.coordinator)}; members ${out.nameList(n.members)}`);
    for (const t of n.tasks) out.raw(`${pad}  task "${t.task_abstract}" → ${t.kind === 'approval' ? "a person's approval" : out.nameList(t.assignee)}: ${t.state}${t.result ? ` (${clip(t.result.task_conclusion.replace(/\n/g, '; '), 60)})` : ''}`);
    n.children.forEach((c) => walk(c, depth + 1));
  };
  tree.forEach((n) => walk(n, 0));
  if (!watch) return;
  const { url, observerToken, clientToken, goalId } = watch;
  out.raw(`\n== watch it yourself ==\nin a browser: ${consoleLink(url, goalId, observerToken)}\nserver:   ${url}\nobserver: ${observerToken}\n`
    + `  curl -H "Authorization: Bearer <observer>" ${url}/v1/goals/${goalId}\n`
    + `  socket.io: io('${url}', { transports: ['websocket'], auth: { token: '<observer>' } }), then emit 'subscribe' { group_id }\n`
    + `client:   ${clientToken}\n  submit a goal of your own over A2A or MCP (docs/interop.md):\n`
    + `  curl -s ${url}/a2a -H "Authorization: Bearer <client>" -H 'content-type: application/json' -d '{"jsonrpc":"2.0","id":1,"method":"SendMessage",`
    + `"params":{"message":{"messageId":"m-1","role":"ROLE_USER","parts":[{"text":"Write a short welcome note for visitors to Madrid, in Spanish"}]}}}'\n`
    + `  MCP: ${url}/mcp with the header "Authorization: Bearer <client>"`);
}

/** The web console's page of the goal, signed in as its observer: the token travels in the fragment, never sent to the server. */
const consoleLink = (url: string, goalId: string, token: string) => `${url}/goals/${goalId}#token=${token}`;

main().then(
  (code) => process.exit(code),
  (e: Error) => {
    console.error(`ioa demo: ${e.message}`);
    process.exit(1);
  },
);
