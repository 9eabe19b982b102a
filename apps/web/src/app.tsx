import { useQueryClient } from '@tanstack/react-query';
import { useCallback, useEffect, useState } from 'react';
import { ApiFailure } from './api';
import { TokensPage } from './admin/tokens-page';
import { ApprovalsPage } from './approvals/approvals-page';
import { currentToken, roleOf, signIn, signOut } from './auth';
import { GoalPage } from './goals/goal-page';
import { GoalsPage } from './goals/goals-page';
import { GroupPage } from './group/group-page';
import { Invites } from './group/invites';
import { RegistryPage } from './registry/registry-page';
import { Link, usePath } from './router';
import { SignIn } from './signin';
import { SocketProvider, useConnected, useGoalEvents } from './socket';

export function App() {
  const queries = useQueryClient();
  const [token, setToken] = useState(currentToken());
  const [refused, setRefused] = useState<string | null>(null);
  // Nothing read with one token is shown to the next: the cache goes with the session.
  const change = useCallback((next: string | null, why: string | null = null) => {
    queries.clear();
    if (next) signIn(next);
    else signOut();
    setRefused(why);
    setToken(next);
  }, [queries]);
  const refusedBySocket = useCallback((why: string) => change(null, why), [change]);
  // A token the API refuses (expired, revoked) ends the session, and the sign-in form says why.
  useEffect(() => queries.getQueryCache().subscribe((e) => {
    const error = e.query.state.error;
    // Not from inside the cache's own notification: the session ends right after it.
    if (e.type === 'updated' && error instanceof ApiFailure && error.code === 'UNAUTHORIZED') queueMicrotask(() => change(null, `${error.code}: ${error.message}`));
  }), [queries, change]);
  if (!token) return <SignIn refused={refused} onSignIn={(t) => change(t)} />;
  return (
    <SocketProvider token={token} onRefused={refusedBySocket}>
      <Shell role={roleOf(token)} onSignOut={() => change(null)} />
    </SocketProvider>
  );
}

function Shell({ role, onSignOut }: { role: string; onSignOut: () => void }) {
  const connected = useConnected();
  const queries = useQueryClient();
  useGoalEvents(useCallback((goal) => {
    void queries.invalidateQueries({ queryKey: ['goals'] });
    void queries.invalidateQueries({ queryKey: ['goal', goal.id] });
  }, [queries]));
  return (
    <>
      <header className="top">
        <nav aria-label="main">
          <Link to="/" className="brand">ioa</Link> <Link to="/goals">Goals</Link>
          {(role === 'admin' || role === 'participant') && <Link to="/approvals">Approvals</Link>}
          {role === 'admin' && <><Link to="/registry">Registry</Link> <Link to="/tokens">Tokens</Link></>}
        </nav>
        <span className="muted">signed in as {role}</span> <button type="button" onClick={onSignOut}>Sign out</button>
      </header>
      {!connected && <p className="banner" role="status">Connection lost: reconnecting…</p>}
      <main>
        {role === 'participant' && <Invites />}
        <Route />
      </main>
    </>
  );
}

function Route() {
  const path = usePath();
  const [, first, id] = path.split('/');
  // Keyed by id: another goal or group is a new page, with nothing (messages, scroll, sizes) carried over.
  if (first === 'goals' && id) return <GoalPage key={id} id={decodeURIComponent(id)} />;
  if (first === 'groups' && id) return <GroupPage key={id} id={decodeURIComponent(id)} />;
  if (!first || first === 'goals') return <GoalsPage />;
  if (first === 'registry') return <RegistryPage />;
  if (first === 'tokens') return <TokensPage />;
  if (first === 'approvals') return <ApprovalsPage />;
  return <p className="failure">No page at {path}.</p>;
}
