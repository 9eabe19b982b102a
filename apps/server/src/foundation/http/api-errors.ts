import { applyDecorators } from '@nestjs/common';
import { ApiResponse } from '@nestjs/swagger';
import { ErrorCode, ErrorResponse, HTTP_STATUS } from '@ioa/protocol';

/** What every authenticated route may answer: a bad input, a missing or wrong token, a role that may not, a burst. */
export const AUTHENTICATED_ERRORS = [ErrorCode.VALIDATION, ErrorCode.UNAUTHORIZED, ErrorCode.FORBIDDEN, ErrorCode.TOO_LARGE, ErrorCode.RATE_LIMITED];

/**
 * Documents the error responses of a route (or of every route of a controller): one OpenAPI response per HTTP
 * status, with the `ErrorResponse` body and the codes it may carry, mapped through the one HTTP_STATUS table.
 */
export function ApiErrors(...codes: ErrorCode[]): MethodDecorator & ClassDecorator {
  const byStatus = new Map<number, ErrorCode[]>();
  // A route's response for a status replaces its controller's: one that adds NOT_MEMBER (403) keeps FORBIDDEN (403).
  const statuses = new Set(codes.map((code) => HTTP_STATUS[code]));
  const all = [...new Set([...AUTHENTICATED_ERRORS.filter((code) => statuses.has(HTTP_STATUS[code])), ...codes])];
  for (const code of all) byStatus.set(HTTP_STATUS[code], [...(byStatus.get(HTTP_STATUS[code]) ?? []), code]);
  return applyDecorators(
    ...[...byStatus].map(([status, of]) => ApiResponse({ status, type: ErrorResponse, description: `error code ${of.join(' or ')}` })),
  );
}
