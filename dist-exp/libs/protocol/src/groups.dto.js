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
exports.AddMemberDto = exports.CloseGroupDto = exports.AuditQueryDto = exports.MessagesQueryDto = exports.PageQueryDto = exports.CreateGroupDto = exports.GROUP_LIMITS = void 0;
const openapi = require("@nestjs/swagger");
const class_transformer_1 = require("class-transformer");
const class_validator_1 = require("class-validator");
const envelope_dto_1 = require("./envelope.dto");
exports.GROUP_LIMITS = { membersMax: 64, goalMax: 4000, timeoutMaxS: 7 * 24 * 3600, maxTurnsMax: 10000 };
class CreateGroupDto {
    goal;
    /** Agent ids, added directly; the creator may be listed too. */
    members;
    /** Defaults to the creating agent; required when an admin creates the group. */
    coordinator;
    /** Accepted discussion messages before the group must conclude (default 50). */
    max_turns;
    /** Seconds a turn holder may stay silent before the turn returns to the coordinator (default 120). */
    turn_timeout_s;
    /** Seconds a coordinator holding the turn may stay silent before the role passes on (default 300). */
    coordinator_timeout_s;
    /** Levels of sub-teams its members may still form (default 0: none). */
    team_up_depth;
    /** Seconds to wait for the coordinator's summary once max_turns is reached (default 120). */
    conclusion_wait_s;
    static _OPENAPI_METADATA_FACTORY() {
        return { goal: { required: true, type: () => String, maxLength: exports.GROUP_LIMITS.goalMax }, members: { required: true, type: () => [String], description: "Agent ids, added directly; the creator may be listed too.", maxLength: 64, minItems: 1 }, coordinator: { required: false, type: () => String, description: "Defaults to the creating agent; required when an admin creates the group.", maxLength: 64 }, max_turns: { required: false, type: () => Number, description: "Accepted discussion messages before the group must conclude (default 50).", minimum: 1, maximum: exports.GROUP_LIMITS.maxTurnsMax }, turn_timeout_s: { required: false, type: () => Number, description: "Seconds a turn holder may stay silent before the turn returns to the coordinator (default 120).", minimum: 1, maximum: exports.GROUP_LIMITS.timeoutMaxS }, coordinator_timeout_s: { required: false, type: () => Number, description: "Seconds a coordinator holding the turn may stay silent before the role passes on (default 300).", minimum: 1, maximum: exports.GROUP_LIMITS.timeoutMaxS }, team_up_depth: { required: false, type: () => Number, description: "Levels of sub-teams its members may still form (default 0: none).", minimum: 0, maximum: 5 }, conclusion_wait_s: { required: false, type: () => Number, description: "Seconds to wait for the coordinator's summary once max_turns is reached (default 120).", minimum: 1, maximum: exports.GROUP_LIMITS.timeoutMaxS } };
    }
}
exports.CreateGroupDto = CreateGroupDto;
__decorate([
    (0, class_validator_1.IsString)(),
    (0, class_validator_1.IsNotEmpty)(),
    (0, class_validator_1.MaxLength)(exports.GROUP_LIMITS.goalMax),
    __metadata("design:type", String)
], CreateGroupDto.prototype, "goal", void 0);
__decorate([
    (0, class_validator_1.IsArray)(),
    (0, class_validator_1.ArrayMinSize)(1),
    (0, class_validator_1.ArrayMaxSize)(exports.GROUP_LIMITS.membersMax),
    (0, class_validator_1.IsString)({ each: true }),
    (0, class_validator_1.MaxLength)(64, { each: true }),
    __metadata("design:type", Array)
], CreateGroupDto.prototype, "members", void 0);
__decorate([
    (0, class_validator_1.IsOptional)(),
    (0, class_validator_1.IsString)(),
    (0, class_validator_1.MaxLength)(64),
    __metadata("design:type", String)
], CreateGroupDto.prototype, "coordinator", void 0);
__decorate([
    (0, class_validator_1.IsOptional)(),
    (0, class_validator_1.IsInt)(),
    (0, class_validator_1.Min)(1),
    (0, class_validator_1.Max)(exports.GROUP_LIMITS.maxTurnsMax),
    __metadata("design:type", Number)
], CreateGroupDto.prototype, "max_turns", void 0);
__decorate([
    (0, class_validator_1.IsOptional)(),
    (0, class_validator_1.IsInt)(),
    (0, class_validator_1.Min)(1),
    (0, class_validator_1.Max)(exports.GROUP_LIMITS.timeoutMaxS),
    __metadata("design:type", Number)
], CreateGroupDto.prototype, "turn_timeout_s", void 0);
__decorate([
    (0, class_validator_1.IsOptional)(),
    (0, class_validator_1.IsInt)(),
    (0, class_validator_1.Min)(1),
    (0, class_validator_1.Max)(exports.GROUP_LIMITS.timeoutMaxS),
    __metadata("design:type", Number)
], CreateGroupDto.prototype, "coordinator_timeout_s", void 0);
__decorate([
    (0, class_validator_1.IsOptional)(),
    (0, class_validator_1.IsInt)(),
    (0, class_validator_1.Min)(0),
    (0, class_validator_1.Max)(5),
    __metadata("design:type", Number)
], CreateGroupDto.prototype, "team_up_depth", void 0);
__decorate([
    (0, class_validator_1.IsOptional)(),
    (0, class_validator_1.IsInt)(),
    (0, class_validator_1.Min)(1),
    (0, class_validator_1.Max)(exports.GROUP_LIMITS.timeoutMaxS),
    __metadata("design:type", Number)
], CreateGroupDto.prototype, "conclusion_wait_s", void 0);
class PageQueryDto {
    limit;
    offset;
    static _OPENAPI_METADATA_FACTORY() {
        return { limit: { required: false, type: () => Number, minimum: 1, maximum: 500 }, offset: { required: false, type: () => Number, minimum: 0 } };
    }
}
exports.PageQueryDto = PageQueryDto;
__decorate([
    (0, class_validator_1.IsOptional)(),
    (0, class_transformer_1.Type)(() => Number),
    (0, class_validator_1.IsInt)(),
    (0, class_validator_1.Min)(1),
    (0, class_validator_1.Max)(500),
    __metadata("design:type", Number)
], PageQueryDto.prototype, "limit", void 0);
__decorate([
    (0, class_validator_1.IsOptional)(),
    (0, class_transformer_1.Type)(() => Number),
    (0, class_validator_1.IsInt)(),
    (0, class_validator_1.Min)(0),
    __metadata("design:type", Number)
], PageQueryDto.prototype, "offset", void 0);
class MessagesQueryDto {
    after_seq;
    limit;
    static _OPENAPI_METADATA_FACTORY() {
        return { after_seq: { required: false, type: () => Number, minimum: 0 }, limit: { required: false, type: () => Number, minimum: 1, maximum: 500 } };
    }
}
exports.MessagesQueryDto = MessagesQueryDto;
__decorate([
    (0, class_validator_1.IsOptional)(),
    (0, class_transformer_1.Type)(() => Number),
    (0, class_validator_1.IsInt)(),
    (0, class_validator_1.Min)(0),
    __metadata("design:type", Number)
], MessagesQueryDto.prototype, "after_seq", void 0);
__decorate([
    (0, class_validator_1.IsOptional)(),
    (0, class_transformer_1.Type)(() => Number),
    (0, class_validator_1.IsInt)(),
    (0, class_validator_1.Min)(1),
    (0, class_validator_1.Max)(500),
    __metadata("design:type", Number)
], MessagesQueryDto.prototype, "limit", void 0);
class AuditQueryDto {
    group_id;
    /** Agent id, `admin` or `system`. */
    actor;
    limit;
    /** Entries older than this id (paging back through the log). */
    before_id;
    static _OPENAPI_METADATA_FACTORY() {
        return { group_id: { required: false, type: () => String, maxLength: 64 }, actor: { required: false, type: () => String, description: "Agent id, `admin` or `system`.", maxLength: 64 }, limit: { required: false, type: () => Number, minimum: 1, maximum: 1000 }, before_id: { required: false, type: () => Number, description: "Entries older than this id (paging back through the log).", minimum: 1 } };
    }
}
exports.AuditQueryDto = AuditQueryDto;
__decorate([
    (0, class_validator_1.IsOptional)(),
    (0, class_validator_1.IsString)(),
    (0, class_validator_1.MaxLength)(64),
    __metadata("design:type", String)
], AuditQueryDto.prototype, "group_id", void 0);
__decorate([
    (0, class_validator_1.IsOptional)(),
    (0, class_validator_1.IsString)(),
    (0, class_validator_1.MaxLength)(64),
    __metadata("design:type", String)
], AuditQueryDto.prototype, "actor", void 0);
__decorate([
    (0, class_validator_1.IsOptional)(),
    (0, class_transformer_1.Type)(() => Number),
    (0, class_validator_1.IsInt)(),
    (0, class_validator_1.Min)(1),
    (0, class_validator_1.Max)(1000),
    __metadata("design:type", Number)
], AuditQueryDto.prototype, "limit", void 0);
__decorate([
    (0, class_validator_1.IsOptional)(),
    (0, class_transformer_1.Type)(() => Number),
    (0, class_validator_1.IsInt)(),
    (0, class_validator_1.Min)(1),
    __metadata("design:type", Number)
], AuditQueryDto.prototype, "before_id", void 0);
class CloseGroupDto {
    reason;
    static _OPENAPI_METADATA_FACTORY() {
        return { reason: { required: false, type: () => String, maxLength: envelope_dto_1.ENVELOPE_LIMITS.abstractMax } };
    }
}
exports.CloseGroupDto = CloseGroupDto;
__decorate([
    (0, class_validator_1.IsOptional)(),
    (0, class_validator_1.IsString)(),
    (0, class_validator_1.MaxLength)(envelope_dto_1.ENVELOPE_LIMITS.abstractMax),
    __metadata("design:type", String)
], CloseGroupDto.prototype, "reason", void 0);
class AddMemberDto {
    agent_id;
    static _OPENAPI_METADATA_FACTORY() {
        return { agent_id: { required: true, type: () => String, maxLength: 64 } };
    }
}
exports.AddMemberDto = AddMemberDto;
__decorate([
    (0, class_validator_1.IsString)(),
    (0, class_validator_1.IsNotEmpty)(),
    (0, class_validator_1.MaxLength)(64),
    __metadata("design:type", String)
], AddMemberDto.prototype, "agent_id", void 0);
//# sourceMappingURL=groups.dto.js.map