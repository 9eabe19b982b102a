/** Every error the server returns, on REST and on socket acknowledgements, carries one of these codes. */
export enum ErrorCode {
  VALIDATION = 'VALIDATION',
  UNAUTHORIZED = 'UNAUTHORIZED',
  FORBIDDEN = 'FORBIDDEN',
  NOT_FOUND = 'NOT_FOUND',
  CONFLICT = 'CONFLICT',
  TOO_LARGE = 'TOO_LARGE',
  RATE_LIMITED = 'RATE_LIMITED',
  NOT_MEMBER = 'NOT_MEMBER',
  NOT_YOUR_TURN = 'NOT_YOUR_TURN',
  ILLEGAL_IN_STATE = 'ILLEGAL_IN_STATE',
  GROUP_CLOSED = 'GROUP_CLOSED',
  /** An operator paused the group: wait for its resume (the `group_pause` event), then send again. */
  GROUP_PAUSED = 'GROUP_PAUSED',
  DUPLICATE_MESSAGE_ID = 'DUPLICATE_MESSAGE_ID',
  DEPTH_EXHAUSTED = 'DEPTH_EXHAUSTED',
  NO_CANDIDATE = 'NO_CANDIDATE',
  UNAVAILABLE = 'UNAVAILABLE',
  INTERNAL = 'INTERNAL',
}

/** The one mapping from error codes to HTTP statuses. */
export const HTTP_STATUS: Record<ErrorCode, number> = {
  [ErrorCode.VALIDATION]: 400,
  [ErrorCode.UNAUTHORIZED]: 401,
  [ErrorCode.FORBIDDEN]: 403,
  [ErrorCode.NOT_FOUND]: 404,
  [ErrorCode.CONFLICT]: 409,
  [ErrorCode.TOO_LARGE]: 413,
  [ErrorCode.RATE_LIMITED]: 429,
  [ErrorCode.NOT_MEMBER]: 403,
  [ErrorCode.NOT_YOUR_TURN]: 409,
  [ErrorCode.ILLEGAL_IN_STATE]: 409,
  [ErrorCode.GROUP_CLOSED]: 409,
  [ErrorCode.GROUP_PAUSED]: 409,
  [ErrorCode.DUPLICATE_MESSAGE_ID]: 409,
  [ErrorCode.DEPTH_EXHAUSTED]: 422,
  [ErrorCode.NO_CANDIDATE]: 422,
  [ErrorCode.UNAVAILABLE]: 503,
  [ErrorCode.INTERNAL]: 500,
};

export class FieldError {
  field: string;
  messages: string[];
}

/** Body of every failed REST response (`{ error }`) and of every failed socket ack (`{ ok: false, error }`). */
export class ErrorBody {
  code: ErrorCode;
  message: string;
  fields?: FieldError[];
}

/** A failed REST response: `{ "error": { "code", "message", "fields"? } }`. */
export class ErrorResponse {
  error: ErrorBody;
}
