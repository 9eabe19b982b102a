// The token lives in sessionStorage only (never localStorage, a query string or a log): it arrives in the URL
// fragment (`#token=…`, which browsers do not send to the server) or through the sign-in form.
const KEY = 'ioa.token';

export type Role = 'admin' | 'observer' | 'agent' | 'participant';

/** Moves a token from the URL fragment into sessionStorage and removes it from the address bar. */
export function takeTokenFromFragment(): void {
  const match = /(?:^#|&)token=([^&]+)/.exec(window.location.hash);
  if (!match) return;
  // Out of the address bar in any case; a fragment that does not decode is no token (the sign-in form shows).
  window.history.replaceState(null, '', window.location.pathname + window.location.search);
  try {
    sessionStorage.setItem(KEY, decodeURIComponent(match[1]));
  } catch {
    sessionStorage.removeItem(KEY);
  }
}

export const currentToken = (): string | null => sessionStorage.getItem(KEY);

/** Whether the signed-in token is the admin's: the page then offers admin views and actions. */
export const isAdmin = (): boolean => roleOf(currentToken() ?? '') === 'admin';

export function signIn(token: string): void {
  sessionStorage.setItem(KEY, token.trim());
}

export function signOut(): void {
  sessionStorage.removeItem(KEY);
}

/**
 * The role a token says it has, for what the page offers (the API decides what it allows): observer, participant and agent tokens
 * are JWTs with a `role` claim; the admin token is an opaque secret.
 */
export function roleOf(token: string): Role {
  const parts = token.split('.');
  if (parts.length !== 3) return 'admin';
  try {
    const claims = JSON.parse(atob(parts[1].replace(/-/g, '+').replace(/_/g, '/'))) as { role?: string };
    return claims.role === 'observer' || claims.role === 'agent' || claims.role === 'participant' ? claims.role : 'admin';
  } catch {
    return 'admin';
  }
}

/** The subject a token names (an agent's or a person's id), or null for the admin token and anything unreadable. */
export function subjectOf(token: string): string | null {
  const parts = token.split('.');
  if (parts.length !== 3) return null;
  try {
    return (JSON.parse(atob(parts[1].replace(/-/g, '+').replace(/_/g, '/'))) as { sub?: string }).sub ?? null;
  } catch {
    return null;
  }
}
