import { Command } from 'commander';
import { ApprovalView, PersonCreated, PersonPage } from '@ioa/protocol';
import { RestClient } from '../rest';

/** `ioa people create|list` (admin) and `ioa approvals list|show|approve|reject` (admins and participants). */
export function addPeopleCommands(program: Command, rest: () => RestClient): void {
  const people = program.command('people').description('people in the loop: create (with a participant token), list (admin)');
  people.command('create <name>')
    .description('create a person and a participant token scoped to goals or groups (admin)')
    .option('--goal <id...>', 'scope: goals (their whole team tree)')
    .option('--group <id...>', 'scope: groups')
    .option('--ttl <seconds>', 'token lifetime', (v) => Number(v))
    .action(async (name: string, o: { goal?: string[]; group?: string[]; ttl?: number }) => {
      if (!o.goal && !o.group) throw new Error('give the token a scope: --goal <id...> and/or --group <id...>');
      const created = await rest().request<PersonCreated>('POST', '/people', { name, scope: { goals: o.goal, groups: o.group }, ttl_s: o.ttl });
      console.log(`person ${created.person.name} (${created.person.id}); participant token, expires ${created.expires_at}:`);
      console.log(created.token);
    });
  people.command('list').description('the people admins created').action(async () => {
    for (const p of (await rest().request<PersonPage>('GET', '/people?limit=500')).items) console.log(`${p.id}  ${p.name}  ${p.created_at}`);
  });

  const approvals = program.command('approvals').description('approval nodes of task graphs: list, show, approve, reject (admins and participants)');
  const line = (a: ApprovalView) => `${a.id}  ${a.state.padEnd(8)} group ${a.group_id}  "${a.key}": ${a.what}${a.expires_at ? `  (expires ${a.expires_at})` : ''}`;
  approvals.command('list')
    .description('the approvals you may decide, newest first')
    .option('--all', 'decided ones too')
    .action(async (o: { all?: boolean }) => {
      const list = await rest().request<ApprovalView[]>('GET', `/approvals${o.all ? '?state=all' : ''}`);
      if (!list.length) console.log(o.all ? 'no approvals' : 'nothing waits for your decision');
      for (const a of list) console.log(line(a));
    });
  approvals.command('show <id>').description('one approval, with what it asks').action(async (id: string) => {
    const a = await rest().request<ApprovalView>('GET', `/approvals/${encodeURIComponent(id)}`);
    console.log(`${line(a)}\n\n${a.detail}${a.decided_by ? `\n\n${a.state} by ${a.decided_by}${a.comment ? `: ${a.comment}` : ''}` : ''}`);
  });
  for (const decision of ['approve', 'reject'] as const) {
    approvals.command(`${decision} <id>`)
      .description(`${decision} an approval that waits for a decision`)
      .option('--comment <text>', 'why (approved: reaches the nodes that depend on it)')
      .action(async (id: string, o: { comment?: string }) => {
        const a = await rest().request<ApprovalView>('POST', `/approvals/${encodeURIComponent(id)}`, { decision, ...(o.comment ? { comment: o.comment } : {}) });
        console.log(`approval ${a.id} ("${a.key}"): ${a.state}`);
      });
  }
}
