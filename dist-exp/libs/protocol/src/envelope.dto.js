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
exports.UnsubscribeDto = exports.SubscribeDto = exports.PAYLOAD_CLASSES = exports.ConclusionPayload = exports.PauseAndTriggerPayload = exports.TaskReassignPayload = exports.TaskCancelPayload = exports.TaskResultPayload = exports.TaskProgressPayload = exports.TaskReplyPayload = exports.TaskAssignmentPayload = exports.TaskSpecDto = exports.DiscussionPayload = exports.ClientEnvelopeDto = exports.ClientHeaderDto = exports.ENVELOPE_LIMITS = void 0;
const openapi = require("@nestjs/swagger");
const class_transformer_1 = require("class-transformer");
const class_validator_1 = require("class-validator");
const session_1 = require("./session");
const validators_1 = require("./validators");
const version_1 = require("./version");
exports.ENVELOPE_LIMITS = {
    contentMax: 32 * 1024,
    textMax: 16 * 1024,
    abstractMax: 1000,
    speakersMax: 64,
    tasksMax: 32,
    extBytesMax: 4096,
    deadlineMaxS: 7 * 24 * 3600,
};
const AgentIds = () => (target, key) => {
    (0, class_validator_1.IsArray)()(target, key);
    (0, class_validator_1.ArrayMaxSize)(exports.ENVELOPE_LIMITS.speakersMax)(target, key);
    (0, class_validator_1.IsString)({ each: true })(target, key);
    (0, class_validator_1.MaxLength)(64, { each: true })(target, key);
};
/** Header fields a client sends. `sender`, `state`, `seq` and `timestamp` are stamped by the server and refused here. */
class ClientHeaderDto {
    protocol;
    /** Client-made UUID, unique per sender for the group's life: a resend returns the original ack. */
    message_id;
    /** Omitted only by a `team_formation` that creates a root team. */
    group_id;
    type;
    static _OPENAPI_METADATA_FACTORY() {
        return { protocol: { required: true, type: () => String }, message_id: { required: true, type: () => String, description: "Client-made UUID, unique per sender for the group's life: a resend returns the original ack.", format: "uuid" }, group_id: { required: false, type: () => String, description: "Omitted only by a `team_formation` that creates a root team.", maxLength: 64 }, type: { required: true, enum: ["discussion", "pause_and_trigger", "conclusion", "task_assignment", "task_reply", "task_progress", "task_result", "task_cancel", "task_reassign", "team_formation"], enum: session_1.CLIENT_MESSAGE_TYPES } };
    }
}
exports.ClientHeaderDto = ClientHeaderDto;
__decorate([
    (0, class_validator_1.Equals)(version_1.PROTOCOL_VERSION),
    __metadata("design:type", Object)
], ClientHeaderDto.prototype, "protocol", void 0);
__decorate([
    (0, class_validator_1.IsUUID)(),
    __metadata("design:type", String)
], ClientHeaderDto.prototype, "message_id", void 0);
__decorate([
    (0, class_validator_1.IsOptional)(),
    (0, class_validator_1.IsString)(),
    (0, class_validator_1.MaxLength)(64),
    __metadata("design:type", String)
], ClientHeaderDto.prototype, "group_id", void 0);
__decorate([
    (0, class_validator_1.IsIn)(session_1.CLIENT_MESSAGE_TYPES),
    __metadata("design:type", Object)
], ClientHeaderDto.prototype, "type", void 0);
class ClientEnvelopeDto {
    header;
    /** Checked against the payload class of `header.type`. */
    payload;
    /** Namespaced extension keys (`vendor.key`), stored and relayed untouched to everyone who sees the message. */
    ext;
    static _OPENAPI_METADATA_FACTORY() {
        return { header: { required: true, type: () => require("./envelope.dto").ClientHeaderDto }, payload: { required: true, type: "object", additionalProperties: true, description: "Checked against the payload class of `header.type`." }, ext: { required: false, type: "object", additionalProperties: true, description: "Namespaced extension keys (`vendor.key`), stored and relayed untouched to everyone who sees the message." } };
    }
}
exports.ClientEnvelopeDto = ClientEnvelopeDto;
__decorate([
    (0, class_validator_1.IsDefined)(),
    (0, class_validator_1.ValidateNested)(),
    (0, class_transformer_1.Type)(() => ClientHeaderDto),
    __metadata("design:type", ClientHeaderDto)
], ClientEnvelopeDto.prototype, "header", void 0);
__decorate([
    (0, class_validator_1.IsDefined)(),
    (0, class_validator_1.IsObject)(),
    __metadata("design:type", Object)
], ClientEnvelopeDto.prototype, "payload", void 0);
__decorate([
    (0, class_validator_1.IsOptional)(),
    (0, class_validator_1.IsObject)(),
    (0, validators_1.IsBoundedJsonObject)(exports.ENVELOPE_LIMITS.extBytesMax),
    (0, validators_1.HasNamespacedKeys)(),
    __metadata("design:type", Object)
], ClientEnvelopeDto.prototype, "ext", void 0);
class DiscussionPayload {
    content;
    /** Any one of these may speak next; empty means the coordinator. */
    next_speaker;
    next_state;
    static _OPENAPI_METADATA_FACTORY() {
        return { content: { required: true, type: () => String, maxLength: exports.ENVELOPE_LIMITS.contentMax }, next_speaker: { required: true, type: () => [String], description: "Any one of these may speak next; empty means the coordinator." }, next_state: { required: false, enum: ["discussion", "sync_task_assignment", "async_task_assignment", "pause_and_trigger", "conclusion"], enum: session_1.PROPOSABLE_STATES } };
    }
}
exports.DiscussionPayload = DiscussionPayload;
__decorate([
    (0, class_validator_1.IsString)(),
    (0, class_validator_1.IsNotEmpty)(),
    (0, class_validator_1.MaxLength)(exports.ENVELOPE_LIMITS.contentMax),
    __metadata("design:type", String)
], DiscussionPayload.prototype, "content", void 0);
__decorate([
    AgentIds(),
    __metadata("design:type", Array)
], DiscussionPayload.prototype, "next_speaker", void 0);
__decorate([
    (0, class_validator_1.IsOptional)(),
    (0, class_validator_1.IsIn)(session_1.PROPOSABLE_STATES),
    __metadata("design:type", String)
], DiscussionPayload.prototype, "next_state", void 0);
class TaskSpecDto {
    /** Full text: reaches only the assignees, the coordinator and admins. */
    task_desc;
    /** Short form that everyone in the group sees. */
    task_abstract;
    assignee;
    deadline_s;
    static _OPENAPI_METADATA_FACTORY() {
        return { task_desc: { required: true, type: () => String, description: "Full text: reaches only the assignees, the coordinator and admins.", maxLength: exports.ENVELOPE_LIMITS.textMax }, task_abstract: { required: true, type: () => String, description: "Short form that everyone in the group sees.", maxLength: exports.ENVELOPE_LIMITS.abstractMax }, assignee: { required: true, type: () => [String], minItems: 1 }, deadline_s: { required: false, type: () => Number, minimum: 1, maximum: exports.ENVELOPE_LIMITS.deadlineMaxS } };
    }
}
exports.TaskSpecDto = TaskSpecDto;
__decorate([
    (0, class_validator_1.IsString)(),
    (0, class_validator_1.IsNotEmpty)(),
    (0, class_validator_1.MaxLength)(exports.ENVELOPE_LIMITS.textMax),
    __metadata("design:type", String)
], TaskSpecDto.prototype, "task_desc", void 0);
__decorate([
    (0, class_validator_1.IsString)(),
    (0, class_validator_1.IsNotEmpty)(),
    (0, class_validator_1.MaxLength)(exports.ENVELOPE_LIMITS.abstractMax),
    __metadata("design:type", String)
], TaskSpecDto.prototype, "task_abstract", void 0);
__decorate([
    AgentIds(),
    (0, class_validator_1.ArrayMinSize)(1),
    __metadata("design:type", Array)
], TaskSpecDto.prototype, "assignee", void 0);
__decorate([
    (0, class_validator_1.IsOptional)(),
    (0, class_validator_1.IsInt)(),
    (0, class_validator_1.Min)(1),
    (0, class_validator_1.Max)(exports.ENVELOPE_LIMITS.deadlineMaxS),
    __metadata("design:type", Number)
], TaskSpecDto.prototype, "deadline_s", void 0);
class TaskAssignmentPayload {
    mode;
    tasks;
    static _OPENAPI_METADATA_FACTORY() {
        return { mode: { required: true, enum: ["sync", "async"], enum: ['sync', 'async'] }, tasks: { required: true, type: () => [require("./envelope.dto").TaskSpecDto], minItems: 1 } };
    }
}
exports.TaskAssignmentPayload = TaskAssignmentPayload;
__decorate([
    (0, class_validator_1.IsIn)(['sync', 'async']),
    __metadata("design:type", String)
], TaskAssignmentPayload.prototype, "mode", void 0);
__decorate([
    (0, class_validator_1.IsArray)(),
    (0, class_validator_1.ArrayMinSize)(1),
    (0, class_validator_1.ArrayMaxSize)(exports.ENVELOPE_LIMITS.tasksMax),
    (0, class_validator_1.ValidateNested)({ each: true }),
    (0, class_transformer_1.Type)(() => TaskSpecDto),
    __metadata("design:type", Array)
], TaskAssignmentPayload.prototype, "tasks", void 0);
class TaskReplyPayload {
    task_id;
    accept;
    reason;
    eta_s;
    static _OPENAPI_METADATA_FACTORY() {
        return { task_id: { required: true, type: () => String, maxLength: 64 }, accept: { required: true, type: () => Boolean }, reason: { required: false, type: () => String, maxLength: exports.ENVELOPE_LIMITS.abstractMax }, eta_s: { required: false, type: () => Number, minimum: 0, maximum: exports.ENVELOPE_LIMITS.deadlineMaxS } };
    }
}
exports.TaskReplyPayload = TaskReplyPayload;
__decorate([
    (0, class_validator_1.IsString)(),
    (0, class_validator_1.MaxLength)(64),
    __metadata("design:type", String)
], TaskReplyPayload.prototype, "task_id", void 0);
__decorate([
    (0, class_validator_1.IsBoolean)(),
    __metadata("design:type", Boolean)
], TaskReplyPayload.prototype, "accept", void 0);
__decorate([
    (0, class_validator_1.IsOptional)(),
    (0, class_validator_1.IsString)(),
    (0, class_validator_1.MaxLength)(exports.ENVELOPE_LIMITS.abstractMax),
    __metadata("design:type", String)
], TaskReplyPayload.prototype, "reason", void 0);
__decorate([
    (0, class_validator_1.IsOptional)(),
    (0, class_validator_1.IsInt)(),
    (0, class_validator_1.Min)(0),
    (0, class_validator_1.Max)(exports.ENVELOPE_LIMITS.deadlineMaxS),
    __metadata("design:type", Number)
], TaskReplyPayload.prototype, "eta_s", void 0);
class TaskProgressPayload {
    task_id;
    progress;
    note;
    static _OPENAPI_METADATA_FACTORY() {
        return { task_id: { required: true, type: () => String, maxLength: 64 }, progress: { required: true, type: () => Number, minimum: 0, maximum: 1 }, note: { required: true, type: () => String, maxLength: exports.ENVELOPE_LIMITS.abstractMax } };
    }
}
exports.TaskProgressPayload = TaskProgressPayload;
__decorate([
    (0, class_validator_1.IsString)(),
    (0, class_validator_1.MaxLength)(64),
    __metadata("design:type", String)
], TaskProgressPayload.prototype, "task_id", void 0);
__decorate([
    (0, class_validator_1.IsNumber)(),
    (0, class_validator_1.Min)(0),
    (0, class_validator_1.Max)(1),
    __metadata("design:type", Number)
], TaskProgressPayload.prototype, "progress", void 0);
__decorate([
    (0, class_validator_1.IsString)(),
    (0, class_validator_1.MaxLength)(exports.ENVELOPE_LIMITS.abstractMax),
    __metadata("design:type", String)
], TaskProgressPayload.prototype, "note", void 0);
class TaskResultPayload {
    task_id;
    status;
    task_conclusion;
    task_abstract;
    static _OPENAPI_METADATA_FACTORY() {
        return { task_id: { required: true, type: () => String, maxLength: 64 }, status: { required: true, enum: ["failed", "completed"], enum: ['completed', 'failed'] }, task_conclusion: { required: true, type: () => String, maxLength: exports.ENVELOPE_LIMITS.textMax }, task_abstract: { required: true, type: () => String, maxLength: exports.ENVELOPE_LIMITS.abstractMax } };
    }
}
exports.TaskResultPayload = TaskResultPayload;
__decorate([
    (0, class_validator_1.IsString)(),
    (0, class_validator_1.MaxLength)(64),
    __metadata("design:type", String)
], TaskResultPayload.prototype, "task_id", void 0);
__decorate([
    (0, class_validator_1.IsIn)(['completed', 'failed']),
    __metadata("design:type", String)
], TaskResultPayload.prototype, "status", void 0);
__decorate([
    (0, class_validator_1.IsString)(),
    (0, class_validator_1.MaxLength)(exports.ENVELOPE_LIMITS.textMax),
    __metadata("design:type", String)
], TaskResultPayload.prototype, "task_conclusion", void 0);
__decorate([
    (0, class_validator_1.IsString)(),
    (0, class_validator_1.MaxLength)(exports.ENVELOPE_LIMITS.abstractMax),
    __metadata("design:type", String)
], TaskResultPayload.prototype, "task_abstract", void 0);
class TaskCancelPayload {
    task_id;
    reason;
    static _OPENAPI_METADATA_FACTORY() {
        return { task_id: { required: true, type: () => String, maxLength: 64 }, reason: { required: true, type: () => String, maxLength: exports.ENVELOPE_LIMITS.abstractMax } };
    }
}
exports.TaskCancelPayload = TaskCancelPayload;
__decorate([
    (0, class_validator_1.IsString)(),
    (0, class_validator_1.MaxLength)(64),
    __metadata("design:type", String)
], TaskCancelPayload.prototype, "task_id", void 0);
__decorate([
    (0, class_validator_1.IsString)(),
    (0, class_validator_1.MaxLength)(exports.ENVELOPE_LIMITS.abstractMax),
    __metadata("design:type", String)
], TaskCancelPayload.prototype, "reason", void 0);
class TaskReassignPayload {
    task_id;
    assignee;
    static _OPENAPI_METADATA_FACTORY() {
        return { task_id: { required: true, type: () => String, maxLength: 64 }, assignee: { required: true, type: () => [String], minItems: 1 } };
    }
}
exports.TaskReassignPayload = TaskReassignPayload;
__decorate([
    (0, class_validator_1.IsString)(),
    (0, class_validator_1.MaxLength)(64),
    __metadata("design:type", String)
], TaskReassignPayload.prototype, "task_id", void 0);
__decorate([
    AgentIds(),
    (0, class_validator_1.ArrayMinSize)(1),
    __metadata("design:type", Array)
], TaskReassignPayload.prototype, "assignee", void 0);
class PauseAndTriggerPayload {
    triggers;
    static _OPENAPI_METADATA_FACTORY() {
        return { triggers: { required: true, type: () => [String], maxLength: 64, minItems: 1 } };
    }
}
exports.PauseAndTriggerPayload = PauseAndTriggerPayload;
__decorate([
    (0, class_validator_1.IsArray)(),
    (0, class_validator_1.ArrayMinSize)(1),
    (0, class_validator_1.ArrayMaxSize)(exports.ENVELOPE_LIMITS.tasksMax),
    (0, class_validator_1.IsString)({ each: true }),
    (0, class_validator_1.MaxLength)(64, { each: true }),
    __metadata("design:type", Array)
], PauseAndTriggerPayload.prototype, "triggers", void 0);
class ConclusionPayload {
    summary;
    static _OPENAPI_METADATA_FACTORY() {
        return { summary: { required: true, type: () => String, maxLength: exports.ENVELOPE_LIMITS.textMax } };
    }
}
exports.ConclusionPayload = ConclusionPayload;
__decorate([
    (0, class_validator_1.IsString)(),
    (0, class_validator_1.IsNotEmpty)(),
    (0, class_validator_1.MaxLength)(exports.ENVELOPE_LIMITS.textMax),
    __metadata("design:type", String)
], ConclusionPayload.prototype, "summary", void 0);
/** Payload class of each client message type; `team_formation` belongs to the team-formation layer. */
exports.PAYLOAD_CLASSES = {
    discussion: DiscussionPayload,
    task_assignment: TaskAssignmentPayload,
    task_reply: TaskReplyPayload,
    task_progress: TaskProgressPayload,
    task_result: TaskResultPayload,
    task_cancel: TaskCancelPayload,
    task_reassign: TaskReassignPayload,
    pause_and_trigger: PauseAndTriggerPayload,
    conclusion: ConclusionPayload,
};
class SubscribeDto {
    group_id;
    /** Replay every message after this seq (default 0: the whole history), then live ones. */
    after_seq;
    static _OPENAPI_METADATA_FACTORY() {
        return { group_id: { required: true, type: () => String, maxLength: 64 }, after_seq: { required: false, type: () => Number, description: "Replay every message after this seq (default 0: the whole history), then live ones.", minimum: 0 } };
    }
}
exports.SubscribeDto = SubscribeDto;
__decorate([
    (0, class_validator_1.IsString)(),
    (0, class_validator_1.IsNotEmpty)(),
    (0, class_validator_1.MaxLength)(64),
    __metadata("design:type", String)
], SubscribeDto.prototype, "group_id", void 0);
__decorate([
    (0, class_validator_1.IsOptional)(),
    (0, class_validator_1.IsInt)(),
    (0, class_validator_1.Min)(0),
    __metadata("design:type", Number)
], SubscribeDto.prototype, "after_seq", void 0);
class UnsubscribeDto {
    group_id;
    static _OPENAPI_METADATA_FACTORY() {
        return { group_id: { required: true, type: () => String, maxLength: 64 } };
    }
}
exports.UnsubscribeDto = UnsubscribeDto;
__decorate([
    (0, class_validator_1.IsString)(),
    (0, class_validator_1.IsNotEmpty)(),
    (0, class_validator_1.MaxLength)(64),
    __metadata("design:type", String)
], UnsubscribeDto.prototype, "group_id", void 0);
//# sourceMappingURL=envelope.dto.js.map