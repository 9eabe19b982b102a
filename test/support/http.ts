/** A tiny JSON client for the e2e tests: returns status and body, never throws on HTTP errors. */
export interface Reply<T = any> {
  status: number;
  body: T;
}

export function api(base: string) {
  return async function call<T = any>(method: string, path: string, token?: string | null, body?: unknown): Promise<Reply<T>> {
    const res = await fetch(`${base}${path}`, {
      method,
      headers: { ...(token ? { authorization: `Bearer ${token}` } : {}), ...(body !== undefined ? { 'content-type': 'application/json' } : {}) },
      body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
    });
    const text = await res.text();
    let parsed: unknown = text;
    try {
      parsed = text ? JSON.parse(text) : null;
    } catch {
      /* keep text */
    }
    return { status: res.status, body: parsed as T };
  };
}
