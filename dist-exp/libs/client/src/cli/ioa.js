#!/usr/bin/env node
"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
const commander_1 = require("commander");
const node_fs_1 = require("node:fs");
const client_1 = require("../client");
const errors_1 = require("../errors");
const rest_1 = require("../rest");
const agent_config_1 = require("./agent-config");
const program = new commander_1.Command('ioa')
    .description('Command line for an ioa server: run agents, submit goals, watch groups, issue tokens, search agents.')
    .option('--url <url>', 'server URL', process.env.IOA_URL ?? 'http://localhost:7788')
    .option('--token <token>', 'bearer token (default: IOA_TOKEN, else the admin token in ./data/admin.token)');
/** The token from the flag, the environment, or the admin token a local server wrote into its data dir. */
function token() {
    const t = program.opts().token ?? process.env.IOA_TOKEN ?? ((0, node_fs_1.existsSync)('data/admin.token') ? (0, node_fs_1.readFileSync)('data/admin.token', 'utf8').trim() : undefined);
    if (!t)
        throw new Error('no token: pass --token, set IOA_TOKEN, or run next to a server data dir with data/admin.token');
    return t;
}
const rest = () => new rest_1.RestClient(program.opts().url, { token });
const print = (value) => console.log(JSON.stringify(value, null, 2));
program.command('agent').description('agents').command('run')
    .description('run an agent from a YAML config (scripted, command or http wrapper)')
    .requiredOption('--config <file>', 'agent.yaml')
    .action(async (o) => (0, agent_config_1.runConfiguredAgent)(program.opts().url, o.config));
const goal = program.command('goal').description('goals');
goal.command('submit <text>')
    .description('submit a goal; its coordinator (named or chosen by meaning) forms the team')
    .option('--coordinator <id>', 'coordinating agent id')
    .option('--depth <n>', 'team_up_depth', (v) => Number(v))
    .option('--wait', 'wait until the goal completes, fails or is canceled, and print its result')
    .action(async (text, o) => {
    const created = await rest().createGoal({ goal: text, coordinator: o.coordinator, team_up_depth: o.depth });
    console.log(`goal ${created.id}: coordinator ${created.coordinator}`);
    if (!o.wait)
        return;
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
    .action(async (groupId) => {
    const client = await client_1.IoAClient.connect({ url: program.opts().url, token: token() });
    const bar = (p) => `[${'#'.repeat(Math.round(p * 20)).padEnd(20, '.')}] ${Math.round(p * 100)}%`;
    client.on('group_state', (e) => e.group_id === groupId && console.log(`== state ${e.state} (seq ${e.seq})`));
    client.on('task', (t) => t.group_id === groupId && console.log(`   task ${t.task_abstract} ${t.state} ${bar(t.progress)}`));
    client.on('message', (m) => {
        if (m.header.group_id !== groupId)
            return;
        const p = m.payload;
        const text = (p.content ?? p.summary ?? p.text ?? p.note ?? p.task_conclusion ?? JSON.stringify(p));
        console.log(`#${m.header.seq} ${m.header.state.padEnd(21)} ${m.header.sender.slice(0, 8)} ${m.header.type}: ${String(text).slice(0, 160)}`);
        if (m.header.type === 'system' && p.event === 'group_closed') {
            client.close();
            process.exit(0);
        }
    });
    const ack = await client.subscribe(groupId);
    console.log(`watching ${groupId} (state ${ack.state}); Ctrl-C to stop`);
});
program.command('token').description('tokens').command('create')
    .description('issue a token (admin)')
    .requiredOption('--role <role>', 'observer | enrollment')
    .option('--goal <id...>', 'observer scope: goals (their whole team tree)')
    .option('--group <id...>', 'observer scope: groups')
    .option('--max-uses <n>', 'enrollment: how many agents may register with it', (v) => Number(v))
    .option('--ttl <seconds>', 'lifetime', (v) => Number(v))
    .action(async (o) => {
    if (o.role === 'enrollment')
        return print(await rest().request('POST', '/auth/enrollments', { max_uses: o.maxUses, ttl_s: o.ttl }));
    if (o.role !== 'observer')
        throw new Error('--role is observer or enrollment');
    const scope = o.goal || o.group ? { goals: o.goal, groups: o.group } : { all: true };
    print(await rest().request('POST', '/auth/observer-tokens', { scope, ttl_s: o.ttl }));
});
program.command('agents').description('agents in the registry').command('search <query>')
    .description('find agents by meaning')
    .option('-k, --top-k <n>', 'results', (v) => Number(v), 10)
    .option('--online', 'online agents only')
    .action(async (query, o) => {
    const { results } = await rest().searchAgents({ query, top_k: o.topK, online_only: o.online });
    for (const r of results)
        console.log(`${r.score.toFixed(3)}  ${r.agent.name.padEnd(28)} ${r.matched.padEnd(24)} ${r.agent.status}`);
});
program.parseAsync().catch((e) => {
    console.error(`ioa: ${(0, errors_1.isIoAError)(e) ? `${e.code}: ${e.message}` : e instanceof Error ? e.message : String(e)}`);
    process.exit(1);
});
//# sourceMappingURL=ioa.js.map