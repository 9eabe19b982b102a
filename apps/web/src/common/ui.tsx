import type { ReactNode } from 'react';
import { useQuery } from '@tanstack/react-query';
import type { AgentView } from '@ioa/protocol';
import { ApiFailure, get } from '../api';

/** A state or status as a coloured badge that also says its name (colour is never the only signal). */
export function Badge({ value }: { value: string }) {
  return <span className={`badge badge-${value}`}>{value.replace(/_/g, ' ')}</span>;
}

export function Progress({ value, label }: { value: number; label: string }) {
  return (
    <span className="progress">
      <progress max={1} value={value} aria-label={label} /> {Math.round(value * 100)}%
    </span>
  );
}

/** Senders that are no agent: the server itself, and an admin writing as the operator (protocol.md, "Operator control"). */
const SERVER_SENDERS = new Set(['system', 'operator']);

/** An agent by its name (read once per id); the start of its id while loading or when it cannot be read. */
export function AgentName({ id }: { id: string }) {
  const agent = !SERVER_SENDERS.has(id);
  const { data } = useQuery({ queryKey: ['agent', id], queryFn: () => get<AgentView>(`/agents/${encodeURIComponent(id)}`), staleTime: Infinity, retry: false, enabled: agent });
  return <span className="agent" title={id}>{agent ? data?.name ?? id.slice(0, 8) : id}</span>;
}

/** An agent's name and whether it is connected: the live word when one came, else its card's status. */
export function Member({ id, online }: { id: string; online?: boolean }) {
  const { data } = useQuery({ queryKey: ['agent', id], queryFn: () => get<AgentView>(`/agents/${encodeURIComponent(id)}`), staleTime: Infinity, retry: false });
  const status = online === undefined ? data?.status : online ? 'online' : 'offline';
  return <span className="member" data-testid={`member-${id}`}><AgentName id={id} />{status && <> <Badge value={status} /></>}</span>;
}

export function AgentList({ ids }: { ids: string[] }) {
  return <>{ids.map((id, i) => <span key={id}>{i > 0 && ', '}<AgentName id={id} /></span>)}</>;
}

/** What the API said when it refused, as it said it. */
export function Failure({ error }: { error: unknown }) {
  const body = error as { code?: unknown; message?: unknown } | null;
  const e = error instanceof ApiFailure ? error
    : typeof body?.code === 'string' && typeof body.message === 'string' ? new ApiFailure(body.code, body.message, 0) : new ApiFailure('ERROR', String(error), 0);
  return (
    <p className="failure" role="alert">
      <strong>{e.code}</strong> {e.message}
    </p>
  );
}

export function Loading({ what }: { what: string }) {
  return <p className="muted" role="status">Loading {what}…</p>;
}

export function Section({ title, children }: { title: string; children: ReactNode }) {
  return (
    <section aria-label={title}>
      <h2>{title}</h2>
      {children}
    </section>
  );
}
