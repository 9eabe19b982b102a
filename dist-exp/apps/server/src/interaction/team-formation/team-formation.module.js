"use strict";
var __decorate = (this && this.__decorate) || function (decorators, target, key, desc) {
    var c = arguments.length, r = c < 3 ? target : desc === null ? desc = Object.getOwnPropertyDescriptor(target, key) : desc, d;
    if (typeof Reflect === "object" && typeof Reflect.decorate === "function") r = Reflect.decorate(decorators, target, key, desc);
    else for (var i = decorators.length - 1; i >= 0; i--) if (d = decorators[i]) r = (c < 3 ? d(r) : c > 3 ? d(target, key, r) : d(target, key)) || r;
    return c > 3 && r && Object.defineProperty(target, key, r), r;
};
Object.defineProperty(exports, "__esModule", { value: true });
exports.TeamFormationModule = void 0;
const common_1 = require("@nestjs/common");
const typeorm_1 = require("@nestjs/typeorm");
const contacts_1 = require("../../data/contacts/contacts");
const goal_entity_1 = require("../../data/goals/goal.entity");
const groups_data_module_1 = require("../../data/groups/groups-data.module");
const registry_module_1 = require("../../data/registry/registry.module");
const agent_query_module_1 = require("../agent-query/agent-query.module");
const session_module_1 = require("../session/session.module");
const candidate_finder_1 = require("./candidate-finder");
const goals_service_1 = require("./goals.service");
const team_formation_service_1 = require("./team-formation.service");
const teams_controller_1 = require("./teams.controller");
/** Goals, autonomous team-up by meaning, nested sub-teams, the team tree and contacts. */
let TeamFormationModule = class TeamFormationModule {
};
exports.TeamFormationModule = TeamFormationModule;
exports.TeamFormationModule = TeamFormationModule = __decorate([
    (0, common_1.Module)({
        imports: [typeorm_1.TypeOrmModule.forFeature([goal_entity_1.GoalEntity]), groups_data_module_1.GroupsDataModule, registry_module_1.RegistryModule, agent_query_module_1.AgentQueryModule, session_module_1.SessionModule],
        controllers: [teams_controller_1.TeamsController],
        providers: [contacts_1.Contacts, candidate_finder_1.CandidateFinder, team_formation_service_1.TeamFormationService, goals_service_1.GoalsService],
        exports: [team_formation_service_1.TeamFormationService],
    })
], TeamFormationModule);
//# sourceMappingURL=team-formation.module.js.map