import { useState } from 'react';
import type { ErrorBody, GroupView } from '@ioa/protocol';
import { currentToken, subjectOf } from '../auth';
import { Failure } from '../common/ui';
import { useSocket } from '../socket';
import type { TaskLine } from './chat';

/** A message's id: the browser's UUID where it has one (secure pages), else a version 4 UUID from its random source. */
function messageId(): string {
  if (typeof crypto.randomUUID === 'function') return crypto.randomUUID();
  const b = crypto.getRandomValues(new Uint8Array(16));
  b[6] = (b[6] & 0x0f) | 0x40;
  b[8] = (b[8] & 0x3f) | 0x80;
  const h = [...b].map((x) => x.toString(16).padStart(2, '0')).join('');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}

/**
 * A person who is a member of the group answers here: in her turn, a message to the group (the turn returns to the
 * coordinator); for a task assigned to her, accept it, then give its result. Sent on the page's socket as the
 * protocol's own messages, so the server's policy (turn, state, task) decides as for any member.
 */
export function Answer({ group, holders, state, tasks }: { group: GroupView; holders: string[]; state: string; tasks: Map<string, TaskLine> }) {
  const me = subjectOf(currentToken() ?? '');
  if (!me || !group.humans.includes(me)) return null;
  const mine = [...tasks].filter(([, t]) => t.assignee.includes(me) && (t.status === 'submitted' || t.status === 'running'));
  const myTurn = state === 'discussion' && holders.includes(me);
  if (!myTurn && !mine.length) return <p className="muted" role="status">You are a member of this group: your turn and your tasks appear here.</p>;
  return (
    <section className="answer" aria-label="your part">
      {myTurn && <Reply groupId={group.id} label="Your turn: your answer to the group" send={(text) => ({ type: 'discussion', payload: { content: text, next_speaker: [] } })} button="Send" />}
      {mine.map(([id, t]) => (t.status === 'submitted'
        ? <Reply key={id} groupId={group.id} label={`Task "${t.abstract}"`} button="Accept" send={() => ({ type: 'task_reply', payload: { task_id: id, accept: true } })} noText />
        : <Reply key={id} groupId={group.id} label={`Task "${t.abstract}": your result`} button="Done"
          send={(text) => ({ type: 'task_result', payload: { task_id: id, status: 'completed', task_conclusion: text, task_abstract: text.slice(0, 200) } })} />))}
    </section>
  );
}

function Reply({ groupId, label, button, send, noText }: { groupId: string; label: string; button: string; send: (text: string) => { type: string; payload: object }; noText?: boolean }) {
  const socket = useSocket();
  const [text, setText] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ErrorBody | null>(null);
  const submit = async () => {
    setBusy(true);
    setError(null);
    const { type, payload } = send(text.trim());
    const ack = await socket.timeout(10_000).emitWithAck('message', { header: { protocol: 'ioa/1', message_id: messageId(), group_id: groupId, type }, payload })
      .catch(() => ({ ok: false, error: { code: 'TIMEOUT', message: 'the server did not answer' } }));
    setBusy(false);
    if (ack.ok) setText('');
    else setError(ack.error);
  };
  const id = `answer-${label.replace(/\W+/g, '-')}`;
  return (
    <form onSubmit={(e) => (e.preventDefault(), void submit())} className="reply">
      <label htmlFor={id}>{label}</label>
      {!noText && <textarea id={id} value={text} onChange={(e) => setText(e.target.value)} rows={3} required />}
      <button type="submit" disabled={busy || (!noText && !text.trim())}>{button}</button>
      {error && <Failure error={error} />}
    </form>
  );
}
