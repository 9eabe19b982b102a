import { ErrorBody, ErrorCode, FieldError } from '@ioa/protocol';

/**
 * Every failure the SDK reports: a refused REST call, a refused socket ack, or a client-side give-up (code
 * `UNAVAILABLE`). `code` is the protocol's error code, so callers branch on it rather than on messages.
 */
export class IoAError extends Error {
  readonly code: ErrorCode;
  /** With `VALIDATION` only: each failing field by its path (`payload.next_speaker`, …). */
  readonly fields?: FieldError[];
  /** The HTTP status of a refused REST call; absent for socket acks and client-side errors. */
  readonly status?: number;
  /** With `RATE_LIMITED` over REST: the seconds the server asked to wait (its `Retry-After`). */
  readonly retryAfterS?: number;

  constructor(body: ErrorBody, status?: number, retryAfterS?: number) {
    super(body.message);
    this.name = 'IoAError';
    this.code = body.code;
    if (body.fields) this.fields = body.fields;
    if (status !== undefined) this.status = status;
    if (retryAfterS !== undefined) this.retryAfterS = retryAfterS;
  }
}

/**
 * Whether `e` is an IoAError, optionally with one of the given codes.
 * @example
 * try { await client.discussion(g, 'hi', []); } catch (e) { if (isIoAError(e, ErrorCode.NOT_YOUR_TURN)) return; throw e; }
 */
export function isIoAError(e: unknown, ...codes: ErrorCode[]): e is IoAError {
  return e instanceof IoAError && (codes.length === 0 || codes.includes(e.code));
}

/**
 * The server could not be reached at all (refused, unknown host, TLS, wrong scheme): not a protocol error, so not an
 * `IoAError`; the message names the URL and the cause.
 * @example
 * catch (e) { if (e instanceof ConnectionFailed) console.error(`is the server up? ${e.message}`); }
 */
export class ConnectionFailed extends Error {
  constructor(readonly url: string, readonly reason: string, readonly causeCode?: string) {
    super(`cannot reach ${url}: ${reason}${causeCode ? ` (${causeCode})` : ''}`);
    this.name = 'ConnectionFailed';
  }

  /** Reads what Node's `fetch` threw (its `cause` carries the system or TLS error code). */
  static from(url: string, e: unknown): ConnectionFailed {
    const cause = (e as { cause?: { code?: string; message?: string } })?.cause;
    const code = cause?.code;
    // Certificate codes first: some of them contain TLS too (ERR_TLS_CERT_ALTNAME_INVALID).
    const reason = code === 'ECONNREFUSED' ? 'connection refused: is the server running on that host and port?'
      : code === 'ENOTFOUND' || code === 'EAI_AGAIN' ? 'host not found (DNS)'
        : code === 'ECONNRESET' ? 'the connection was reset'
          : code === 'EHOSTUNREACH' || code === 'ENETUNREACH' ? 'no route to the host'
            : code === 'ETIMEDOUT' || (code?.startsWith('UND_ERR_') && code.includes('TIMEOUT')) ? 'timed out'
              : code && /CERT|SELF_SIGNED|VERIFY/.test(code) ? 'the server\'s TLS certificate is not trusted'
                : code && /SSL|TLS|EPROTO/.test(code) ? 'the TLS handshake failed: is the scheme right (http:// or https://)?'
                  // An AggregateError (a host with several addresses) has an empty message of its own.
                  : cause?.message || (e as Error)?.message || String(e);
    return new ConnectionFailed(url, reason, code);
  }
}

/** A client-side failure: the server could not be reached or did not answer. */
export function unavailable(message: string): IoAError {
  return new IoAError({ code: ErrorCode.UNAVAILABLE, message });
}

/** Reads an `ErrorBody` out of whatever a server sent (`{ error: {...} }`, a bare body, or garbage). */
export function errorBodyOf(raw: unknown, fallback: ErrorBody): ErrorBody {
  const candidate = (raw as { error?: unknown } | null)?.error ?? raw;
  if (candidate && typeof candidate === 'object') {
    const { code, message, fields } = candidate as Partial<ErrorBody>;
    if (typeof code === 'string' && (Object.values(ErrorCode) as string[]).includes(code)) {
      return { code, message: typeof message === 'string' ? message : code, ...(Array.isArray(fields) ? { fields } : {}) };
    }
  }
  return fallback;
}
