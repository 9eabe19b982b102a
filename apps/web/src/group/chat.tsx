import type { Envelope } from '@ioa/protocol';
import type { CSSProperties, Ref } from 'react';
import { AgentList, AgentName, Badge, Progress } from '../common/ui';
import { Link } from '../router';

type Payload = Record<string, any>;

export interface TaskLine {
  abstract: string;
  assignee: string[];
  progress: number;
  status: string;
}

/** Each task of the history with its latest progress and status, from the messages themselves. */
export function tasksOf(messages: Envelope[]): Map<string, TaskLine> {
  const tasks = new Map<string, TaskLine>();
  for (const { header, payload } of messages) {
    const p = payload as Payload;
    const t = tasks.get(p.task_id);
    if (p.event === 'graph_step') graphStep(tasks, p);
    // A task graph's node that waits for others is pending until a graph_step dispatches it.
    else if (header.type === 'task_assignment') {
      for (const s of p.tasks as Payload[]) tasks.set(s.task_id, { abstract: s.task_abstract, assignee: s.assignee, progress: 0, status: s.depends_on?.length ? 'pending' : 'submitted' });
    }
    else if (t && header.type === 'task_reply') t.status = p.accept ? 'running' : 'rejected';
    else if (t && header.type === 'task_progress') t.progress = p.progress;
    else if (t && header.type === 'task_result') Object.assign(t, { status: p.status, progress: p.status === 'completed' ? 1 : t.progress });
    else if (t && header.type === 'task_cancel') t.status = 'canceled';
    // A task can also settle without a task_result: its sub-team concluded, or it failed by a deadline.
    else if (t && p.event === 'subteam_closed') Object.assign(t, { status: p.state, progress: p.state === 'completed' ? 1 : t.progress });
    else if (t && p.event === 'task_failed') t.status = 'failed';
    else if (t && p.event === 'task_suspended') t.status = 'suspended';
    else if (t && p.event === 'task_resumed') t.status = 'running';
  }
  return tasks;
}

/** A task graph moved: nodes dispatched (or run again), waiting to run again, skipped or canceled. */
function graphStep(tasks: Map<string, TaskLine>, p: Payload): void {
  const moves: Array<[Payload[] | undefined, Partial<TaskLine>]> = [
    [p.dispatched, { status: 'submitted', progress: 0 }], [p.retrying, { status: 'ready' }], [p.skipped, { status: 'skipped' }], [p.canceled, { status: 'canceled' }],
  ];
  for (const [nodes, change] of moves) for (const n of nodes ?? []) if (tasks.has(n.task_id)) Object.assign(tasks.get(n.task_id) as TaskLine, change);
}

/** One message as a line of the chat: who, what type, in which state, and its content as text (never as HTML). */
export function ChatLine({ env, tasks, ...row }: {
  env: Envelope; tasks: Map<string, TaskLine>; ref?: Ref<HTMLLIElement>; 'data-index'?: number; 'aria-setsize'?: number; 'aria-posinset'?: number; style?: CSSProperties;
}) {
  const { header } = env;
  const p = env.payload as Payload;
  const task = (id: string) => `"${tasks.get(id)?.abstract ?? id.slice(0, 8)}"`;
  return (
    <li className={`msg msg-${header.type}`} data-seq={header.seq} {...row}>
      <span className="seq">#{header.seq}</span> <time dateTime={header.timestamp}>{new Date(header.timestamp).toLocaleTimeString()}</time>{' '}
      <AgentName id={header.sender} /> <span className="type">{header.type.replace(/_/g, ' ')}</span> <span className="state">in {header.state.replace(/_/g, ' ')}</span>
      <div className="body">{body(header.type, p, task, tasks)}</div>
    </li>
  );
}

function body(type: string, p: Payload, task: (id: string) => string, tasks: Map<string, TaskLine>) {
  switch (type) {
    case 'discussion':
      return <>{p.content} <span className="muted">→ {p.next_speaker.length ? <AgentList ids={p.next_speaker} /> : 'the coordinator'}</span></>;
    case 'task_assignment':
      return (
        <ul className="tasks">
          {(p.tasks as Payload[]).map((t) => {
            const now = tasks.get(t.task_id);
            return (
              <li key={t.task_id}>
                {p.mode} task "{t.task_abstract}" → <AgentList ids={t.assignee} />{t.depends_on?.length ? <span className="muted"> after {(t.depends_on as string[]).map((k) => `"${k}"`).join(', ')}</span> : null} {now && <><Badge value={now.status} /> <Progress value={now.progress} label={`progress of ${t.task_abstract}`} /></>}
              </li>
            );
          })}
        </ul>
      );
    case 'task_reply':
      return <>{p.accept ? 'accepts' : `rejects (${p.reason ?? 'declined'})`} {task(p.task_id)}</>;
    case 'task_progress':
      return <><Progress value={p.progress} label={`progress of ${task(p.task_id)}`} /> on {task(p.task_id)}: {p.note}</>;
    case 'task_result':
      return <><Badge value={p.status} /> {task(p.task_id)}: {p.task_conclusion}</>;
    case 'pause_and_trigger':
      return <>waits for {(p.triggers as string[]).map(task).join(', ')}</>;
    case 'conclusion':
      return <strong className="conclusion">{p.summary}</strong>;
    case 'team_formation':
      return <>forms the team: {p.goal}</>;
    case 'system':
      return system(p, task);
    default:
      return <>{JSON.stringify(p)}</>;
  }
}

/** System events in words, with names and task abstracts where the server's text has ids. */
function system(p: Payload, task: (id: string) => string) {
  switch (p.event) {
    case 'subteam_formed':
      return <><AgentName id={p.coordinator} /> forms a <Link to={`/groups/${p.group_id}`}>sub-team</Link> for {task(p.task_id)}: {p.goal}</>;
    case 'subteam_closed':
      return <>the <Link to={`/groups/${p.group_id}`}>sub-team</Link> for {task(p.task_id)} closed: the task is {p.state}</>;
    case 'member_joined':
      return <><AgentName id={p.agent_id} /> joined{p.need ? ` for "${p.need}"` : ''}</>;
    case 'goal':
      return <>team complete, discussion opens: <AgentList ids={p.members} /></>;
    case 'task_suspended':
      return <>{task(p.task_id)} suspended: its assignee disconnected</>;
    case 'task_resumed':
      return <>{task(p.task_id)} resumed: its assignee is back</>;
    case 'task_failed':
      return <>{task(p.task_id)} failed: {p.reason}</>;
    case 'group_closed':
      return <>group closed: {p.reason}{p.by && p.by !== 'system' ? <> by <AgentName id={p.by} /></> : null}{p.note ? ` (${p.note})` : ''}</>;
    default:
      return <>{p.text ?? p.event}</>;
  }
}
