"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.HTTP_STATUS = exports.ErrorCode = void 0;
/** Every error the server returns, on REST and on socket acknowledgements, carries one of these codes. */
var ErrorCode;
(function (ErrorCode) {
    ErrorCode["VALIDATION"] = "VALIDATION";
    ErrorCode["UNAUTHORIZED"] = "UNAUTHORIZED";
    ErrorCode["FORBIDDEN"] = "FORBIDDEN";
    ErrorCode["NOT_FOUND"] = "NOT_FOUND";
    ErrorCode["CONFLICT"] = "CONFLICT";
    ErrorCode["TOO_LARGE"] = "TOO_LARGE";
    ErrorCode["RATE_LIMITED"] = "RATE_LIMITED";
    ErrorCode["NOT_MEMBER"] = "NOT_MEMBER";
    ErrorCode["NOT_YOUR_TURN"] = "NOT_YOUR_TURN";
    ErrorCode["ILLEGAL_IN_STATE"] = "ILLEGAL_IN_STATE";
    ErrorCode["GROUP_CLOSED"] = "GROUP_CLOSED";
    ErrorCode["DUPLICATE_MESSAGE_ID"] = "DUPLICATE_MESSAGE_ID";
    ErrorCode["DEPTH_EXHAUSTED"] = "DEPTH_EXHAUSTED";
    ErrorCode["NO_CANDIDATE"] = "NO_CANDIDATE";
    ErrorCode["UNAVAILABLE"] = "UNAVAILABLE";
    ErrorCode["INTERNAL"] = "INTERNAL";
})(ErrorCode || (exports.ErrorCode = ErrorCode = {}));
/** The one mapping from error codes to HTTP statuses. */
exports.HTTP_STATUS = {
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
    [ErrorCode.DUPLICATE_MESSAGE_ID]: 409,
    [ErrorCode.DEPTH_EXHAUSTED]: 422,
    [ErrorCode.NO_CANDIDATE]: 422,
    [ErrorCode.UNAVAILABLE]: 503,
    [ErrorCode.INTERNAL]: 500,
};
//# sourceMappingURL=errors.js.map