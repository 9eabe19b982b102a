"use strict";
var __decorate = (this && this.__decorate) || function (decorators, target, key, desc) {
    var c = arguments.length, r = c < 3 ? target : desc === null ? desc = Object.getOwnPropertyDescriptor(target, key) : desc, d;
    if (typeof Reflect === "object" && typeof Reflect.decorate === "function") r = Reflect.decorate(decorators, target, key, desc);
    else for (var i = decorators.length - 1; i >= 0; i--) if (d = decorators[i]) r = (c < 3 ? d(r) : c > 3 ? d(target, key, r) : d(target, key)) || r;
    return c > 3 && r && Object.defineProperty(target, key, r), r;
};
var __metadata = (this && this.__metadata) || function (k, v) {
    if (typeof Reflect === "object" && typeof Reflect.metadata === "function") return Reflect.metadata(k, v);
};
Object.defineProperty(exports, "__esModule", { value: true });
exports.RefreshTokenDto = exports.CreateObserverTokenDto = exports.ObserverScopeDto = exports.CreateEnrollmentDto = exports.ROLES = void 0;
const openapi = require("@nestjs/swagger");
const class_transformer_1 = require("class-transformer");
const class_validator_1 = require("class-validator");
const limits_1 = require("./limits");
exports.ROLES = ['admin', 'agent', 'observer'];
class CreateEnrollmentDto {
    /** How many agents may register with this token (default 1). */
    max_uses;
    /** Lifetime in seconds (default 24 h). */
    ttl_s;
    static _OPENAPI_METADATA_FACTORY() {
        return { max_uses: { required: false, type: () => Number, description: "How many agents may register with this token (default 1).", minimum: 1, maximum: limits_1.LIMITS.maxUsesMax }, ttl_s: { required: false, type: () => Number, description: "Lifetime in seconds (default 24 h).", minimum: 1, maximum: limits_1.LIMITS.ttlSecondsMax } };
    }
}
exports.CreateEnrollmentDto = CreateEnrollmentDto;
__decorate([
    (0, class_validator_1.IsOptional)(),
    (0, class_validator_1.IsInt)(),
    (0, class_validator_1.Min)(1),
    (0, class_validator_1.Max)(limits_1.LIMITS.maxUsesMax),
    __metadata("design:type", Number)
], CreateEnrollmentDto.prototype, "max_uses", void 0);
__decorate([
    (0, class_validator_1.IsOptional)(),
    (0, class_validator_1.IsInt)(),
    (0, class_validator_1.Min)(1),
    (0, class_validator_1.Max)(limits_1.LIMITS.ttlSecondsMax),
    __metadata("design:type", Number)
], CreateEnrollmentDto.prototype, "ttl_s", void 0);
/** What an observer token may watch: named groups, whole goals (with every sub-team), or everything. */
class ObserverScopeDto {
    groups;
    goals;
    all;
    static _OPENAPI_METADATA_FACTORY() {
        return { groups: { required: false, type: () => [String], maxLength: 64 }, goals: { required: false, type: () => [String], maxLength: 64 }, all: { required: false, type: () => Boolean } };
    }
}
exports.ObserverScopeDto = ObserverScopeDto;
__decorate([
    (0, class_validator_1.IsOptional)(),
    (0, class_validator_1.IsArray)(),
    (0, class_validator_1.ArrayMaxSize)(limits_1.LIMITS.scopeItemsMax),
    (0, class_validator_1.IsString)({ each: true }),
    (0, class_validator_1.MaxLength)(64, { each: true }),
    __metadata("design:type", Array)
], ObserverScopeDto.prototype, "groups", void 0);
__decorate([
    (0, class_validator_1.IsOptional)(),
    (0, class_validator_1.IsArray)(),
    (0, class_validator_1.ArrayMaxSize)(limits_1.LIMITS.scopeItemsMax),
    (0, class_validator_1.IsString)({ each: true }),
    (0, class_validator_1.MaxLength)(64, { each: true }),
    __metadata("design:type", Array)
], ObserverScopeDto.prototype, "goals", void 0);
__decorate([
    (0, class_validator_1.IsOptional)(),
    (0, class_validator_1.IsBoolean)(),
    __metadata("design:type", Boolean)
], ObserverScopeDto.prototype, "all", void 0);
class CreateObserverTokenDto {
    scope;
    /** Lifetime in seconds (default 24 h). */
    ttl_s;
    /** A label shown in token lists, e.g. who it was given to. */
    label;
    static _OPENAPI_METADATA_FACTORY() {
        return { scope: { required: true, type: () => require("./auth.dto").ObserverScopeDto }, ttl_s: { required: false, type: () => Number, description: "Lifetime in seconds (default 24 h).", minimum: 1, maximum: limits_1.LIMITS.ttlSecondsMax }, label: { required: false, type: () => String, description: "A label shown in token lists, e.g. who it was given to.", maxLength: limits_1.LIMITS.shortTextMax } };
    }
}
exports.CreateObserverTokenDto = CreateObserverTokenDto;
__decorate([
    (0, class_validator_1.ValidateNested)(),
    (0, class_transformer_1.Type)(() => ObserverScopeDto),
    __metadata("design:type", ObserverScopeDto)
], CreateObserverTokenDto.prototype, "scope", void 0);
__decorate([
    (0, class_validator_1.IsOptional)(),
    (0, class_validator_1.IsInt)(),
    (0, class_validator_1.Min)(1),
    (0, class_validator_1.Max)(limits_1.LIMITS.ttlSecondsMax),
    __metadata("design:type", Number)
], CreateObserverTokenDto.prototype, "ttl_s", void 0);
__decorate([
    (0, class_validator_1.IsOptional)(),
    (0, class_validator_1.IsString)(),
    (0, class_validator_1.MaxLength)(limits_1.LIMITS.shortTextMax),
    __metadata("design:type", String)
], CreateObserverTokenDto.prototype, "label", void 0);
class RefreshTokenDto {
    refresh_token;
    static _OPENAPI_METADATA_FACTORY() {
        return { refresh_token: { required: true, type: () => String, maxLength: 4096 } };
    }
}
exports.RefreshTokenDto = RefreshTokenDto;
__decorate([
    (0, class_validator_1.IsString)(),
    (0, class_validator_1.IsNotEmpty)(),
    (0, class_validator_1.MaxLength)(4096),
    __metadata("design:type", String)
], RefreshTokenDto.prototype, "refresh_token", void 0);
//# sourceMappingURL=auth.dto.js.map