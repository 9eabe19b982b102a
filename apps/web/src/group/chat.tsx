import type { Envelope } from '@ioa/protocol';
import type { CSSProperties, Ref } from 'react';
import { AgentList, AgentName, Badge, Progress } from '../common/ui';

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
    if (header.type === 'task_assignment') for (const s of p.tasks as Payload[]) tasks.set(s.task_id, { abstract: s.task_abstract, assignee: s.assignee, progress: 0, status: 'submitted' });
    else if (t && header.type === 'task_reply') t.status = p.accept ? 'running' : 'rejected';
    else if (t && header.type === 'task_progress') t.progress = p.progress;
    else if (t && header.type === 'task_result') Object.assign(t, { status: p.status, progress: p.status === 'completed' ? 1 : t.progress });
  }
  return tasks;
}

/** One message as a line of the chat: who, what type, in which state, and its content as text (never as HTML). */
export function ChatLine({ env, tasks, ...row }: { env: Envelope; tasks: Map<string, TaskLine>; ref?: Ref<HTMLLIElement>; 'data-index'?: number; style?: CSSProperties }) {
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
                {p.mode} task "{t.task_abstract}" → <AgentList ids={t.assignee} /> {now && <><Badge value={now.status} /> <Progress value={now.progress} label={`progress of ${t.task_abstract}`} /></>}
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
      return <>{p.text ?? p.event}</>;
    default:
      return <>{JSON.stringify(p)}</>;
  }
}
