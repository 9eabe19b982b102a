import { useState } from 'react';
import { TokensPage } from './admin/tokens-page';
import { currentToken, roleOf, signIn, signOut } from './auth';
import { GoalPage } from './goals/goal-page';
import { GoalsPage } from './goals/goals-page';
import { GroupPage } from './group/group-page';
import { RegistryPage } from './registry/registry-page';
import { Link, usePath } from './router';
import { SignIn } from './signin';
import { SocketProvider, useConnected } from './socket';

export function App() {
  const [token, setToken] = useState(currentToken());
  if (!token) return <SignIn onSignIn={(t) => (signIn(t), setToken(t))} />;
  return (
    <SocketProvider token={token}>
      <Shell role={roleOf(token)} onSignOut={() => (signOut(), setToken(null))} />
    </SocketProvider>
  );
}

function Shell({ role, onSignOut }: { role: string; onSignOut: () => void }) {
  const connected = useConnected();
  return (
    <>
      <header className="top">
        <nav aria-label="main">
          <Link to="/" className="brand">ioa</Link> <Link to="/goals">Goals</Link>
          {role === 'admin' && <><Link to="/registry">Registry</Link> <Link to="/tokens">Tokens</Link></>}
        </nav>
        <span className="muted">signed in as {role}</span> <button type="button" onClick={onSignOut}>Sign out</button>
      </header>
      {!connected && <p className="banner" role="status">Connection lost: reconnecting…</p>}
      <main>
        <Route />
      </main>
    </>
  );
}

function Route() {
  const path = usePath();
  const [, first, id] = path.split('/');
  if (first === 'goals' && id) return <GoalPage id={id} />;
  if (first === 'groups' && id) return <GroupPage id={id} />;
  if (!first || first === 'goals') return <GoalsPage />;
  if (first === 'registry') return <RegistryPage />;
  if (first === 'tokens') return <TokensPage />;
  return <p className="failure">No page at {path}.</p>;
}
