"use strict";
var __decorate = (this && this.__decorate) || function (decorators, target, key, desc) {
    var c = arguments.length, r = c < 3 ? target : desc === null ? desc = Object.getOwnPropertyDescriptor(target, key) : desc, d;
    if (typeof Reflect === "object" && typeof Reflect.decorate === "function") r = Reflect.decorate(decorators, target, key, desc);
    else for (var i = decorators.length - 1; i >= 0; i--) if (d = decorators[i]) r = (c < 3 ? d(r) : c > 3 ? d(target, key, r) : d(target, key)) || r;
    return c > 3 && r && Object.defineProperty(target, key, r), r;
};
Object.defineProperty(exports, "__esModule", { value: true });
exports.AgentQueryModule = void 0;
const common_1 = require("@nestjs/common");
const registry_module_1 = require("../../data/registry/registry.module");
const lexical_module_1 = require("../../foundation/lexical/lexical.module");
const agent_search_service_1 = require("./agent-search.service");
const agents_controller_1 = require("./agents.controller");
const agents_service_1 = require("./agents.service");
let AgentQueryModule = class AgentQueryModule {
};
exports.AgentQueryModule = AgentQueryModule;
exports.AgentQueryModule = AgentQueryModule = __decorate([
    (0, common_1.Module)({
        imports: [registry_module_1.RegistryModule, lexical_module_1.LexicalModule],
        controllers: [agents_controller_1.AgentsController],
        providers: [agent_search_service_1.AgentSearchService, agents_service_1.AgentsService],
        exports: [agent_search_service_1.AgentSearchService, agents_service_1.AgentsService],
    })
], AgentQueryModule);
//# sourceMappingURL=agent-query.module.js.map