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
exports.GroupEntity = void 0;
const typeorm_1 = require("typeorm");
const columns_1 = require("../../foundation/persistence/columns");
/**
 * A group chat and its session. The machine's persisted snapshot is the source of truth for state, turn and
 * coordinator; `state`, `coordinator`, `members` and the counters are mirrored into columns for queries.
 * Deadlines are data (not machine delays) so that a scheduler re-arms them after a restart.
 */
let GroupEntity = class GroupEntity {
    id;
    goal;
    /** Agent id of the creator, or `admin`. */
    createdBy;
    coordinator;
    members;
    state;
    machineVersion;
    snapshot;
    lastSeq;
    turnsUsed;
    maxTurns;
    options;
    /** When the current turn holders lose the turn (or the coordinator its role). */
    turnDeadline;
    /** When a group waiting in `conclusion` closes without a summary. */
    conclusionDeadline;
    closeReason;
    /** The goal this group works on (every group of a team tree carries its root's goal). */
    goalId;
    parentGroupId;
    /** The task in the parent group whose assignee formed this sub-team; this group's conclusion is its result. */
    parentTaskId;
    /** Depth in the team tree: 0 for a root team. */
    level;
    /** Levels still allowed below this group: 0 means its members may not team up again. */
    teamUpDepth;
    /** While `forming`: when the group opens with whoever accepted, or fails. */
    formingDeadline;
    /** The team-up decision: needs, candidates with scores, invites and answers. */
    decision;
    createdAt;
    updatedAt;
};
exports.GroupEntity = GroupEntity;
__decorate([
    (0, typeorm_1.PrimaryColumn)({ type: 'varchar', length: 36 }),
    __metadata("design:type", String)
], GroupEntity.prototype, "id", void 0);
__decorate([
    (0, typeorm_1.Column)({ type: 'text' }),
    __metadata("design:type", String)
], GroupEntity.prototype, "goal", void 0);
__decorate([
    (0, typeorm_1.Column)({ type: 'varchar', length: 36 }),
    __metadata("design:type", String)
], GroupEntity.prototype, "createdBy", void 0);
__decorate([
    (0, typeorm_1.Column)({ type: 'varchar', length: 36 }),
    __metadata("design:type", String)
], GroupEntity.prototype, "coordinator", void 0);
__decorate([
    (0, typeorm_1.Column)({ type: 'simple-json' }),
    __metadata("design:type", Array)
], GroupEntity.prototype, "members", void 0);
__decorate([
    (0, typeorm_1.Column)({ type: 'varchar', length: 32 }),
    __metadata("design:type", String)
], GroupEntity.prototype, "state", void 0);
__decorate([
    (0, typeorm_1.Column)({ type: 'integer' }),
    __metadata("design:type", Number)
], GroupEntity.prototype, "machineVersion", void 0);
__decorate([
    (0, typeorm_1.Column)({ type: 'simple-json' }),
    __metadata("design:type", Object)
], GroupEntity.prototype, "snapshot", void 0);
__decorate([
    (0, typeorm_1.Column)({ type: 'integer' }),
    __metadata("design:type", Number)
], GroupEntity.prototype, "lastSeq", void 0);
__decorate([
    (0, typeorm_1.Column)({ type: 'integer' }),
    __metadata("design:type", Number)
], GroupEntity.prototype, "turnsUsed", void 0);
__decorate([
    (0, typeorm_1.Column)({ type: 'integer' }),
    __metadata("design:type", Number)
], GroupEntity.prototype, "maxTurns", void 0);
__decorate([
    (0, typeorm_1.Column)({ type: 'simple-json' }),
    __metadata("design:type", Object)
], GroupEntity.prototype, "options", void 0);
__decorate([
    (0, typeorm_1.Column)({ type: 'bigint', nullable: true, transformer: columns_1.epochMs }),
    __metadata("design:type", Object)
], GroupEntity.prototype, "turnDeadline", void 0);
__decorate([
    (0, typeorm_1.Column)({ type: 'bigint', nullable: true, transformer: columns_1.epochMs }),
    __metadata("design:type", Object)
], GroupEntity.prototype, "conclusionDeadline", void 0);
__decorate([
    (0, typeorm_1.Column)({ type: 'varchar', length: 32, nullable: true }),
    __metadata("design:type", Object)
], GroupEntity.prototype, "closeReason", void 0);
__decorate([
    (0, typeorm_1.Index)(),
    (0, typeorm_1.Column)({ type: 'varchar', length: 36, nullable: true }),
    __metadata("design:type", Object)
], GroupEntity.prototype, "goalId", void 0);
__decorate([
    (0, typeorm_1.Index)(),
    (0, typeorm_1.Column)({ type: 'varchar', length: 36, nullable: true }),
    __metadata("design:type", Object)
], GroupEntity.prototype, "parentGroupId", void 0);
__decorate([
    (0, typeorm_1.Column)({ type: 'varchar', length: 36, nullable: true }),
    __metadata("design:type", Object)
], GroupEntity.prototype, "parentTaskId", void 0);
__decorate([
    (0, typeorm_1.Column)({ type: 'integer', default: 0 }),
    __metadata("design:type", Number)
], GroupEntity.prototype, "level", void 0);
__decorate([
    (0, typeorm_1.Column)({ type: 'integer', default: 0 }),
    __metadata("design:type", Number)
], GroupEntity.prototype, "teamUpDepth", void 0);
__decorate([
    (0, typeorm_1.Column)({ type: 'bigint', nullable: true, transformer: columns_1.epochMs }),
    __metadata("design:type", Object)
], GroupEntity.prototype, "formingDeadline", void 0);
__decorate([
    (0, typeorm_1.Column)({ type: 'simple-json', nullable: true }),
    __metadata("design:type", Object)
], GroupEntity.prototype, "decision", void 0);
__decorate([
    (0, typeorm_1.Column)({ type: 'bigint', transformer: columns_1.epochMs }),
    __metadata("design:type", Number)
], GroupEntity.prototype, "createdAt", void 0);
__decorate([
    (0, typeorm_1.Column)({ type: 'bigint', transformer: columns_1.epochMs }),
    __metadata("design:type", Number)
], GroupEntity.prototype, "updatedAt", void 0);
exports.GroupEntity = GroupEntity = __decorate([
    (0, typeorm_1.Entity)('groups')
], GroupEntity);
//# sourceMappingURL=group.entity.js.map