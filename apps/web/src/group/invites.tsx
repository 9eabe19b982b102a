import { useEffect, useState } from 'react';
import type { ErrorBody, InviteEvent } from '@ioa/protocol';
import { Failure } from '../common/ui';
import { Link } from '../router';
import { useSocket } from '../socket';

/**
 * A person's invites into groups (a coordinator invited her by id): they arrive on her socket, again on every
 * connection while pending, and she accepts or declines them here with `invite_reply`.
 */
export function Invites() {
  const socket = useSocket();
  const [invites, setInvites] = useState<InviteEvent[]>([]);
  const [error, setError] = useState<ErrorBody | null>(null);
  useEffect(() => {
    const add = (e: InviteEvent) => setInvites((all) => (all.some((i) => i.invite_id === e.invite_id) ? all : [...all, e]));
    socket.on('invite', add);
    return () => void socket.off('invite', add);
  }, [socket]);
  if (!invites.length) return null;
  const reply = async (invite: InviteEvent, accept: boolean) => {
    const ack = await socket.timeout(10_000).emitWithAck('invite_reply', { invite_id: invite.invite_id, accept })
      .catch(() => ({ ok: false, error: { code: 'TIMEOUT', message: 'the server did not answer' } }));
    setError(ack.ok ? null : ack.error);
    setInvites((all) => all.filter((i) => i.invite_id !== invite.invite_id));
  };
  return (
    <section className="answer" aria-label="invites">
      {invites.map((i) => (
        <p key={i.invite_id}>
          You are invited into <Link to={`/groups/${i.group_id}`}>a group</Link> working on “{i.goal}” (answer by {new Date(i.deadline).toLocaleString()}).{' '}
          <button type="button" onClick={() => void reply(i, true)}>Accept</button>{' '}
          <button type="button" onClick={() => void reply(i, false)}>Decline</button>
        </p>
      ))}
      {error && <Failure error={error} />}
    </section>
  );
}
