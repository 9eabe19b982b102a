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
exports.SearchAgentsDto = exports.ListAgentsQueryDto = exports.UpdateAgentDto = exports.RegisterAgentDto = exports.AgentCardFields = exports.AgentInterfaceDto = exports.CapabilityDto = exports.INTERFACE_KINDS = exports.AGENT_STATUSES = void 0;
const openapi = require("@nestjs/swagger");
const class_transformer_1 = require("class-transformer");
const class_validator_1 = require("class-validator");
const limits_1 = require("./limits");
const validators_1 = require("./validators");
exports.AGENT_STATUSES = ['online', 'offline', 'disabled'];
exports.INTERFACE_KINDS = ['socket', 'http', 'a2a'];
class CapabilityDto {
    name;
    description;
    /** Free-form hint of the expected input. */
    input;
    /** Free-form hint of the produced output. */
    output;
    static _OPENAPI_METADATA_FACTORY() {
        return { name: { required: true, type: () => String, maxLength: limits_1.LIMITS.capabilityNameMax }, description: { required: true, type: () => String, maxLength: limits_1.LIMITS.capabilityDescriptionMax }, input: { required: false, type: () => String, description: "Free-form hint of the expected input.", maxLength: limits_1.LIMITS.shortTextMax }, output: { required: false, type: () => String, description: "Free-form hint of the produced output.", maxLength: limits_1.LIMITS.shortTextMax } };
    }
}
exports.CapabilityDto = CapabilityDto;
__decorate([
    (0, class_validator_1.IsString)(),
    (0, class_validator_1.IsNotEmpty)(),
    (0, class_validator_1.MaxLength)(limits_1.LIMITS.capabilityNameMax),
    __metadata("design:type", String)
], CapabilityDto.prototype, "name", void 0);
__decorate([
    (0, class_validator_1.IsString)(),
    (0, class_validator_1.IsNotEmpty)(),
    (0, class_validator_1.MaxLength)(limits_1.LIMITS.capabilityDescriptionMax),
    __metadata("design:type", String)
], CapabilityDto.prototype, "description", void 0);
__decorate([
    (0, class_validator_1.IsOptional)(),
    (0, class_validator_1.IsString)(),
    (0, class_validator_1.MaxLength)(limits_1.LIMITS.shortTextMax),
    __metadata("design:type", String)
], CapabilityDto.prototype, "input", void 0);
__decorate([
    (0, class_validator_1.IsOptional)(),
    (0, class_validator_1.IsString)(),
    (0, class_validator_1.MaxLength)(limits_1.LIMITS.shortTextMax),
    __metadata("design:type", String)
], CapabilityDto.prototype, "output", void 0);
class AgentInterfaceDto {
    kind;
    endpoint;
    modalities;
    static _OPENAPI_METADATA_FACTORY() {
        return { kind: { required: true, enum: ["socket", "http", "a2a"], enum: exports.INTERFACE_KINDS }, endpoint: { required: false, type: () => String, maxLength: limits_1.LIMITS.urlMax, format: "uri" }, modalities: { required: false, type: () => [String], maxLength: limits_1.LIMITS.skillMax } };
    }
}
exports.AgentInterfaceDto = AgentInterfaceDto;
__decorate([
    (0, class_validator_1.IsIn)(exports.INTERFACE_KINDS),
    __metadata("design:type", String)
], AgentInterfaceDto.prototype, "kind", void 0);
__decorate([
    (0, class_validator_1.IsOptional)(),
    (0, class_validator_1.IsUrl)({ require_tld: false, protocols: ['http', 'https', 'ws', 'wss'] }),
    (0, class_validator_1.MaxLength)(limits_1.LIMITS.urlMax),
    __metadata("design:type", String)
], AgentInterfaceDto.prototype, "endpoint", void 0);
__decorate([
    (0, class_validator_1.IsOptional)(),
    (0, class_validator_1.IsArray)(),
    (0, class_validator_1.ArrayMaxSize)(limits_1.LIMITS.modalitiesMax),
    (0, class_validator_1.IsString)({ each: true }),
    (0, class_validator_1.MaxLength)(limits_1.LIMITS.skillMax, { each: true }),
    __metadata("design:type", Array)
], AgentInterfaceDto.prototype, "modalities", void 0);
/** Fields an agent (or an admin on its behalf) may set; the card is ANP-style. */
class AgentCardFields {
    description;
    capabilities;
    skills;
    version;
    owner;
    interface;
    /** Free JSON object, at most 8 KiB serialised. */
    metadata;
    /** Whether team formation may invite this agent. */
    accepting_invites;
    /** Groups this agent may be in at once. */
    max_concurrent_groups;
    static _OPENAPI_METADATA_FACTORY() {
        return { description: { required: true, type: () => String, maxLength: limits_1.LIMITS.descriptionMax }, capabilities: { required: true, type: () => [require("./agents.dto").CapabilityDto] }, skills: { required: false, type: () => [String], maxLength: limits_1.LIMITS.skillMax }, version: { required: false, type: () => String, maxLength: limits_1.LIMITS.skillMax }, owner: { required: false, type: () => String, maxLength: limits_1.LIMITS.shortTextMax }, interface: { required: false, type: () => require("./agents.dto").AgentInterfaceDto }, metadata: { required: false, type: "object", additionalProperties: true, description: "Free JSON object, at most 8 KiB serialised." }, accepting_invites: { required: false, type: () => Boolean, description: "Whether team formation may invite this agent." }, max_concurrent_groups: { required: false, type: () => Number, description: "Groups this agent may be in at once.", minimum: 1, maximum: 1000 } };
    }
}
exports.AgentCardFields = AgentCardFields;
__decorate([
    (0, class_validator_1.IsString)(),
    (0, class_validator_1.IsNotEmpty)(),
    (0, class_validator_1.MaxLength)(limits_1.LIMITS.descriptionMax),
    __metadata("design:type", String)
], AgentCardFields.prototype, "description", void 0);
__decorate([
    (0, class_validator_1.IsArray)(),
    (0, class_validator_1.ArrayMaxSize)(limits_1.LIMITS.capabilitiesMax),
    (0, class_validator_1.ValidateNested)({ each: true }),
    (0, class_transformer_1.Type)(() => CapabilityDto),
    __metadata("design:type", Array)
], AgentCardFields.prototype, "capabilities", void 0);
__decorate([
    (0, class_validator_1.IsOptional)(),
    (0, class_validator_1.IsArray)(),
    (0, class_validator_1.ArrayMaxSize)(limits_1.LIMITS.skillsMax),
    (0, class_validator_1.IsString)({ each: true }),
    (0, class_validator_1.MaxLength)(limits_1.LIMITS.skillMax, { each: true }),
    __metadata("design:type", Array)
], AgentCardFields.prototype, "skills", void 0);
__decorate([
    (0, class_validator_1.IsOptional)(),
    (0, class_validator_1.IsString)(),
    (0, class_validator_1.MaxLength)(limits_1.LIMITS.skillMax),
    __metadata("design:type", String)
], AgentCardFields.prototype, "version", void 0);
__decorate([
    (0, class_validator_1.IsOptional)(),
    (0, class_validator_1.IsString)(),
    (0, class_validator_1.MaxLength)(limits_1.LIMITS.shortTextMax),
    __metadata("design:type", String)
], AgentCardFields.prototype, "owner", void 0);
__decorate([
    (0, class_validator_1.IsOptional)(),
    (0, class_validator_1.ValidateNested)(),
    (0, class_transformer_1.Type)(() => AgentInterfaceDto),
    __metadata("design:type", AgentInterfaceDto)
], AgentCardFields.prototype, "interface", void 0);
__decorate([
    (0, class_validator_1.IsOptional)(),
    (0, class_validator_1.IsObject)(),
    (0, validators_1.IsBoundedJsonObject)(limits_1.LIMITS.metadataBytesMax),
    __metadata("design:type", Object)
], AgentCardFields.prototype, "metadata", void 0);
__decorate([
    (0, class_validator_1.IsOptional)(),
    (0, class_validator_1.IsBoolean)(),
    __metadata("design:type", Boolean)
], AgentCardFields.prototype, "accepting_invites", void 0);
__decorate([
    (0, class_validator_1.IsOptional)(),
    (0, class_validator_1.IsInt)(),
    (0, class_validator_1.Min)(1),
    (0, class_validator_1.Max)(1000),
    __metadata("design:type", Number)
], AgentCardFields.prototype, "max_concurrent_groups", void 0);
class RegisterAgentDto extends AgentCardFields {
    /** Unique slug: 2-63 of a-z, 0-9 and -. */
    name;
    static _OPENAPI_METADATA_FACTORY() {
        return { name: { required: true, type: () => String, description: "Unique slug: 2-63 of a-z, 0-9 and -.", minLength: limits_1.LIMITS.nameMin, maxLength: limits_1.LIMITS.nameMax } };
    }
}
exports.RegisterAgentDto = RegisterAgentDto;
__decorate([
    (0, class_validator_1.IsString)(),
    (0, class_validator_1.Length)(limits_1.LIMITS.nameMin, limits_1.LIMITS.nameMax),
    (0, class_validator_1.Matches)(limits_1.AGENT_NAME_PATTERN, { message: 'name must be a slug of a-z, 0-9 and - (not at either end)' }),
    __metadata("design:type", String)
], RegisterAgentDto.prototype, "name", void 0);
/** PATCH body: every card field optional; the name is fixed at registration. */
class UpdateAgentDto {
    description;
    capabilities;
    skills;
    version;
    owner;
    interface;
    metadata;
    accepting_invites;
    max_concurrent_groups;
    static _OPENAPI_METADATA_FACTORY() {
        return { description: { required: false, type: () => String, maxLength: limits_1.LIMITS.descriptionMax }, capabilities: { required: false, type: () => [require("./agents.dto").CapabilityDto] }, skills: { required: false, type: () => [String], maxLength: limits_1.LIMITS.skillMax }, version: { required: false, type: () => String, maxLength: limits_1.LIMITS.skillMax }, owner: { required: false, type: () => String, maxLength: limits_1.LIMITS.shortTextMax }, interface: { required: false, type: () => require("./agents.dto").AgentInterfaceDto }, metadata: { required: false, type: "object", additionalProperties: true }, accepting_invites: { required: false, type: () => Boolean }, max_concurrent_groups: { required: false, type: () => Number, minimum: 1, maximum: 1000 } };
    }
}
exports.UpdateAgentDto = UpdateAgentDto;
__decorate([
    (0, class_validator_1.IsOptional)(),
    (0, class_validator_1.IsString)(),
    (0, class_validator_1.IsNotEmpty)(),
    (0, class_validator_1.MaxLength)(limits_1.LIMITS.descriptionMax),
    __metadata("design:type", String)
], UpdateAgentDto.prototype, "description", void 0);
__decorate([
    (0, class_validator_1.IsOptional)(),
    (0, class_validator_1.IsArray)(),
    (0, class_validator_1.ArrayMaxSize)(limits_1.LIMITS.capabilitiesMax),
    (0, class_validator_1.ValidateNested)({ each: true }),
    (0, class_transformer_1.Type)(() => CapabilityDto),
    __metadata("design:type", Array)
], UpdateAgentDto.prototype, "capabilities", void 0);
__decorate([
    (0, class_validator_1.IsOptional)(),
    (0, class_validator_1.IsArray)(),
    (0, class_validator_1.ArrayMaxSize)(limits_1.LIMITS.skillsMax),
    (0, class_validator_1.IsString)({ each: true }),
    (0, class_validator_1.MaxLength)(limits_1.LIMITS.skillMax, { each: true }),
    __metadata("design:type", Array)
], UpdateAgentDto.prototype, "skills", void 0);
__decorate([
    (0, class_validator_1.IsOptional)(),
    (0, class_validator_1.IsString)(),
    (0, class_validator_1.MaxLength)(limits_1.LIMITS.skillMax),
    __metadata("design:type", String)
], UpdateAgentDto.prototype, "version", void 0);
__decorate([
    (0, class_validator_1.IsOptional)(),
    (0, class_validator_1.IsString)(),
    (0, class_validator_1.MaxLength)(limits_1.LIMITS.shortTextMax),
    __metadata("design:type", String)
], UpdateAgentDto.prototype, "owner", void 0);
__decorate([
    (0, class_validator_1.IsOptional)(),
    (0, class_validator_1.ValidateNested)(),
    (0, class_transformer_1.Type)(() => AgentInterfaceDto),
    __metadata("design:type", AgentInterfaceDto)
], UpdateAgentDto.prototype, "interface", void 0);
__decorate([
    (0, class_validator_1.IsOptional)(),
    (0, class_validator_1.IsObject)(),
    (0, validators_1.IsBoundedJsonObject)(limits_1.LIMITS.metadataBytesMax),
    __metadata("design:type", Object)
], UpdateAgentDto.prototype, "metadata", void 0);
__decorate([
    (0, class_validator_1.IsOptional)(),
    (0, class_validator_1.IsBoolean)(),
    __metadata("design:type", Boolean)
], UpdateAgentDto.prototype, "accepting_invites", void 0);
__decorate([
    (0, class_validator_1.IsOptional)(),
    (0, class_validator_1.IsInt)(),
    (0, class_validator_1.Min)(1),
    (0, class_validator_1.Max)(1000),
    __metadata("design:type", Number)
], UpdateAgentDto.prototype, "max_concurrent_groups", void 0);
class ListAgentsQueryDto {
    limit;
    offset;
    status;
    /** Only agents carrying this skill tag. */
    skill;
    /** Only agents of this owner. */
    owner;
    /** Name prefix. */
    name_prefix;
    static _OPENAPI_METADATA_FACTORY() {
        return { limit: { required: false, type: () => Number, minimum: 1, maximum: limits_1.LIMITS.pageSizeMax }, offset: { required: false, type: () => Number, minimum: 0 }, status: { required: false, enum: ["online", "offline", "disabled"], enum: exports.AGENT_STATUSES }, skill: { required: false, type: () => String, description: "Only agents carrying this skill tag.", maxLength: limits_1.LIMITS.skillMax }, owner: { required: false, type: () => String, description: "Only agents of this owner.", maxLength: limits_1.LIMITS.shortTextMax }, name_prefix: { required: false, type: () => String, description: "Name prefix.", maxLength: limits_1.LIMITS.nameMax } };
    }
}
exports.ListAgentsQueryDto = ListAgentsQueryDto;
__decorate([
    (0, class_validator_1.IsOptional)(),
    (0, class_transformer_1.Type)(() => Number),
    (0, class_validator_1.IsInt)(),
    (0, class_validator_1.Min)(1),
    (0, class_validator_1.Max)(limits_1.LIMITS.pageSizeMax),
    __metadata("design:type", Number)
], ListAgentsQueryDto.prototype, "limit", void 0);
__decorate([
    (0, class_validator_1.IsOptional)(),
    (0, class_transformer_1.Type)(() => Number),
    (0, class_validator_1.IsInt)(),
    (0, class_validator_1.Min)(0),
    __metadata("design:type", Number)
], ListAgentsQueryDto.prototype, "offset", void 0);
__decorate([
    (0, class_validator_1.IsOptional)(),
    (0, class_validator_1.IsIn)(exports.AGENT_STATUSES),
    __metadata("design:type", String)
], ListAgentsQueryDto.prototype, "status", void 0);
__decorate([
    (0, class_validator_1.IsOptional)(),
    (0, class_validator_1.IsString)(),
    (0, class_validator_1.MaxLength)(limits_1.LIMITS.skillMax),
    __metadata("design:type", String)
], ListAgentsQueryDto.prototype, "skill", void 0);
__decorate([
    (0, class_validator_1.IsOptional)(),
    (0, class_validator_1.IsString)(),
    (0, class_validator_1.MaxLength)(limits_1.LIMITS.shortTextMax),
    __metadata("design:type", String)
], ListAgentsQueryDto.prototype, "owner", void 0);
__decorate([
    (0, class_validator_1.IsOptional)(),
    (0, class_validator_1.IsString)(),
    (0, class_validator_1.MaxLength)(limits_1.LIMITS.nameMax),
    __metadata("design:type", String)
], ListAgentsQueryDto.prototype, "name_prefix", void 0);
class SearchAgentsDto {
    query;
    top_k;
    online_only;
    /** Agent ids to leave out. */
    exclude;
    static _OPENAPI_METADATA_FACTORY() {
        return { query: { required: true, type: () => String, maxLength: limits_1.LIMITS.queryMax }, top_k: { required: false, type: () => Number, minimum: 1, maximum: limits_1.LIMITS.topKMax }, online_only: { required: false, type: () => Boolean }, exclude: { required: false, type: () => [String], description: "Agent ids to leave out.", maxLength: 64 } };
    }
}
exports.SearchAgentsDto = SearchAgentsDto;
__decorate([
    (0, class_validator_1.IsString)(),
    (0, class_validator_1.IsNotEmpty)(),
    (0, class_validator_1.MaxLength)(limits_1.LIMITS.queryMax),
    __metadata("design:type", String)
], SearchAgentsDto.prototype, "query", void 0);
__decorate([
    (0, class_validator_1.IsOptional)(),
    (0, class_validator_1.IsInt)(),
    (0, class_validator_1.Min)(1),
    (0, class_validator_1.Max)(limits_1.LIMITS.topKMax),
    __metadata("design:type", Number)
], SearchAgentsDto.prototype, "top_k", void 0);
__decorate([
    (0, class_validator_1.IsOptional)(),
    (0, class_validator_1.IsBoolean)(),
    __metadata("design:type", Boolean)
], SearchAgentsDto.prototype, "online_only", void 0);
__decorate([
    (0, class_validator_1.IsOptional)(),
    (0, class_validator_1.IsArray)(),
    (0, class_validator_1.ArrayMaxSize)(limits_1.LIMITS.excludeMax),
    (0, class_validator_1.IsString)({ each: true }),
    (0, class_validator_1.MaxLength)(64, { each: true }),
    __metadata("design:type", Array)
], SearchAgentsDto.prototype, "exclude", void 0);
//# sourceMappingURL=agents.dto.js.map