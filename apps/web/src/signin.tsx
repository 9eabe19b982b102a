import { useState, type FormEvent } from 'react';

/** Sign-in with an admin or observer token; it is kept in this tab's sessionStorage only. */
export function SignIn({ onSignIn, refused }: { onSignIn: (token: string) => void; refused?: string | null }) {
  const [token, setToken] = useState('');
  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (token.trim()) onSignIn(token.trim());
  };
  return (
    <main className="signin">
      <h1>ioa console</h1>
      {refused && <p className="failure" role="alert">The server refused the token ({refused}). Sign in again.</p>}
      <form onSubmit={submit}>
        <label htmlFor="token">Admin, observer or participant token</label>
        <input id="token" type="password" autoComplete="off" value={token} onChange={(e) => setToken(e.target.value)} required />
        <button type="submit">Sign in</button>
      </form>
      <p className="muted">
        The admin token is in the server's data directory (<code>data/admin.token</code>); an admin issues observer tokens with
        <code> ioa token create --role observer --goal &lt;id&gt;</code>. The token stays in this tab only.
      </p>
    </main>
  );
}
