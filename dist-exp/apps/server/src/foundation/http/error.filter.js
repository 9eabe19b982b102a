"use strict";
var __decorate = (this && this.__decorate) || function (decorators, target, key, desc) {
    var c = arguments.length, r = c < 3 ? target : desc === null ? desc = Object.getOwnPropertyDescriptor(target, key) : desc, d;
    if (typeof Reflect === "object" && typeof Reflect.decorate === "function") r = Reflect.decorate(decorators, target, key, desc);
    else for (var i = decorators.length - 1; i >= 0; i--) if (d = decorators[i]) r = (c < 3 ? d(r) : c > 3 ? d(target, key, r) : d(target, key)) || r;
    return c > 3 && r && Object.defineProperty(target, key, r), r;
};
Object.defineProperty(exports, "__esModule", { value: true });
exports.ErrorFilter = void 0;
exports.toApiError = toApiError;
const common_1 = require("@nestjs/common");
const protocol_1 = require("../../../../../libs/protocol/src");
const api_error_1 = require("./api-error");
const CODE_BY_STATUS = {
    400: protocol_1.ErrorCode.VALIDATION,
    401: protocol_1.ErrorCode.UNAUTHORIZED,
    403: protocol_1.ErrorCode.FORBIDDEN,
    404: protocol_1.ErrorCode.NOT_FOUND,
    409: protocol_1.ErrorCode.CONFLICT,
    413: protocol_1.ErrorCode.TOO_LARGE,
    429: protocol_1.ErrorCode.RATE_LIMITED,
    503: protocol_1.ErrorCode.UNAVAILABLE,
};
/** Turns anything thrown while serving a request into `{ error: { code, message, fields? } }` with the matching status. */
function toApiError(exception) {
    if (exception instanceof api_error_1.ApiError)
        return exception;
    if (exception instanceof common_1.HttpException) {
        const status = exception.getStatus();
        return new api_error_1.ApiError(CODE_BY_STATUS[status] ?? protocol_1.ErrorCode.INTERNAL, exception.message);
    }
    // body-parser errors (malformed JSON, oversized body) carry `status` and `type`.
    const e = exception;
    if (e?.type === 'entity.too.large')
        return new api_error_1.ApiError(protocol_1.ErrorCode.TOO_LARGE, 'request body too large');
    if (e?.status === 400)
        return new api_error_1.ApiError(protocol_1.ErrorCode.VALIDATION, `malformed request body: ${e.message}`);
    return new api_error_1.ApiError(protocol_1.ErrorCode.INTERNAL, 'internal error');
}
let ErrorFilter = class ErrorFilter {
    logger = new common_1.Logger('http');
    catch(exception, host) {
        const error = toApiError(exception);
        if (error.code === protocol_1.ErrorCode.INTERNAL)
            this.logger.error(exception instanceof Error ? exception.stack : String(exception));
        const body = { error: error.toBody() };
        host.switchToHttp().getResponse().status(error.status).json(body);
    }
};
exports.ErrorFilter = ErrorFilter;
exports.ErrorFilter = ErrorFilter = __decorate([
    (0, common_1.Catch)()
], ErrorFilter);
//# sourceMappingURL=error.filter.js.map