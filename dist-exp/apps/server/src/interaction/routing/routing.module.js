"use strict";
var __decorate = (this && this.__decorate) || function (decorators, target, key, desc) {
    var c = arguments.length, r = c < 3 ? target : desc === null ? desc = Object.getOwnPropertyDescriptor(target, key) : desc, d;
    if (typeof Reflect === "object" && typeof Reflect.decorate === "function") r = Reflect.decorate(decorators, target, key, desc);
    else for (var i = decorators.length - 1; i >= 0; i--) if (d = decorators[i]) r = (c < 3 ? d(r) : c > 3 ? d(target, key, r) : d(target, key)) || r;
    return c > 3 && r && Object.defineProperty(target, key, r), r;
};
Object.defineProperty(exports, "__esModule", { value: true });
exports.RoutingModule = void 0;
const common_1 = require("@nestjs/common");
const session_module_1 = require("../session/session.module");
const team_formation_module_1 = require("../team-formation/team-formation.module");
const session_gateway_1 = require("./session.gateway");
/** Message routing: the socket.io edge, in front of sessions and team formation. */
let RoutingModule = class RoutingModule {
};
exports.RoutingModule = RoutingModule;
exports.RoutingModule = RoutingModule = __decorate([
    (0, common_1.Module)({
        imports: [session_module_1.SessionModule, team_formation_module_1.TeamFormationModule],
        providers: [session_gateway_1.SessionGateway],
    })
], RoutingModule);
//# sourceMappingURL=routing.module.js.map