import { useState, type FormEvent } from 'react';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { IssuedToken, TokenView } from '@ioa/protocol';
import { api, get } from '../api';
import { ActionButton } from '../common/action';
import { PageHeading } from '../common/heading';
import { Badge, Failure, Loading, Section } from '../common/ui';

/** Tokens (admin): issue observer and enrollment tokens (each shown once), list them, revoke them. */
export function TokensPage() {
  const tokens = useQuery({ queryKey: ['tokens'], queryFn: () => get<TokenView[]>('/auth/tokens') });
  return (
    <>
      <PageHeading title="Tokens" />
      <IssueObserver />
      <IssueEnrollment />
      <Section title="Issued tokens">
        {tokens.error && <Failure error={tokens.error} />}
        {!tokens.data ? <Loading what="tokens" /> : (
          <table className="list">
            <caption>{tokens.data.length} tokens (secrets are never shown again)</caption>
            <thead><tr><th scope="col">Kind</th><th scope="col">Label or subject</th><th scope="col">Scope</th><th scope="col">Expires</th><th scope="col">State</th><th scope="col">Actions</th></tr></thead>
            <tbody>
              {tokens.data.map((t) => (
                <tr key={t.jti}>
                  <td>{t.kind}</td>
                  <td>{t.label ?? t.subject ?? '—'}</td>
                  <td>{t.scope ? (t.scope.all ? 'everything' : [...(t.scope.goals ?? []).map((g) => `goal ${g.slice(0, 8)}`), ...(t.scope.groups ?? []).map((g) => `group ${g.slice(0, 8)}`)].join(', ')) : t.max_uses !== null ? `${t.uses} of ${t.max_uses} uses` : '—'}</td>
                  <td>{new Date(t.expires_at).toLocaleString()}</td>
                  <td><Badge value={t.revoked_at ? 'revoked' : Date.parse(t.expires_at) < Date.now() ? 'expired' : 'active'} /></td>
                  <td>{!t.revoked_at && <ActionButton label={`Revoke ${t.kind} token ${t.jti.slice(0, 8)}`} method="POST" path={`/auth/tokens/${t.jti}/revoke`} confirm="Revoke this token? Whoever holds it loses access at once, open sockets included." />}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </Section>
    </>
  );
}

/** A newly issued secret, shown once with a copy button. */
function Issued({ token, kind }: { token: IssuedToken; kind: string }) {
  const [copied, setCopied] = useState(false);
  const copy = () => void navigator.clipboard?.writeText(token.token).then(() => setCopied(true), () => undefined);
  return (
    <div className="issued">
      <p role="status">Token issued: shown only now (expires {new Date(token.expires_at).toLocaleString()}).</p>
      <code className="secret" aria-label={`issued ${kind} token`}>{token.token}</code> <button type="button" onClick={copy} aria-label={`Copy the ${kind} token`}>{copied ? 'Copied' : 'Copy'}</button>
    </div>
  );
}

function useIssue(path: string) {
  const queries = useQueryClient();
  return useMutation({ mutationFn: (body: unknown) => api<IssuedToken>('POST', path, body), onSuccess: () => queries.invalidateQueries({ queryKey: ['tokens'] }) });
}

const hours = (v: string) => (v.trim() ? Math.round(Number(v) * 3600) : undefined);
const ids = (v: string) => v.split(/[\s,]+/).filter(Boolean);

function IssueObserver() {
  const [goals, setGoals] = useState('');
  const [groups, setGroups] = useState('');
  const [all, setAll] = useState(false);
  const [ttl, setTtl] = useState('24');
  const [label, setLabel] = useState('');
  const issue = useIssue('/auth/observer-tokens');
  const submit = (e: FormEvent) => {
    e.preventDefault();
    const scope = all ? { all: true } : { ...(ids(goals).length ? { goals: ids(goals) } : {}), ...(ids(groups).length ? { groups: ids(groups) } : {}) };
    issue.mutate({ scope, ttl_s: hours(ttl), ...(label.trim() ? { label: label.trim() } : {}) });
  };
  return (
    <Section title="Issue an observer token">
      <form className="grid-form" onSubmit={submit}>
        <label htmlFor="obs-goals">Goal ids</label><input id="obs-goals" value={goals} onChange={(e) => setGoals(e.target.value)} disabled={all} />
        <label htmlFor="obs-groups">Group ids</label><input id="obs-groups" value={groups} onChange={(e) => setGroups(e.target.value)} disabled={all} />
        <label htmlFor="obs-all">Everything</label><input id="obs-all" type="checkbox" checked={all} onChange={(e) => setAll(e.target.checked)} />
        <label htmlFor="obs-ttl">Valid for (hours)</label><input id="obs-ttl" inputMode="decimal" value={ttl} onChange={(e) => setTtl(e.target.value)} />
        <label htmlFor="obs-label">Label</label><input id="obs-label" value={label} onChange={(e) => setLabel(e.target.value)} />
        <button type="submit" disabled={issue.isPending}>Issue observer token</button>
      </form>
      {issue.error && <Failure error={issue.error} />}
      {issue.data && <Issued token={issue.data} kind="observer" />}
    </Section>
  );
}

function IssueEnrollment() {
  const [uses, setUses] = useState('1');
  const [ttl, setTtl] = useState('24');
  const issue = useIssue('/auth/enrollments');
  const submit = (e: FormEvent) => {
    e.preventDefault();
    issue.mutate({ max_uses: Number(uses), ttl_s: hours(ttl) });
  };
  return (
    <Section title="Issue an enrollment token">
      <form className="grid-form" onSubmit={submit}>
        <label htmlFor="enr-uses">Agents it may register</label><input id="enr-uses" inputMode="numeric" value={uses} onChange={(e) => setUses(e.target.value)} />
        <label htmlFor="enr-ttl">Valid for (hours)</label><input id="enr-ttl" inputMode="decimal" value={ttl} onChange={(e) => setTtl(e.target.value)} />
        <button type="submit" disabled={issue.isPending}>Issue enrollment token</button>
      </form>
      {issue.error && <Failure error={issue.error} />}
      {issue.data && <Issued token={issue.data} kind="enrollment" />}
    </Section>
  );
}
