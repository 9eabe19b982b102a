import { OPERATOR_SENDER, type Envelope } from '@ioa/protocol';
import { clip } from './timeline';

type Payload = Record<string, any>;

const UUID = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/g;

/** A progress bar: `[##########..........] 50%`. */
export const bar = (p: number) => `[${'#'.repeat(Math.round(p * 20)).padEnd(20, '.')}] ${Math.round(p * 100)}%`;

/** How the timeline names things: agents, tasks (by their abstract) and groups (root, sub1, …). */
export interface Words {
  name(id: string): string;
  task(id: string): string;
  label(groupId: string): string;
}

/** Every agent id a message mentions, so that their names are read before it is printed. */
export function idsIn(env: Envelope): string[] {
  const p = env.payload as Payload;
  const ids = [
    env.header.sender, p.coordinator, p.previous, p.agent_id, p.by, p.added, p.removed, ...(p.next_speaker ?? []), ...(p.members ?? []),
    ...(p.holders ?? []), ...(p.assignee ?? []), ...(p.tasks ?? []).flatMap((t: Payload) => t.assignee ?? []), ...idsInText(String(p.text ?? '')),
  ];
  return ids.filter((id): id is string => typeof id === 'string');
}

/** The agent ids a server-written text mentions. */
export const idsInText = (text: string): string[] => text.match(UUID) ?? [];

/** A server-written text with the agent ids in it replaced by names. */
export const named = (text: string, w: Words) => text.replace(UUID, (id) => w.name(id));

/** The lines a message prints as, in words: who did what, with names, task abstracts and progress bars. */
export function messageLines(env: Envelope, w: Words): string[] {
  const p = env.payload as Payload;
  const who = w.name(env.header.sender);
  const names = (ids: string[]) => ids.map((id) => w.name(id)).join(', ');
  switch (env.header.type) {
    case 'team_formation':
      return [`${who} forms the team by need (team formation by meaning):`];
    case 'system':
      return [env.header.sender === OPERATOR_SENDER ? `operator: "${clip(String(p.text ?? ''), 150)}"` : systemLine(p, w)];
    case 'discussion':
      return [`${who} → ${p.next_speaker.length ? names(p.next_speaker) : 'coordinator'}: "${clip(p.content)}"`];
    case 'task_assignment':
      return (p.tasks as Payload[]).map((t) => `${who} assigns ${p.mode}: ${w.task(t.task_id)} → ${t.kind === 'approval' ? "a person's approval" : names(t.assignee)}`);
    case 'task_reply':
      return [`${who} ${p.accept ? 'accepts' : `rejects (${p.reason ?? 'declined'})`} ${w.task(p.task_id)}`];
    case 'task_progress':
      return [`${who} ${bar(p.progress)} on ${w.task(p.task_id)}: ${clip(p.note ?? '', 80)}`];
    case 'task_result':
      return [`${who} result ${p.status} for ${w.task(p.task_id)}: ${clip(p.task_conclusion.replace(/\n/g, '; '), 100)}`];
    case 'task_cancel':
      return [`${who} cancels ${w.task(p.task_id)}${p.reason ? `: ${clip(p.reason, 80)}` : ''}`];
    case 'task_reassign':
      return [`${who} reassigns ${w.task(p.task_id)} → ${names(p.assignee)}`];
    case 'pause_and_trigger':
      return [`${who} pause_and_trigger: discussion waits for ${(p.triggers as string[]).map((id) => w.task(id)).join(', ')}`];
    case 'conclusion':
      return [`${who} conclusion: "${clip(p.summary, 150)}"`];
    default:
      return [`${who} ${env.header.type} ${clip(named(JSON.stringify(p), w), 80)}`];
  }
}

function systemLine(p: Payload, w: Words): string {
  const names = (ids: string[]) => ids.map((id) => w.name(id)).join(', ');
  switch (p.event) {
    case 'subteam_formed':
      return `${w.name(p.coordinator)} forms sub-team ${w.label(p.group_id)} for ${w.task(p.task_id)}: "${clip(p.goal, 80)}"`;
    case 'member_joined':
      return `${w.name(p.agent_id)} joined${p.need ? ` for "${p.need}"` : ''}`;
    case 'member_invited':
      return `${w.name(p.by)} invites ${w.name(p.agent_id)} to join`;
    case 'invite_declined':
      return `${w.name(p.agent_id)} declined to join: ${p.reason}`;
    case 'members_changed':
      return p.added ? `${w.name(p.added)} joined (${w.name(p.by)})` : `${w.name(p.removed)} left (${w.name(p.by)})`;
    case 'turn_timeout':
      return `${names(p.holders)} let the turn time out; it returns to the coordinator`;
    case 'coordinator_changed':
      return `${w.name(p.previous)} let the turn time out as coordinator: ${w.name(p.coordinator)} coordinates now`;
    case 'task_suspended':
      return `${w.task(p.task_id)} suspended: its assignee disconnected`;
    case 'task_resumed':
      return `${w.task(p.task_id)} resumed: its assignee is back`;
    case 'task_failed':
      return `${w.task(p.task_id)} failed: ${p.reason}`;
    case 'goal':
      return `team complete, discussion opens: ${names(p.members)} (coordinator ${w.name(p.coordinator)})`;
    case 'tasks_settled':
      return `${p.text}: ${(p.results as Payload[]).map((r) => `${w.task(r.task_id)} ${r.state}`).join(', ')}`;
    case 'subteam_closed':
      return `sub-team ${w.label(p.group_id)} concluded, which settles ${w.task(p.task_id)}: ${p.state}`;
    case 'group_closed':
      return `group closed: ${p.reason}${p.by && p.by !== 'system' ? ` by ${w.name(p.by)}` : ''}`;
    default:
      return `system: ${clip(named(String(p.text ?? p.event), w))}`;
  }
}
