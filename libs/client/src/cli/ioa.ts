#!/usr/bin/env node
import { Command } from 'commander';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { AgentCredentials, AgentView, CheckpointView, Envelope, GoalStatus, GroupState, GroupView, Page, PROTOCOL_VERSION, RollbackView } from '@ioa/protocol';
import { io } from 'socket.io-client';
import { isIoAError } from '../errors';
import { RestClient } from '../rest';
import { runConfiguredAgent } from './agent-config';
import { GoalWatcher } from '../watch/goal-watcher';
import { bar } from '../watch/message-lines';
import { Names } from '../watch/names';
import { describeTask, describeTeam, groupsOf } from './goal-progress';
import { addPeopleCommands } from './people-commands';
import { StdioServerTransport } from '@modelcontextprotocol/sdk/server/stdio.js';
import { createMcpServer } from '../mcp/mcp-server';

const program = new Command('ioa')
  .description('Command line for an ioa server: run agents, submit and follow goals, watch groups, issue tokens, search agents.')
  .option('--url <url>', 'server URL', process.env.IOA_URL ?? 'http://localhost:7788')
  .option('--token <token>', 'bearer token (default: IOA_TOKEN, else the admin token in ./data/admin.token)');

/** The token from the flag, the environment, or the admin token a local server wrote into its data dir. */
function token(): string {
  const file = join(process.env.IOA_DATA_DIR ?? 'data', 'admin.token');
  const t = program.opts().token ?? process.env.IOA_TOKEN ?? (existsSync(file) ? readFileSync(file, 'utf8').trim() : undefined);
  if (!t) throw new Error(`no token: pass --token, set IOA_TOKEN, or run where ${file} is (IOA_DATA_DIR names a server's data dir)`);
  return t;
}
const rest = () => new RestClient(program.opts().url, { token });
const print = (value: unknown) => console.log(JSON.stringify(value, null, 2));
const seconds = (v: string) => Number(v);

const agent = program.command('agent').description('agents: run, token');
agent.command('run')
  .description('run an agent from a YAML config (scripted, command, http or llm wrapper)')
  .requiredOption('--config <file>', 'agent.yaml')
  .action(async (o: { config: string }) => runConfiguredAgent(program.opts().url, o.config));
agent.command('token <name>')
  .description("issue an agent's credentials again (admin), e.g. when the file an earlier run saved them in was lost")
  .option('--out <file>', 'write them to this file (mode 0600), as `agent run` saves them, instead of printing them')
  .action(async (name: string, o: { out?: string }) => {
    const found = (await rest().request<Page<AgentView>>('GET', `/agents?name_prefix=${encodeURIComponent(name)}&limit=100`)).items.find((a) => a.name === name);
    if (!found) throw new Error(`no agent named ${name}`);
    const creds = { agent_id: found.id, ...(await rest().request<AgentCredentials>('POST', `/agents/${found.id}/tokens`)) };
    if (!o.out) return print(creds);
    writeFileSync(o.out, `${JSON.stringify(creds, null, 2)}\n`, { mode: 0o600 });
    console.log(`credentials of ${name} (${found.id}) written to ${o.out}`);
  });

const goal = program.command('goal').description('goals: submit, list, show, tree, watch, cancel');
goal.command('submit <text>')
  .description('submit a goal; its coordinator (named or chosen by meaning) forms the team')
  .option('--coordinator <id>', 'coordinating agent id')
  .option('--depth <n>', 'team_up_depth', (v) => Number(v))
  .option('--accept-timeout <seconds>', 'how long each coordinator has to form the team', seconds)
  .option('--wait', 'follow the goal live (team, sub-teams, messages, tasks with progress) until it completes, fails or is canceled')
  .option('--timeout <seconds>', 'with --wait: give up after this long', seconds, 600)
  .action(async (text: string, o: { coordinator?: string; depth?: number; acceptTimeout?: number; wait?: boolean; timeout: number }) => {
    const created = await rest().createGoal({ goal: text, coordinator: o.coordinator, team_up_depth: o.depth, accept_timeout_s: o.acceptTimeout });
    console.log(`goal ${created.id}: coordinator ${await new Names(rest()).of(created.coordinator)} (${created.coordinator})`);
    if (o.wait) await settle(created.id, o.timeout);
  });
goal.command('watch <id>')
  .description('follow a goal live (team, sub-teams, messages, states, tasks with progress) until it is settled; any token that may read it')
  .option('--timeout <seconds>', 'give up after this long', seconds, 600)
  .action((id: string, o: { timeout: number }) => settle(id, o.timeout));
goal.command('list')
  .description('goals, newest first')
  .option('--status <status>', 'pending | running | completed | failed | canceled')
  .option('--limit <n>', 'how many', (v) => Number(v), 20)
  .action(async (o: { status?: GoalStatus; limit: number }) => {
    const names = new Names(rest());
    const { items, total } = await rest().listGoals({ status: o.status, limit: o.limit });
    for (const g of items) console.log(`${g.id}  ${g.status.padEnd(9)} ${(await names.of(g.coordinator)).padEnd(24)} ${g.goal.slice(0, 80)}`);
    console.log(`${items.length} of ${total}`);
  });
goal.command('show <id>')
  .description('a goal: status, coordinator, hand-overs, result')
  .action(async (id: string) => print(await rest().getGoal(id)));
goal.command('tree <id>')
  .description("a goal's team tree: teams and sub-teams with their tasks")
  .action(async (id: string) => {
    const names = new Names(rest());
    for (const g of groupsOf(await rest().goalTree(id))) {
      const indent = '  '.repeat(g.level);
      console.log(`${indent}${g.group_id} ${g.state}: ${await describeTeam(g, names)}`);
      for (const t of g.tasks) console.log(`${indent}  ${await describeTask(t, names)}`);
    }
  });
goal.command('cancel <id>')
  .description('cancel a goal and every group under it (an admin, or the client that submitted it)')
  .action(async (id: string) => console.log(`goal ${id}: ${(await rest().cancelGoal(id)).status}`));

/** Follows a goal live to its end (or gives up after `timeoutS`); the exit code says whether it completed. */
async function settle(goalId: string, timeoutS: number): Promise<void> {
  const watcher = new GoalWatcher(program.opts().url, token());
  try {
    await watcher.start(goalId);
    const g = await watcher.settled(timeoutS * 1000).catch((e: Error) => {
      throw new Error(`${e.message}; \`ioa goal watch ${goalId}\` follows it again`);
    });
    watcher.out.raw(`${g.status}: ${g.result ?? g.reason ?? ''}`);
    process.exitCode = g.status === 'completed' ? 0 : 1;
  } finally {
    watcher.out.flush();
    watcher.stop();
  }
}

const groups = program.command('groups').description('groups: list, watch; operator control: pause, resume, say; checkpoints, checkpoint, rollback');
groups.command('list')
  .description('groups, newest first')
  .option('--limit <n>', 'how many', (v) => Number(v), 20)
  .action(async (o: { limit: number }) => {
    const names = new Names(rest());
    const { items, total } = await rest().listGroups({ limit: o.limit });
    for (const g of items) console.log(`${g.id}  ${g.state.padEnd(21)} ${(await names.of(g.coordinator)).padEnd(24)} ${g.goal.slice(0, 70)}`);
    console.log(`${items.length} of ${total}`);
  });
groups.command('watch <id>')
  .description('live tail of a group: state, speakers, tasks with progress bars (any token that may read it)')
  .action(async (groupId: string) => {
    const socket = io(program.opts().url, { transports: ['websocket'], auth: { token: token() } });
    let lastSeq = 0;
    socket.on('group_state', (e) => e.group_id === groupId && console.log(`== state ${e.state} (seq ${e.seq})`));
    socket.on('task', (t) => t.group_id === groupId && console.log(`   task ${t.task_abstract} ${t.state} ${bar(t.progress)}`));
    socket.on('message', (m: Envelope) => {
      if (m.header.group_id !== groupId || m.header.seq <= lastSeq) return;
      lastSeq = m.header.seq;
      const p = m.payload as Record<string, unknown>;
      const text = (p.content ?? p.summary ?? p.text ?? p.note ?? p.task_conclusion ?? JSON.stringify(p)) as string;
      console.log(`#${m.header.seq} ${m.header.state.padEnd(21)} ${m.header.sender.slice(0, 8)} ${m.header.type}: ${String(text).slice(0, 160)}`);
      if (m.header.type === 'system' && p.event === 'group_closed') process.exit(0);
    });
    // A server that shuts down closes the socket itself; socket.io does not reconnect those on its own.
    socket.on('disconnect', (reason) => reason === 'io server disconnect' && socket.connect());
    socket.on('connect_error', (e: Error & { data?: { code?: string } }) => console.error(`ioa: ${program.opts().url}: ${e.data?.code ?? 'connection failed'}: ${e.message}`));
    // (Re)connected: subscribe from the last seq printed, so a server restart loses and repeats nothing.
    socket.on('connect', async () => {
      const ack = await socket.emitWithAck('subscribe', { group_id: groupId, after_seq: lastSeq });
      if (!ack.ok) {
        console.error(`ioa: ${ack.error.code}: ${ack.error.message}`);
        process.exit(1);
      }
      console.log(`watching ${groupId} (state ${ack.state as GroupState}); Ctrl-C to stop`);
    });
  });

/** A route under a group's path, for the operator commands below. */
const groupRoute = (id: string, tail: string) => `/groups/${encodeURIComponent(id)}${tail}`;
groups.command('pause <id>')
  .description('pause a group: deadlines frozen, members\' messages refused until it resumes (admin)')
  .option('--note <text>', 'why, shown to the members')
  .action(async (id: string, o: { note?: string }) => {
    const g = await rest().request<GroupView>('POST', groupRoute(id, '/pause'), o.note ? { note: o.note } : {});
    console.log(`group ${id}: paused${g.paused?.note ? ` (${g.paused.note})` : ''}`);
  });
groups.command('resume <id>')
  .description('resume a paused group: every deadline moves on by the pause (admin)')
  .action(async (id: string) => console.log(`group ${id}: resumed (${(await rest().request<GroupView>('POST', groupRoute(id, '/resume'))).state})`));
groups.command('say <id> <text>')
  .description('write into a group as the operator: every member sees it (admin)')
  .action(async (id: string, text: string) => console.log(`group ${id}: operator message at seq ${(await rest().request<{ seq: number }>('POST', groupRoute(id, '/messages'), { text })).seq}`));
groups.command('checkpoints <id>')
  .description('a group\'s checkpoints, oldest first, and whether each still verifies')
  .action(async (id: string) => {
    for (const c of await rest().request<CheckpointView[]>('GET', groupRoute(id, '/checkpoints'))) {
      console.log(`${c.id}  seq ${String(c.seq).padEnd(5)} ${c.reason.padEnd(13)} ${c.created_at}  ${c.verified ? 'verified' : 'DOES NOT VERIFY'}`);
    }
  });
groups.command('checkpoint <id>')
  .description('take a checkpoint of a group now (admin)')
  .action(async (id: string) => {
    const c = await rest().request<CheckpointView>('POST', groupRoute(id, '/checkpoints'));
    console.log(`group ${id}: checkpoint ${c.id} at seq ${c.seq}`);
  });
groups.command('rollback <id> <checkpoint>')
  .description('return a group\'s tasks to one of its checkpoints; results since are invalidated (admin)')
  .action(async (id: string, checkpoint: string) => {
    const r = await rest().request<RollbackView>('POST', groupRoute(id, '/rollback'), { checkpoint_id: checkpoint });
    console.log(`group ${id}: rolled back to ${r.checkpoint_id}: ${r.restored.length} restored, ${r.canceled.length} canceled, ${r.invalidated.length} results invalidated`);
  });

program.command('token').description('tokens').command('create')
  .description('issue a token (admin)')
  .requiredOption('--role <role>', 'observer | enrollment | client')
  .option('--name <name>', 'client: who it is for (an MCP host, an A2A caller)')
  .option('--client <id>', 'client: another token of this client (its goals stay its own)')
  .option('--goal <id...>', 'observer scope: goals (their whole team tree)')
  .option('--group <id...>', 'observer scope: groups')
  .option('--max-uses <n>', 'enrollment: how many agents may register with it', (v) => Number(v))
  .option('--ttl <seconds>', 'lifetime', (v) => Number(v))
  .action(async (o: { role: string; goal?: string[]; group?: string[]; maxUses?: number; ttl?: number; name?: string; client?: string }) => {
    if (o.role === 'enrollment') return print(await rest().request('POST', '/auth/enrollments', { max_uses: o.maxUses, ttl_s: o.ttl }));
    if (o.role === 'client') return print(await rest().request('POST', '/auth/client-tokens', { name: o.name ?? 'a client', client_id: o.client, ttl_s: o.ttl }));
    if (o.role !== 'observer') throw new Error('--role is observer, enrollment or client');
    const scope = o.goal || o.group ? { goals: o.goal, groups: o.group } : { all: true };
    print(await rest().request('POST', '/auth/observer-tokens', { scope, ttl_s: o.ttl }));
  });

const agents = program.command('agents').description('agents in the registry: search, import');
agents.command('search <query>')
  .description('find agents by meaning')
  .option('-k, --top-k <n>', 'results', (v) => Number(v), 10)
  .option('--online', 'online agents only')
  .action(async (query: string, o: { topK: number; online?: boolean }) => {
    const { results } = await rest().searchAgents({ query, top_k: o.topK, online_only: o.online });
    for (const r of results) console.log(`${r.score.toFixed(3)}  ${r.agent.name.padEnd(28)} ${r.matched.padEnd(24)} ${r.agent.status.padEnd(8)} ${r.agent.id}`);
  });

agents.command('import <card-url>')
  .description('host an A2A agent by the URL of its agent card (its host must be in the server\'s IOA_A2A_ALLOWED_HOSTS); again: refresh it')
  .option('--secret <value>', 'the Authorization header its endpoint wants ("Bearer …"); kept encrypted, never shown')
  .option('--name <slug>', 'its name in the registry (default: from the card)')
  .option('--decline-invites', 'decline invites on its behalf (default: accept)')
  .option('--cross-origin', 'allow the card to name an endpoint on another origin (admins)')
  .action(async (cardUrl: string, o: { secret?: string; name?: string; declineInvites?: boolean; crossOrigin?: boolean }) => {
    print(await rest().request('POST', '/agents/import', { card_url: cardUrl, secret: o.secret, name: o.name, invite_policy: o.declineInvites ? 'decline' : undefined, allow_cross_origin: o.crossOrigin }));
  });

addPeopleCommands(program, rest, () => ({ url: program.opts().url, token: token() }));

program.command('mcp')
  .description('serve ioa to an MCP host (Claude Desktop, an IDE) over stdio: search agents, submit and follow goals; use a client token (token create --role client)')
  .option('--poll-ms <ms>', 'how often submit_goal with wait reads the goal', (v) => Number(v), 1000)
  // Everything but the protocol goes to stderr: stdout is the MCP host's.
  .action(async (o: { pollMs: number }) => {
    // Never the admin token a server wrote into its data dir: a host gets the token it was given.
    if (!program.opts().token && !process.env.IOA_TOKEN) throw new Error('ioa mcp needs a client token: --token or IOA_TOKEN (npm run ioa -- token create --role client --name …)');
    await createMcpServer(rest(), { version: PROTOCOL_VERSION, pollMs: o.pollMs }).connect(new StdioServerTransport());
    // The host closing its end is the end of the session: nothing stays behind it.
    process.stdin.once('end', () => process.exit(0));
  });

program.parseAsync().catch((e: unknown) => {
  console.error(`ioa: ${isIoAError(e) ? `${e.code}: ${e.message}` : e instanceof Error ? e.message : String(e)}`);
  process.exit(1);
});
