/** A JSON call that returns the body of a 2xx answer and throws with the server's error body otherwise. */
export type Api = <T = any>(method: string, path: string, body?: unknown) => Promise<T>;

/**
 * A tiny JSON client for the routes the SDK's RestClient does not cover (admin and observer routes).
 * @example
 * const admin = api(url, adminToken);
 * const { token } = await admin('POST', '/v1/auth/enrollments', { max_uses: 1 });
 */
export function api(base: string, token: string): Api {
  return async (method, path, body) => {
    const res = await fetch(`${base}${path}`, {
      method,
      headers: { authorization: `Bearer ${token}`, ...(body !== undefined ? { 'content-type': 'application/json' } : {}) },
      body: body === undefined ? undefined : JSON.stringify(body),
      signal: AbortSignal.timeout(10_000),
    });
    const text = await res.text();
    if (!res.ok) throw new Error(`${method} ${path}: HTTP ${res.status} ${text.slice(0, 300)}`);
    return text ? JSON.parse(text) : null;
  };
}

export const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));
