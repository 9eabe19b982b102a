import { ArgumentsHost, Catch, ExceptionFilter, HttpException, Logger } from '@nestjs/common';
import { ErrorBody, ErrorCode } from '@ioa/protocol';
import type { NextFunction, Request, Response } from 'express';
import { ApiError } from './api-error';

const CODE_BY_STATUS: Record<number, ErrorCode> = {
  400: ErrorCode.VALIDATION,
  401: ErrorCode.UNAUTHORIZED,
  403: ErrorCode.FORBIDDEN,
  404: ErrorCode.NOT_FOUND,
  409: ErrorCode.CONFLICT,
  413: ErrorCode.TOO_LARGE,
  429: ErrorCode.RATE_LIMITED,
  503: ErrorCode.UNAVAILABLE,
};

/** Turns anything thrown while serving a request into `{ error: { code, message, fields? } }` with the matching status. */
export function toApiError(exception: unknown): ApiError {
  if (exception instanceof ApiError) return exception;
  if (exception instanceof HttpException) {
    const status = exception.getStatus();
    return new ApiError(CODE_BY_STATUS[status] ?? ErrorCode.INTERNAL, exception.message);
  }
  // body-parser errors (malformed JSON, oversized body) carry `status` and `type`.
  const e = exception as { status?: number; type?: string; message?: string };
  if (e?.type === 'entity.too.large') return new ApiError(ErrorCode.TOO_LARGE, 'request body too large');
  if (e?.status === 400) return new ApiError(ErrorCode.VALIDATION, `malformed request body: ${e.message}`);
  return new ApiError(ErrorCode.INTERNAL, 'internal error');
}

@Catch()
export class ErrorFilter implements ExceptionFilter {
  private readonly logger = new Logger('http');

  catch(exception: unknown, host: ArgumentsHost): void {
    const error = toApiError(exception);
    if (error.code === ErrorCode.INTERNAL) this.logger.error(exception instanceof Error ? exception.stack : String(exception));
    const res = host.switchToHttp().getResponse<Response>();
    if (error.code === ErrorCode.UNAUTHORIZED) res.set('www-authenticate', 'Bearer');
    const body: { error: ErrorBody } = { error: error.toBody() };
    res.status(error.status).json(body);
  }
}

/** Routes that speak JSON-RPC 2.0 (A2A, MCP): a body that is not JSON gets JSON-RPC's parse error, as their peers expect. */
const JSON_RPC_PATHS: ReadonlySet<string> = new Set(['/a2a', '/mcp']);

/** Express error middleware, right after the body parser (Nest's router would make its error a plain 400 first). */
export function jsonRpcParseErrors(err: { type?: string; message?: string }, req: Request, res: Response, next: NextFunction): void {
  if (err?.type === 'entity.parse.failed' && JSON_RPC_PATHS.has(req.path.replace(/\/+$/, ''))) {
    res.status(400).json({ jsonrpc: '2.0', id: null, error: { code: -32700, message: `parse error: ${err.message}` } });
    return;
  }
  next(err);
}
