import { ErrorBody, ErrorCode, FieldError, HTTP_STATUS } from '@ioa/protocol';
import { plainToInstance } from 'class-transformer';
import { ValidationError, validateSync } from 'class-validator';
import { compiledCheck } from './compiled-dto';
import { memoizeValidationMetadata } from './validation-metadata-cache';

memoizeValidationMetadata();

/** The one error type that services throw; REST and socket edges turn it into a response or an ack. */
export class ApiError extends Error {
  constructor(readonly code: ErrorCode, message: string, readonly fields?: FieldError[]) {
    super(message);
  }

  get status(): number {
    return HTTP_STATUS[this.code];
  }

  toBody(): ErrorBody {
    return { code: this.code, message: this.message, ...(this.fields ? { fields: this.fields } : {}) };
  }

  static notFound(what: string, id: string): ApiError {
    return new ApiError(ErrorCode.NOT_FOUND, `${what} ${id} not found`);
  }
}

/** Flattens nested class-validator errors into `{ field: 'capabilities.0.name', messages }` entries. */
export function fieldErrors(errors: ValidationError[], prefix = ''): FieldError[] {
  return errors.flatMap((e) => {
    const field = prefix ? `${prefix}.${e.property}` : e.property;
    const own = e.constraints ? [{ field, messages: Object.values(e.constraints) }] : [];
    return [...own, ...fieldErrors(e.children ?? [], field)];
  });
}

export function validationError(errors: ValidationError[]): ApiError {
  const fields = fieldErrors(errors);
  const summary = fields.map((f) => f.messages[0]).slice(0, 3).join('; ');
  return new ApiError(ErrorCode.VALIDATION, summary || 'invalid input', fields);
}

/**
 * A plain object as an instance of a protocol DTO class, validated with unknown fields rejected; field names in the
 * error get `prefix` (e.g. `payload`). Objects nested in the result may be the input's own plain objects rather than
 * copies as their classes (the compiled check's fast path), so the input must not be used elsewhere.
 * Synchronous: the DTOs have no async validators, and a socket message's hot path should not pay for promises.
 */
export function parseDto<T extends object>(cls: new () => T, raw: unknown, prefix?: string, what = prefix ?? 'the request'): T {
  if (!isPlainObject(raw)) throw new ApiError(ErrorCode.VALIDATION, `${what} must be an object`);
  // Valid input, nearly all of it, passes a check compiled from the same rules; class-validator judges and explains
  // the rest.
  if (compiledCheck(cls)?.(raw)) return Object.assign(new cls(), raw);
  let value: T;
  try {
    value = plainToInstance(cls, raw);
  } catch {
    // class-transformer throws on some shapes it cannot copy (an object whose `constructor` key holds a value).
    throw new ApiError(ErrorCode.VALIDATION, `${what} could not be read`);
  }
  const errors = validateSync(value, { whitelist: true, forbidNonWhitelisted: true });
  if (errors.length) throw validationError(prefix ? errors.map((e) => ({ ...e, property: `${prefix}.${e.property}` })) : errors);
  return value;
}

export function isPlainObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}
