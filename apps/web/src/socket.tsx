import type { ApprovalView, Envelope, ErrorBody, GoalView, GroupState, GroupTurnEvent } from '@ioa/protocol';
import { createContext, useContext, useEffect, useMemo, useReducer, useState, type ReactNode } from 'react';
import { io, type Socket } from 'socket.io-client';

const SocketContext = createContext<Socket | null>(null);

/** One socket for the signed-in session, on the page's own origin; closed when the session ends. */
export function SocketProvider({ token, onRefused, children }: { token: string; onRefused: (why: string) => void; children: ReactNode }) {
  // Made during render but connected by the effect, so that rendering twice (StrictMode) opens nothing twice.
  const socket = useMemo(() => io({ transports: ['websocket'], auth: { token }, reconnectionDelayMax: 3000, autoConnect: false }), [token]);
  useEffect(() => {
    // A server that shuts down closes sockets itself, and socket.io does not reconnect those on its own.
    const again = (reason: string) => reason === 'io server disconnect' && socket.connect();
    // A handshake refused for the token (revoked, expired) will be refused again: the session is over.
    const refused = (e: Error & { data?: ErrorBody }) => e.data && ['UNAUTHORIZED', 'FORBIDDEN'].includes(e.data.code) && onRefused(`${e.data.code}: ${e.data.message}`);
    socket.on('disconnect', again);
    socket.on('connect_error', refused);
    socket.connect();
    return () => {
      socket.off('disconnect', again);
      socket.off('connect_error', refused);
      socket.disconnect();
    };
  }, [socket, onRefused]);
  return <SocketContext.Provider value={socket}>{children}</SocketContext.Provider>;
}

export function useSocket(): Socket {
  const socket = useContext(SocketContext);
  if (!socket) throw new Error('useSocket outside SocketProvider');
  return socket;
}

/** Whether the socket is connected now (false while it reconnects). */
export function useConnected(): boolean {
  const socket = useSocket();
  const [connected, setConnected] = useState(socket.connected);
  useEffect(() => {
    const on = () => setConnected(true);
    const off = () => setConnected(false);
    socket.on('connect', on);
    socket.on('disconnect', off);
    setConnected(socket.connected);
    return () => {
      socket.off('connect', on);
      socket.off('disconnect', off);
    };
  }, [socket]);
  return connected;
}

export interface GroupStream {
  messages: Envelope[];
  state: GroupState | null;
  /** The latest `group_turn`: who holds the turn, until when, turns used (null until the turn first moves). */
  turn: GroupTurnEvent | null;
  /** The history up to the subscription is all here (`replayed` came). */
  loaded: boolean;
  /** Members seen connecting or leaving since the page opened (`member_presence`). */
  presence: Record<string, boolean>;
  error: ErrorBody | null;
}

type Action =
  | { kind: 'messages'; envs: Envelope[] } | { kind: 'state'; state: GroupState } | { kind: 'turn'; turn: GroupTurnEvent }
  | { kind: 'loaded' } | { kind: 'presence'; agent: string; online: boolean } | { kind: 'error'; error: ErrorBody | null } | { kind: 'reset' };

const EMPTY: GroupStream = { messages: [], state: null, turn: null, loaded: false, presence: {}, error: null };

function reduce(s: GroupStream, a: Action): GroupStream {
  switch (a.kind) {
    case 'messages': {
      const closed = a.envs.some((e) => e.header.type === 'system' && e.payload.event === 'group_closed');
      return { ...s, messages: s.messages.concat(a.envs), state: closed ? 'closed' : s.state };
    }
    case 'state':
      return { ...s, state: a.state };
    case 'turn':
      return { ...s, turn: a.turn };
    case 'loaded':
      return { ...s, loaded: true };
    case 'presence':
      return { ...s, presence: { ...s.presence, [a.agent]: a.online } };
    case 'error':
      return { ...s, error: a.error };
    case 'reset':
      return EMPTY;
  }
}

/**
 * A group's messages from seq 1, then live: subscribes with `after_seq` = the last seq held, again after every
 * reconnection (rooms belong to sockets), so a network drop or a server restart loses nothing and doubles nothing.
 */
export function useGroupStream(groupId: string): GroupStream {
  const socket = useSocket();
  const [stream, dispatch] = useReducer(reduce, EMPTY);
  useEffect(() => {
    dispatch({ kind: 'reset' });
    let lastSeq = 0;
    // Messages count only once this subscription is acknowledged: what arrives before its ack is the tail of an
    // earlier replay (this group's, left a moment ago and come back to), which would otherwise skip the seqs below it.
    let acked = false;
    let stopped = false;
    let retry: ReturnType<typeof setTimeout> | null = null;
    // A replay arrives as thousands of events at once: they are handed to React in one batch per 30 ms.
    let batch: Envelope[] = [];
    let timer: ReturnType<typeof setTimeout> | null = null;
    const flush = () => {
      timer = null;
      dispatch({ kind: 'messages', envs: batch });
      batch = [];
    };
    const onMessage = (env: Envelope) => {
      // A replay after a reconnection starts after the last seq held: anything at or below it is a duplicate.
      if (!acked || env.header.group_id !== groupId || env.header.seq <= lastSeq) return;
      lastSeq = env.header.seq;
      batch.push(env);
      timer ??= setTimeout(flush, 30);
    };
    const onState = (e: { group_id: string; state: GroupState }) => e.group_id === groupId && dispatch({ kind: 'state', state: e.state });
    const onTurn = (turn: GroupTurnEvent) => turn.group_id === groupId && dispatch({ kind: 'turn', turn });
    const onPresence = (e: { group_id: string; agent_id: string; online: boolean }) =>
      e.group_id === groupId && dispatch({ kind: 'presence', agent: e.agent_id, online: e.online });
    const onReplayed = (e: { group_id: string }) => {
      if (e.group_id !== groupId || !acked) return;
      if (timer) {
        clearTimeout(timer);
        flush();
      }
      dispatch({ kind: 'loaded' });
    };
    // Not now (a replay of this group still running, the group being reloaded, a burst): again, with backoff.
    const subscribe = (attempt = 0) => {
      acked = false;
      socket.emit('subscribe', { group_id: groupId, after_seq: lastSeq }, (ack: { ok: true; state: GroupState } | { ok: false; error: ErrorBody }) => {
        if (stopped) return;
        if (ack.ok) {
          acked = true;
          dispatch({ kind: 'error', error: null });
          dispatch({ kind: 'state', state: ack.state });
        } else if (['CONFLICT', 'UNAVAILABLE', 'RATE_LIMITED'].includes(ack.error.code) && attempt < 8) {
          retry = setTimeout(() => subscribe(attempt + 1), Math.min(200 * 2 ** attempt, 5000));
        } else {
          dispatch({ kind: 'error', error: ack.error });
        }
      });
    };
    const handlers: Record<string, Parameters<Socket['on']>[1]> = {
      message: onMessage, group_state: onState, group_turn: onTurn, member_presence: onPresence, replayed: onReplayed, connect: () => subscribe(),
    };
    for (const [event, handler] of Object.entries(handlers)) socket.on(event, handler);
    if (socket.connected) subscribe();
    return () => {
      stopped = true;
      if (timer) clearTimeout(timer);
      if (retry) clearTimeout(retry);
      for (const [event, handler] of Object.entries(handlers)) socket.off(event, handler);
      if (socket.connected) socket.emit('unsubscribe', { group_id: groupId }, () => undefined);
    };
  }, [socket, groupId]);
  return stream;
}

/** Goals as they change (`goal_changed`, for admins and observers of goals): the views reading them read again. */
export function useGoalEvents(onChange: (goal: GoalView) => void): void {
  const socket = useSocket();
  useEffect(() => {
    socket.on('goal_changed', onChange);
    return () => void socket.off('goal_changed', onChange);
  }, [socket, onChange]);
}

/** Calls `onChange` on every `approval` event (sent to admins and to the people who may decide it). */
export function useApprovalEvents(onChange: (approval: ApprovalView) => void): void {
  const socket = useSocket();
  useEffect(() => {
    socket.on('approval', onChange);
    return () => void socket.off('approval', onChange);
  }, [socket, onChange]);
}
