import type { Envelope, ErrorBody, GroupState, GroupTurnEvent } from '@ioa/protocol';
import { createContext, useContext, useEffect, useMemo, useReducer, useState, type ReactNode } from 'react';
import { io, type Socket } from 'socket.io-client';

const SocketContext = createContext<Socket | null>(null);

/** One socket for the signed-in session, on the page's own origin; closed when the session ends. */
export function SocketProvider({ token, children }: { token: string; children: ReactNode }) {
  const socket = useMemo(() => io({ transports: ['websocket'], auth: { token }, reconnectionDelayMax: 3000 }), [token]);
  useEffect(() => {
    // A server that shuts down closes sockets itself, and socket.io does not reconnect those on its own.
    const again = (reason: string) => reason === 'io server disconnect' && socket.connect();
    socket.on('disconnect', again);
    return () => {
      socket.off('disconnect', again);
      socket.close();
    };
  }, [socket]);
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
  error: ErrorBody | null;
}

type Action =
  | { kind: 'messages'; envs: Envelope[] } | { kind: 'state'; state: GroupState } | { kind: 'turn'; turn: GroupTurnEvent }
  | { kind: 'error'; error: ErrorBody } | { kind: 'reset' };

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
    case 'error':
      return { ...s, error: a.error };
    case 'reset':
      return { messages: [], state: null, turn: null, error: null };
  }
}

/**
 * A group's messages from seq 1, then live: subscribes with `after_seq` = the last seq held, again after every
 * reconnection (rooms belong to sockets), so a network drop or a server restart loses nothing and doubles nothing.
 */
export function useGroupStream(groupId: string): GroupStream {
  const socket = useSocket();
  const [stream, dispatch] = useReducer(reduce, { messages: [], state: null, turn: null, error: null });
  useEffect(() => {
    dispatch({ kind: 'reset' });
    let lastSeq = 0;
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
      if (env.header.group_id !== groupId || env.header.seq <= lastSeq) return;
      lastSeq = env.header.seq;
      batch.push(env);
      timer ??= setTimeout(flush, 30);
    };
    const onState = (e: { group_id: string; state: GroupState }) => e.group_id === groupId && dispatch({ kind: 'state', state: e.state });
    const onTurn = (turn: GroupTurnEvent) => turn.group_id === groupId && dispatch({ kind: 'turn', turn });
    const subscribe = () =>
      socket.emit('subscribe', { group_id: groupId, after_seq: lastSeq }, (ack: { ok: true; state: GroupState } | { ok: false; error: ErrorBody }) =>
        dispatch(ack.ok ? { kind: 'state', state: ack.state } : { kind: 'error', error: ack.error }),
      );
    socket.on('message', onMessage);
    socket.on('group_state', onState);
    socket.on('group_turn', onTurn);
    socket.on('connect', subscribe);
    if (socket.connected) subscribe();
    return () => {
      if (timer) clearTimeout(timer);
      socket.off('message', onMessage);
      socket.off('group_state', onState);
      socket.off('group_turn', onTurn);
      socket.off('connect', subscribe);
      if (socket.connected) socket.emit('unsubscribe', { group_id: groupId }, () => undefined);
    };
  }, [socket, groupId]);
  return stream;
}
