"use strict";
var __decorate = (this && this.__decorate) || function (decorators, target, key, desc) {
    var c = arguments.length, r = c < 3 ? target : desc === null ? desc = Object.getOwnPropertyDescriptor(target, key) : desc, d;
    if (typeof Reflect === "object" && typeof Reflect.decorate === "function") r = Reflect.decorate(decorators, target, key, desc);
    else for (var i = decorators.length - 1; i >= 0; i--) if (d = decorators[i]) r = (c < 3 ? d(r) : c > 3 ? d(target, key, r) : d(target, key)) || r;
    return c > 3 && r && Object.defineProperty(target, key, r), r;
};
Object.defineProperty(exports, "__esModule", { value: true });
exports.SessionModule = void 0;
const common_1 = require("@nestjs/common");
const groups_data_module_1 = require("../../data/groups/groups-data.module");
const registry_module_1 = require("../../data/registry/registry.module");
const groups_controller_1 = require("../group/groups.controller");
const presence_service_1 = require("./presence.service");
const session_engine_1 = require("./session-engine");
const session_reader_1 = require("./session-reader");
const session_timers_1 = require("./session-timers");
const session_service_1 = require("./session.service");
/** Group setup, communication and message routing: one owner service per group, its timers, and its edges. */
let SessionModule = class SessionModule {
};
exports.SessionModule = SessionModule;
exports.SessionModule = SessionModule = __decorate([
    (0, common_1.Module)({
        imports: [groups_data_module_1.GroupsDataModule, registry_module_1.RegistryModule],
        controllers: [groups_controller_1.GroupsController],
        providers: [session_engine_1.SessionEngine, session_service_1.SessionService, session_timers_1.SessionTimers, session_reader_1.SessionReader, presence_service_1.PresenceService],
        exports: [session_service_1.SessionService, session_reader_1.SessionReader, presence_service_1.PresenceService, session_engine_1.SessionEngine],
    })
], SessionModule);
//# sourceMappingURL=session.module.js.map