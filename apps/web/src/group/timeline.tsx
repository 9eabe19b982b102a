import type { Envelope } from '@ioa/protocol';

type Payload = Record<string, any>;

interface Span {
  from: number;
  to: number;
  label: string;
}

/** The states as runs over time (a message's state lasts until the next message), the tasks as spans, the sub-teams as marks. */
export function timelineOf(messages: Envelope[], now: number) {
  const at = (m: Envelope) => Date.parse(m.header.timestamp);
  const states: (Span & { state: string })[] = [];
  const tasks = new Map<string, Span>();
  const subteams: { at: number; goal: string }[] = [];
  const end = messages.length && messages.at(-1)!.payload.event === 'group_closed' ? at(messages.at(-1)!) : now;
  for (const m of messages) {
    const t = at(m);
    const p = m.payload as Payload;
    const last = states.at(-1);
    if (last) last.to = t;
    if (last?.state !== m.header.state) states.push({ state: m.header.state, from: t, to: end, label: m.header.state.replace(/_/g, ' ') });
    if (m.header.type === 'task_assignment') for (const s of p.tasks as Payload[]) tasks.set(s.task_id, { from: t, to: end, label: s.task_abstract });
    if (['task_result', 'task_cancel'].includes(m.header.type) && tasks.has(p.task_id)) tasks.get(p.task_id)!.to = t;
    if (p.event === 'subteam_formed') subteams.push({ at: t, goal: p.goal });
  }
  if (states.length) states.at(-1)!.to = end;
  return { states, tasks: [...tasks.values()], subteams, start: messages.length ? at(messages[0]) : now, end };
}

const W = 1000;
const ROW = 22;

/** The session as a picture: time left to right, the states as coloured bands that also carry their names, tasks below. */
export function SessionTimeline({ messages }: { messages: Envelope[] }) {
  const { states, tasks, subteams, start, end } = timelineOf(messages, Date.now());
  if (!states.length) return null;
  const x = (t: number) => ((t - start) / Math.max(1, end - start)) * W;
  const height = ROW * (2 + tasks.length);
  const seconds = Math.round((end - start) / 1000);
  return (
    <figure className="timeline">
      <svg viewBox={`0 0 ${W} ${height}`} role="img" aria-label={`session timeline over ${seconds} s: ${states.map((s) => s.label).join(', then ')}`}>
        {states.map((s, i) => (
          <g key={i} className={`band band-${s.state}`}>
            <rect x={x(s.from)} y={0} width={Math.max(1, x(s.to) - x(s.from))} height={ROW} />
            {x(s.to) - x(s.from) > s.label.length * 7 && <text x={x(s.from) + 4} y={ROW - 7}>{s.label}</text>}
            <title>{`${s.label}: ${((s.to - s.from) / 1000).toFixed(1)} s`}</title>
          </g>
        ))}
        {subteams.map((s, i) => (
          <g key={i} className="subteam-mark"><line x1={x(s.at)} x2={x(s.at)} y1={0} y2={height} /><title>{`sub-team formed: ${s.goal}`}</title></g>
        ))}
        {tasks.map((t, i) => (
          <g key={i} className="task-span">
            <rect x={x(t.from)} y={ROW * (i + 1.5)} width={Math.max(2, x(t.to) - x(t.from))} height={ROW - 6} />
            <text x={x(t.from) + 4} y={ROW * (i + 2.5) - 9}>{t.label}</text>
            <title>{`task "${t.label}": ${((t.to - t.from) / 1000).toFixed(1)} s`}</title>
          </g>
        ))}
      </svg>
      <figcaption className="muted">
        {seconds} s · {[...new Set(states.map((s) => s.state))].map((state) => <span key={state} className={`legend legend-${state}`}>{state.replace(/_/g, ' ')}</span>)}
      </figcaption>
    </figure>
  );
}
