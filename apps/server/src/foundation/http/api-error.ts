import { ErrorBody, ErrorCode, FieldError, HTTP_STATUS } from '@ioa/protocol';
import { ValidationError } from 'class-validator';

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
