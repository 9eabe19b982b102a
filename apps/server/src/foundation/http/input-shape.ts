import { ErrorCode, LIMITS } from '@ioa/protocol';
import type { NextFunction, Request, Response } from 'express';
import { ApiError } from './api-error';

/**
 * Keys refused at any depth, free JSON objects included: `JSON.parse` makes them own properties, but class-transformer
 * and `Object.assign` do not copy them as data (the first drops them, the second sets the prototype), so they would be
 * accepted and silently lost, against "unknown fields are refused".
 */
const FORBIDDEN_KEYS = new Set(['__proto__', 'constructor']);

/** An object or array met on the walk, with the way back to the root for naming where it is. */
interface Frame {
  value: object;
  depth: number;
  key: string;
  parent: Frame | null;
}

/**
 * Refuses with VALIDATION an input whose objects and arrays nest deeper than `LIMITS.jsonDepthMax`, or that holds one
 * of FORBIDDEN_KEYS. Validation, class-transformer and JSON.stringify all recurse, so a deep enough input overflows the
 * stack in them: this walk is iterative and runs first, on every socket event's argument and every REST body and query.
 */
export function checkInputShape(input: unknown, what: string): void {
  if (!isContainer(input)) return;
  if (isBinary(input)) throw refusal(`${what} must be JSON, not binary`, { value: input, depth: 1, key: '', parent: null });
  const stack: Frame[] = [{ value: input, depth: 1, key: '', parent: null }];
  for (let frame = stack.pop(); frame; frame = stack.pop()) {
    const { value, depth } = frame;
    const keys = Array.isArray(value) ? null : Object.keys(value);
    const n = keys ? keys.length : (value as unknown[]).length;
    for (let i = 0; i < n; i++) {
      const key = keys ? keys[i] : i;
      if (typeof key === 'string' && FORBIDDEN_KEYS.has(key)) throw refusal(`key ${key} is not allowed`, frame, key);
      const child = (value as Record<string | number, unknown>)[key];
      if (!isContainer(child)) continue;
      // Listing a buffer's keys would walk every byte; the protocol is JSON, so binary attachments are refused whole.
      if (isBinary(child)) throw refusal(`${what} must be JSON, not binary`, frame, String(key));
      const next: Frame = { value: child, depth: depth + 1, key: String(key), parent: frame };
      if (next.depth > LIMITS.jsonDepthMax) throw refusal(`${what} is nested deeper than ${LIMITS.jsonDepthMax} levels`, next);
      stack.push(next);
    }
  }
}

/** The same check as Express middleware, placed after the JSON body parser and before the routes' ValidationPipe. */
export function inputShapeMiddleware(req: Request, _res: Response, next: NextFunction): void {
  try {
    checkInputShape(req.body, 'the request body');
    checkInputShape(req.query, 'the query');
    next();
  } catch (e) {
    next(e);
  }
}

function isBinary(value: object): boolean {
  return ArrayBuffer.isView(value) || value instanceof ArrayBuffer;
}

function isContainer(value: unknown): value is object {
  return value !== null && typeof value === 'object';
}

function refusal(message: string, at: Frame, key?: string): ApiError {
  const path = key === undefined ? [] : [key];
  for (let f: Frame | null = at; f?.parent; f = f.parent) path.push(f.key);
  return new ApiError(ErrorCode.VALIDATION, message, [{ field: path.reverse().join('.'), messages: [message] }]);
}
