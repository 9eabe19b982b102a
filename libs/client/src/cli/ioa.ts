#!/usr/bin/env node
import { Command } from 'commander';
import { existsSync, readFileSync } from 'node:fs';
import { Envelope, GroupState } from '@ioa/protocol';
import { IoAClient } from '../client';
import { isIoAError } from '../errors';
import { RestClient } from '../rest';
import { runConfiguredAgent } from './agent-config';

const program = new Command('ioa')
  .description('Command line for an ioa server: run agents, submit goals, watch groups, issue tokens, search agents.')
  .option('--url <url>', 'server URL', process.env.IOA_URL ?? 'http://localhost:7788')
  .option('--token <token>', 'bearer token (default: IOA_TOKEN, else the admin token in ./data/admin.token)');

/** The token from the flag, the environment, or the admin token a local server wrote into its data dir. */
function token(): string {
  const t = program.opts().token ?? process.env.IOA_TOKEN ?? (existsSync('data/admin.token') ? readFileSync('data/admin.token', 'utf8').trim() : undefined);
  if (!t) throw new Error('no token: pass --token, set IOA_TOKEN, or run next to a server data dir with data/admin.token');
  return t;
}
const rest = () => new RestClient(program.opts().url, { token });
const print = (value: unknown) => console.log(JSON.stringify(value, null, 2));

program.command('agent').description('agents').command('run')
  .description('run an agent from a YAML config (scripted, command or http wrapper)')
  .requiredOption('--config <file>', 'agent.yaml')
  .action(async (o: { config: string }) => runConfiguredAgent(program.opts().url, o.config));

const goal = program.command('goal').description('goals');
goal.command('submit <text>')
  .description('submit a goal; its coordinator (named or chosen by meaning) forms the team')
  .option('--coordinator <id>', 'coordinating agent id')
  .option('--depth <n>', 'team_up_depth', (v) => Number(v))
  .option('--wait', 'wait until the goal completes, fails or is canceled, and print its result')
  .action(async (text: string, o: { coordinator?: string; depth?: number; wait?: boolean }) => {
    const created = await rest().createGoal({ goal: text, coordinator: o.coordinator, team_up_depth: o.depth });
    console.log(`goal ${created.id}: coordinator ${created.coordinator}`);
    if (!o.wait) return;
    for (;;) {
      const g = await rest().getGoal(created.id);
      if (!['pending', 'running'].includes(g.status)) {
        console.log(`${g.status}: ${g.result ?? g.reason ?? ''}`);
        process.exitCode = g.status === 'completed' ? 0 : 1;
        return;
      }
      await new Promise((r) => setTimeout(r, 1000));
    }
  });

program.command('groups').description('groups').command('watch <id>')
  .description('live tail of a group: state, speakers, tasks with progress bars')
  .action(async (groupId: string) => {
    const client = await IoAClient.connect({ url: program.opts().url, token: token() });
    const bar = (p: number) => `[${'#'.repeat(Math.round(p * 20)).padEnd(20, '.')}] ${Math.round(p * 100)}%`;
    client.on('group_state', (e) => e.group_id === groupId && console.log(`== state ${e.state} (seq ${e.seq})`));
    client.on('task', (t) => t.group_id === groupId && console.log(`   task ${t.task_abstract} ${t.state} ${bar(t.progress)}`));
    client.on('message', (m: Envelope) => {
      if (m.header.group_id !== groupId) return;
      const p = m.payload as Record<string, unknown>;
      const text = (p.content ?? p.summary ?? p.text ?? p.note ?? p.task_conclusion ?? JSON.stringify(p)) as string;
      console.log(`#${m.header.seq} ${m.header.state.padEnd(21)} ${m.header.sender.slice(0, 8)} ${m.header.type}: ${String(text).slice(0, 160)}`);
      if (m.header.type === 'system' && p.event === 'group_closed') {
        client.close();
        process.exit(0);
      }
    });
    const ack = await client.subscribe(groupId);
    console.log(`watching ${groupId} (state ${ack.state as GroupState}); Ctrl-C to stop`);
  });

program.command('token').description('tokens').command('create')
  .description('issue a token (admin)')
  .requiredOption('--role <role>', 'observer | enrollment')
  .option('--goal <id...>', 'observer scope: goals (their whole team tree)')
  .option('--group <id...>', 'observer scope: groups')
  .option('--max-uses <n>', 'enrollment: how many agents may register with it', (v) => Number(v))
  .option('--ttl <seconds>', 'lifetime', (v) => Number(v))
  .action(async (o: { role: string; goal?: string[]; group?: string[]; maxUses?: number; ttl?: number }) => {
    if (o.role === 'enrollment') return print(await rest().request('POST', '/auth/enrollments', { max_uses: o.maxUses, ttl_s: o.ttl }));
    if (o.role !== 'observer') throw new Error('--role is observer or enrollment');
    const scope = o.goal || o.group ? { goals: o.goal, groups: o.group } : { all: true };
    print(await rest().request('POST', '/auth/observer-tokens', { scope, ttl_s: o.ttl }));
  });

program.command('agents').description('agents in the registry').command('search <query>')
  .description('find agents by meaning')
  .option('-k, --top-k <n>', 'results', (v) => Number(v), 10)
  .option('--online', 'online agents only')
  .action(async (query: string, o: { topK: number; online?: boolean }) => {
    const { results } = await rest().searchAgents({ query, top_k: o.topK, online_only: o.online });
    for (const r of results) console.log(`${r.score.toFixed(3)}  ${r.agent.name.padEnd(28)} ${r.matched.padEnd(24)} ${r.agent.status}`);
  });

program.parseAsync().catch((e: unknown) => {
  console.error(`ioa: ${isIoAError(e) ? `${e.code}: ${e.message}` : e instanceof Error ? e.message : String(e)}`);
  process.exit(1);
});
