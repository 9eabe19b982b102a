import { Command } from 'commander';
import { randomUUID } from 'node:crypto';
import { ApprovalView, ErrorBody, InviteEvent, MessageAck, PersonCreated, PersonPage, PROTOCOL_VERSION } from '@ioa/protocol';
import { io, Socket } from 'socket.io-client';
import { IoAError } from '../errors';
import { RestClient } from '../rest';

/** Where the CLI talks to, and with which token. */
export interface Target {
  url: string;
  token: string;
}

/** Runs `use` on a socket of the token's holder, connected for it and closed after. */
async function onSocket<T>(target: Target, use: (socket: Socket) => Promise<T>): Promise<T> {
  const socket = io(target.url, { transports: ['websocket'], auth: { token: target.token }, reconnection: false });
  try {
    await new Promise<void>((resolve, reject) => {
      socket.once('connect', resolve);
      socket.once('connect_error', (e: Error & { data?: ErrorBody }) => reject(e.data ? new IoAError(e.data) : e));
    });
    return await use(socket);
  } finally {
    socket.close();
  }
}

/** Emits `event` and returns its ack's body, or throws its error. */
async function ask<T>(socket: Socket, event: string, body: object): Promise<T> {
  const ack = (await socket.timeout(10_000).emitWithAck(event, body)) as ({ ok: true } & T) | { ok: false; error: ErrorBody };
  if (!ack.ok) throw new IoAError(ack.error);
  return ack;
}

/** Sends one protocol message as the token's holder (a person who is a member); returns the ack. */
const send = (target: Target, groupId: string, type: string, payload: object): Promise<MessageAck> =>
  onSocket(target, (socket) => ask<MessageAck>(socket, 'message', { header: { protocol: PROTOCOL_VERSION, message_id: randomUUID(), group_id: groupId, type }, payload }));

/** How long `ioa invites` listens after connecting: pending invites are sent again at once on every connection. */
const INVITES_LISTEN_MS = 1500;

/**
 * `ioa people create|list` (admin); `ioa approvals list|show|approve|reject` (admins and participants); and for a
 * person who is a member of a group, `ioa reply` and `ioa task accept|done`.
 */
export function addPeopleCommands(program: Command, rest: () => RestClient, target: () => Target): void {
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
  const invites = program.command('invites').description('as a person: the invites into groups waiting for you (pending ones arrive on connecting)')
    .action(async () => {
      const got = await onSocket(target(), async (socket) => {
        const seen: InviteEvent[] = [];
        socket.on('invite', (e: InviteEvent) => seen.push(e));
        await new Promise((r) => setTimeout(r, INVITES_LISTEN_MS));
        return seen;
      });
      if (!got.length) console.log('no invite waits for you');
      for (const i of got) console.log(`${i.invite_id}  group ${i.group_id}  "${i.goal}"  from ${i.from}  until ${i.deadline}`);
    });
  for (const accept of [true, false]) {
    invites.command(`${accept ? 'accept' : 'decline'} <invite>`).option('--reason <text>', 'why (declining)').action(async (id: string, o: { reason?: string }) => {
      const { group_id: groupId } = await onSocket(target(), (socket) => ask<{ group_id: string }>(socket, 'invite_reply', { invite_id: id, accept, ...(o.reason ? { reason: o.reason } : {}) }));
      console.log(`invite ${id}: ${accept ? `accepted; you are a member of group ${groupId}` : 'declined'}`);
    });
  }

  program.command('reply <group> <text>')
    .description('as a person who is a member of the group: your answer in your turn (the turn returns to the coordinator unless --to)')
    .option('--to <id...>', 'members who may speak next')
    .action(async (group: string, text: string, o: { to?: string[] }) => {
      const ack = await send(target(), group, 'discussion', { content: text, next_speaker: o.to ?? [] });
      console.log(`group ${group}: said at seq ${ack.seq}`);
    });
  const task = program.command('task').description('as a person who is a member of the group: accept a task assigned to you, or give its result');
  task.command('accept <group> <task>').action(async (group: string, id: string) => {
    console.log(`task ${id}: accepted at seq ${(await send(target(), group, 'task_reply', { task_id: id, accept: true })).seq}`);
  });
  task.command('done <group> <task> <result>')
    .option('--failed', 'the task failed (the result says why)')
    .action(async (group: string, id: string, result: string, o: { failed?: boolean }) => {
      const payload = { task_id: id, status: o.failed ? 'failed' : 'completed', task_conclusion: result, task_abstract: result.slice(0, 200) };
      console.log(`task ${id}: ${payload.status} at seq ${(await send(target(), group, 'task_result', payload)).seq}`);
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
