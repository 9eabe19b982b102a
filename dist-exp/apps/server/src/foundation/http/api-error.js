"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.ApiError = void 0;
exports.fieldErrors = fieldErrors;
exports.validationError = validationError;
exports.parseDto = parseDto;
exports.isPlainObject = isPlainObject;
const protocol_1 = require("../../../../../libs/protocol/src");
const class_transformer_1 = require("class-transformer");
const class_validator_1 = require("class-validator");
const compiled_dto_1 = require("./compiled-dto");
const validation_metadata_cache_1 = require("./validation-metadata-cache");
(0, validation_metadata_cache_1.memoizeValidationMetadata)();
/** The one error type that services throw; REST and socket edges turn it into a response or an ack. */
class ApiError extends Error {
    code;
    fields;
    constructor(code, message, fields) {
        super(message);
        this.code = code;
        this.fields = fields;
    }
    get status() {
        return protocol_1.HTTP_STATUS[this.code];
    }
    toBody() {
        return { code: this.code, message: this.message, ...(this.fields ? { fields: this.fields } : {}) };
    }
    static notFound(what, id) {
        return new ApiError(protocol_1.ErrorCode.NOT_FOUND, `${what} ${id} not found`);
    }
}
exports.ApiError = ApiError;
/** Flattens nested class-validator errors into `{ field: 'capabilities.0.name', messages }` entries. */
function fieldErrors(errors, prefix = '') {
    return errors.flatMap((e) => {
        const field = prefix ? `${prefix}.${e.property}` : e.property;
        const own = e.constraints ? [{ field, messages: Object.values(e.constraints) }] : [];
        return [...own, ...fieldErrors(e.children ?? [], field)];
    });
}
function validationError(errors) {
    const fields = fieldErrors(errors);
    const summary = fields.map((f) => f.messages[0]).slice(0, 3).join('; ');
    return new ApiError(protocol_1.ErrorCode.VALIDATION, summary || 'invalid input', fields);
}
/**
 * A plain object as an instance of a protocol DTO class, validated with unknown fields rejected; field names in the
 * error get `prefix` (e.g. `payload`); objects nested in the result may be plain objects rather than their classes.
 * Synchronous: the DTOs have no async validators, and a socket message's hot path should not pay for promises.
 */
function parseDto(cls, raw, prefix, what = prefix ?? 'the request') {
    if (!isPlainObject(raw))
        throw new ApiError(protocol_1.ErrorCode.VALIDATION, `${what} must be an object`);
    // Valid input, nearly all of it, passes a check compiled from the same rules; class-validator judges (and explains) the rest.
    if ((0, compiled_dto_1.compiledCheck)(cls)?.(raw))
        return Object.assign(new cls(), raw);
    const value = (0, class_transformer_1.plainToInstance)(cls, raw);
    const errors = (0, class_validator_1.validateSync)(value, { whitelist: true, forbidNonWhitelisted: true });
    if (errors.length)
        throw validationError(prefix ? errors.map((e) => ({ ...e, property: `${prefix}.${e.property}` })) : errors);
    return value;
}
function isPlainObject(value) {
    return value !== null && typeof value === 'object' && !Array.isArray(value);
}
//# sourceMappingURL=api-error.js.map