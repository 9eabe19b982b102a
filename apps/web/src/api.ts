import type { ErrorBody } from '@ioa/protocol';
import { currentToken } from './auth';

/** A refused call: the server's error code and message, shown as they are. */
export class ApiFailure extends Error {
  constructor(readonly code: string, message: string, readonly status: number) {
    super(message);
  }
}

/** One JSON call to the REST API under `/v1`, with the session's token. */
export async function api<T>(method: string, path: string, body?: unknown): Promise<T> {
  let res: Response;
  try {
    res = await fetch(`/v1${path}`, {
      method,
      headers: { authorization: `Bearer ${currentToken() ?? ''}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  } catch {
    throw new ApiFailure('UNREACHABLE', 'the server cannot be reached', 0);
  }
  const text = await res.text();
  if (!res.ok) {
    const error = (JSON.parse(text || '{}') as { error?: ErrorBody }).error;
    throw new ApiFailure(error?.code ?? `HTTP_${res.status}`, error?.message ?? res.statusText, res.status);
  }
  return (text ? JSON.parse(text) : null) as T;
}

export const get = <T>(path: string) => api<T>('GET', path);
