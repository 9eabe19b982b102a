import { useState, type FormEvent } from 'react';
import { useQuery } from '@tanstack/react-query';
import type { AgentPage, ContactView, SearchResponse } from '@ioa/protocol';
import { api, get } from '../api';
import { ActionButton } from '../common/action';
import { PageHeading } from '../common/heading';
import { AgentName, Badge, Failure, Loading, Section } from '../common/ui';

/** The registry (admin): search by meaning as team formation sees it, and every agent with its status. */
export function RegistryPage() {
  const [query, setQuery] = useState('');
  const [asked, setAsked] = useState('');
  const search = useQuery({ queryKey: ['search', asked], queryFn: () => api<SearchResponse>('POST', '/agents/search', { query: asked, top_k: 10 }), enabled: asked !== '' });
  const agents = useQuery({ queryKey: ['agents'], queryFn: () => get<AgentPage>('/agents?limit=100') });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    setAsked(query.trim());
  };
  return (
    <>
      <PageHeading title="Registry" />
      <form className="search" onSubmit={submit} role="search">
        <label htmlFor="query">Find agents by meaning</label>
        <input id="query" value={query} onChange={(e) => setQuery(e.target.value)} placeholder="e.g. translate a letter into Spanish" />
        <button type="submit">Search</button>
      </form>
      {search.error && <Failure error={search.error} />}
      {search.data && (
        <table className="list">
          <caption>Ranked for "{asked}" (scores are relative within this list)</caption>
          <thead><tr><th scope="col">Rank</th><th scope="col">Agent</th><th scope="col">Score</th><th scope="col">Matched</th><th scope="col">Status</th></tr></thead>
          <tbody>
            {search.data.results.map((r, i) => (
              <tr key={r.agent.id}><td>{i + 1}</td><td>{r.agent.name}</td><td>{r.score.toFixed(3)}</td><td>{r.matched}</td><td><Badge value={r.agent.status} /></td></tr>
            ))}
          </tbody>
        </table>
      )}
      <Section title="Agents">
        {agents.error && <Failure error={agents.error} />}
        {!agents.data ? <Loading what="agents" /> : !agents.data.items.length ? <p className="muted">No agents registered yet.</p> : (
          <table className="list">
            <caption>{agents.data.total} agents</caption>
            <thead><tr><th scope="col">Name</th><th scope="col">Status</th><th scope="col">Capabilities</th><th scope="col">Last seen</th><th scope="col">Actions</th></tr></thead>
            <tbody>
              {agents.data.items.map((a) => (
                <tr key={a.id}>
                  <td title={a.description}>{a.name}{a.coordinates ? ' (coordinates)' : ''}<Contacts agentId={a.id} /></td>
                  <td><Badge value={a.status} /></td>
                  <td>{a.capabilities.map((c) => c.name).join(', ') || '—'}</td>
                  <td>{a.last_seen ? new Date(a.last_seen).toLocaleString() : 'never'}</td>
                  <td>
                    {a.status === 'disabled'
                      ? <ActionButton label={`Enable ${a.name}`} method="POST" path={`/agents/${a.id}/enable`} />
                      : <ActionButton label={`Disable ${a.name}`} method="POST" path={`/agents/${a.id}/disable`} confirm={`Disable ${a.name}? Its tokens are revoked at once; it is no longer found or invited until an admin enables it and issues new credentials.`} />}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </Section>
    </>
  );
}

/** An agent's past collaborators and how their shared tasks went, read when opened. */
function Contacts({ agentId }: { agentId: string }) {
  const [open, setOpen] = useState(false);
  const contacts = useQuery({ queryKey: ['contacts', agentId], queryFn: () => get<ContactView[]>(`/agents/${encodeURIComponent(agentId)}/contacts`), enabled: open });
  return (
    <details className="contacts" onToggle={(e) => setOpen(e.currentTarget.open)}>
      <summary>contacts</summary>
      {contacts.error ? <Failure error={contacts.error} /> : !contacts.data ? <Loading what="contacts" /> : !contacts.data.length ? <p className="muted">No past collaborators.</p> : (
        <ul>
          {contacts.data.map((c) => (
            <li key={c.agent_id}><AgentName id={c.agent_id} />: {c.groups} groups, {c.completed_tasks} tasks completed, {c.failed_tasks} failed</li>
          ))}
        </ul>
      )}
    </details>
  );
}
