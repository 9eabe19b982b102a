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
exports.CreateGoalDto = exports.InviteReplyDto = exports.TeamFormationPayload = exports.TEAM_LIMITS = void 0;
const openapi = require("@nestjs/swagger");
const class_validator_1 = require("class-validator");
const groups_dto_1 = require("./groups.dto");
exports.TEAM_LIMITS = { needMax: 500, countMax: 8, depthMax: 5 };
function IsTeamMemberList(options) {
    return (target, propertyName) => (0, class_validator_1.registerDecorator)({
        name: 'isTeamMemberList',
        target: target.constructor,
        propertyName,
        options: { message: `$property entries must be agent ids or { need: string (<= ${exports.TEAM_LIMITS.needMax}), count?: 1..${exports.TEAM_LIMITS.countMax} }`, ...options },
        validator: {
            validate: (value) => Array.isArray(value) &&
                value.every((m) => {
                    if (typeof m === 'string')
                        return m.length > 0 && m.length <= 64;
                    if (!m || typeof m !== 'object' || Array.isArray(m))
                        return false;
                    const { need, count, ...rest } = m;
                    const countOk = count === undefined || (Number.isInteger(count) && count >= 1 && count <= exports.TEAM_LIMITS.countMax);
                    return Object.keys(rest).length === 0 && typeof need === 'string' && need.trim().length > 0 && need.length <= exports.TEAM_LIMITS.needMax && countOk;
                }),
        },
    });
}
/** Payload of `team_formation` (socket) and body of `POST /v1/teams`. */
class TeamFormationPayload {
    goal;
    team_members;
    /** Levels still allowed below the new group; at most the parent's minus one. */
    team_up_depth;
    max_turns;
    /** Links a root team to its goal. */
    goal_id;
    /** The task (held by the requester) that this sub-team works on. */
    parent_task_id;
    /** Also consider agents already in an ancestor group (default false: see docs/architecture.md, Team formation). */
    allow_ancestor_members;
    static _OPENAPI_METADATA_FACTORY() {
        return { goal: { required: true, type: () => String, maxLength: groups_dto_1.GROUP_LIMITS.goalMax }, team_members: { required: true, type: () => [Object], minItems: 1 }, team_up_depth: { required: false, type: () => Number, description: "Levels still allowed below the new group; at most the parent's minus one.", minimum: 0, maximum: exports.TEAM_LIMITS.depthMax }, max_turns: { required: false, type: () => Number, minimum: 1, maximum: groups_dto_1.GROUP_LIMITS.maxTurnsMax }, goal_id: { required: false, type: () => String, description: "Links a root team to its goal.", maxLength: 64 }, parent_task_id: { required: false, type: () => String, description: "The task (held by the requester) that this sub-team works on.", maxLength: 64 }, allow_ancestor_members: { required: false, type: () => Boolean, description: "Also consider agents already in an ancestor group (default false: see docs/architecture.md, Team formation)." } };
    }
}
exports.TeamFormationPayload = TeamFormationPayload;
__decorate([
    (0, class_validator_1.IsString)(),
    (0, class_validator_1.IsNotEmpty)(),
    (0, class_validator_1.MaxLength)(groups_dto_1.GROUP_LIMITS.goalMax),
    __metadata("design:type", String)
], TeamFormationPayload.prototype, "goal", void 0);
__decorate([
    (0, class_validator_1.IsArray)(),
    (0, class_validator_1.ArrayMinSize)(1),
    (0, class_validator_1.ArrayMaxSize)(groups_dto_1.GROUP_LIMITS.membersMax),
    IsTeamMemberList(),
    __metadata("design:type", Array)
], TeamFormationPayload.prototype, "team_members", void 0);
__decorate([
    (0, class_validator_1.IsOptional)(),
    (0, class_validator_1.IsInt)(),
    (0, class_validator_1.Min)(0),
    (0, class_validator_1.Max)(exports.TEAM_LIMITS.depthMax),
    __metadata("design:type", Number)
], TeamFormationPayload.prototype, "team_up_depth", void 0);
__decorate([
    (0, class_validator_1.IsOptional)(),
    (0, class_validator_1.IsInt)(),
    (0, class_validator_1.Min)(1),
    (0, class_validator_1.Max)(groups_dto_1.GROUP_LIMITS.maxTurnsMax),
    __metadata("design:type", Number)
], TeamFormationPayload.prototype, "max_turns", void 0);
__decorate([
    (0, class_validator_1.IsOptional)(),
    (0, class_validator_1.IsString)(),
    (0, class_validator_1.MaxLength)(64),
    __metadata("design:type", String)
], TeamFormationPayload.prototype, "goal_id", void 0);
__decorate([
    (0, class_validator_1.IsOptional)(),
    (0, class_validator_1.IsString)(),
    (0, class_validator_1.MaxLength)(64),
    __metadata("design:type", String)
], TeamFormationPayload.prototype, "parent_task_id", void 0);
__decorate([
    (0, class_validator_1.IsOptional)(),
    (0, class_validator_1.IsBoolean)(),
    __metadata("design:type", Boolean)
], TeamFormationPayload.prototype, "allow_ancestor_members", void 0);
class InviteReplyDto {
    invite_id;
    accept;
    reason;
    static _OPENAPI_METADATA_FACTORY() {
        return { invite_id: { required: true, type: () => String, maxLength: 64 }, accept: { required: true, type: () => Boolean }, reason: { required: false, type: () => String, maxLength: 1000 } };
    }
}
exports.InviteReplyDto = InviteReplyDto;
__decorate([
    (0, class_validator_1.IsString)(),
    (0, class_validator_1.IsNotEmpty)(),
    (0, class_validator_1.MaxLength)(64),
    __metadata("design:type", String)
], InviteReplyDto.prototype, "invite_id", void 0);
__decorate([
    (0, class_validator_1.IsBoolean)(),
    __metadata("design:type", Boolean)
], InviteReplyDto.prototype, "accept", void 0);
__decorate([
    (0, class_validator_1.IsOptional)(),
    (0, class_validator_1.IsString)(),
    (0, class_validator_1.MaxLength)(1000),
    __metadata("design:type", String)
], InviteReplyDto.prototype, "reason", void 0);
class CreateGoalDto {
    goal;
    /** An agent id; absent, the server picks the best online match for the goal. */
    coordinator;
    max_turns;
    team_up_depth;
    static _OPENAPI_METADATA_FACTORY() {
        return { goal: { required: true, type: () => String, maxLength: groups_dto_1.GROUP_LIMITS.goalMax }, coordinator: { required: false, type: () => String, description: "An agent id; absent, the server picks the best online match for the goal.", maxLength: 64 }, max_turns: { required: false, type: () => Number, minimum: 1, maximum: groups_dto_1.GROUP_LIMITS.maxTurnsMax }, team_up_depth: { required: false, type: () => Number, minimum: 0, maximum: exports.TEAM_LIMITS.depthMax } };
    }
}
exports.CreateGoalDto = CreateGoalDto;
__decorate([
    (0, class_validator_1.IsString)(),
    (0, class_validator_1.IsNotEmpty)(),
    (0, class_validator_1.MaxLength)(groups_dto_1.GROUP_LIMITS.goalMax),
    __metadata("design:type", String)
], CreateGoalDto.prototype, "goal", void 0);
__decorate([
    (0, class_validator_1.IsOptional)(),
    (0, class_validator_1.IsString)(),
    (0, class_validator_1.MaxLength)(64),
    __metadata("design:type", String)
], CreateGoalDto.prototype, "coordinator", void 0);
__decorate([
    (0, class_validator_1.IsOptional)(),
    (0, class_validator_1.IsInt)(),
    (0, class_validator_1.Min)(1),
    (0, class_validator_1.Max)(groups_dto_1.GROUP_LIMITS.maxTurnsMax),
    __metadata("design:type", Number)
], CreateGoalDto.prototype, "max_turns", void 0);
__decorate([
    (0, class_validator_1.IsOptional)(),
    (0, class_validator_1.IsInt)(),
    (0, class_validator_1.Min)(0),
    (0, class_validator_1.Max)(exports.TEAM_LIMITS.depthMax),
    __metadata("design:type", Number)
], CreateGoalDto.prototype, "team_up_depth", void 0);
//# sourceMappingURL=teams.dto.js.map