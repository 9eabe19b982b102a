import { useEffect, useMemo, useState } from 'react';
import { useQuery } from '@tanstack/react-query';
import type { GroupView } from '@ioa/protocol';
import { get } from '../api';
import { isAdmin } from '../auth';
import { ActionButton } from '../common/action';
import { PageHeading } from '../common/heading';
import { AgentList, Badge, Failure, Loading, Member } from '../common/ui';
import { useGroupStream } from '../socket';
import { tasksOf } from './chat';
import { Answer } from './answer';
import { ChatList } from './chat-list';
import { Decision } from './decision';
import { SessionTimeline } from './timeline';

/** A group: its state, turn and members, and the live chat from the first message. */
export function GroupPage({ id }: { id: string }) {
  const stream = useGroupStream(id);
  // The turn comes live (`group_turn`); the rest (members) is read again on every change of state, and every ten
  // seconds while the group is open.
  const group = useQuery({
    queryKey: ['group', id],
    queryFn: () => get<GroupView>(`/groups/${encodeURIComponent(id)}`),
    refetchInterval: (q) => (q.state.data?.state === 'closed' ? false : 10_000),
  });
  const { refetch } = group;
  useEffect(() => void refetch(), [stream.state, refetch]);
  const tasks = useMemo(() => tasksOf(stream.messages), [stream.messages]);
  if (group.error) return <Failure error={group.error} />;
  if (stream.error) return <Failure error={{ code: stream.error.code, message: stream.error.message }} />;
  if (!group.data) return <Loading what="the group" />;
  const g = group.data;
  const state = stream.state ?? g.state;
  // The newer of the live turn and the one read with the group.
  const turn = stream.turn && stream.turn.seq >= g.seq ? { ...stream.turn, used: stream.turn.turns_used } : { ...g.turn, used: g.turns_used };
  return (
    <>
      <PageHeading title={g.goal} />
      <dl className="facts">
        <dt>State</dt><dd><Badge value={state} /></dd>
        <dt>Turns</dt><dd>{turn.used} of {g.max_turns}</dd>
        <dt>Coordinator</dt><dd><AgentList ids={[g.coordinator]} /></dd>
        <dt>Members</dt><dd className="members">{g.members.map((m) => <Member key={m} id={m} online={stream.presence[m]} />)}</dd>
        {state !== 'closed' && turn.holders.length > 0 && (
          <><dt>Turn</dt><dd data-testid="turn"><AgentList ids={turn.holders} /> <Countdown until={turn.deadline} /></dd></>
        )}
      </dl>
      {isAdmin() && state !== 'closed' && (
        <ActionButton label="Close group" method="POST" path={`/groups/${encodeURIComponent(id)}/close`} body={{ reason: 'closed from the web console' }} confirm="Close this group? Its session ends and open tasks are canceled." />
      )}
      <Answer group={g} holders={turn.holders} state={state} tasks={tasks} />
      <Decision groupId={id} />
      <SessionTimeline messages={stream.messages} />
      <h2 className="chat-head">Messages <span className="muted" data-testid="message-count">{stream.messages.length}</span></h2>
      <ChatList messages={stream.messages} tasks={tasks} />
      {!stream.messages.length && (stream.loaded ? <p className="muted">No messages yet.</p> : <Loading what="messages" />)}
    </>
  );
}

function Countdown({ until }: { until: string | null }) {
  const [now, setNow] = useState(Date.now());
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), 1000);
    return () => clearInterval(timer);
  }, []);
  if (!until) return null;
  const left = Math.max(0, Math.round((Date.parse(until) - now) / 1000));
  return <span className="muted">({left} s left)</span>;
}
