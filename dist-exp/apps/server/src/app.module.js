"use strict";
var __decorate = (this && this.__decorate) || function (decorators, target, key, desc) {
    var c = arguments.length, r = c < 3 ? target : desc === null ? desc = Object.getOwnPropertyDescriptor(target, key) : desc, d;
    if (typeof Reflect === "object" && typeof Reflect.decorate === "function") r = Reflect.decorate(decorators, target, key, desc);
    else for (var i = decorators.length - 1; i >= 0; i--) if (d = decorators[i]) r = (c < 3 ? d(r) : c > 3 ? d(target, key, r) : d(target, key)) || r;
    return c > 3 && r && Object.defineProperty(target, key, r), r;
};
var AppModule_1;
Object.defineProperty(exports, "__esModule", { value: true });
exports.AppModule = void 0;
const common_1 = require("@nestjs/common");
const audit_module_1 = require("./data/audit/audit.module");
const config_service_1 = require("./foundation/config/config.service");
const embeddings_module_1 = require("./foundation/embeddings/embeddings.module");
const persistence_module_1 = require("./foundation/persistence/persistence.module");
const runtime_module_1 = require("./foundation/runtime/runtime.module");
const security_module_1 = require("./foundation/security/security.module");
const vector_store_module_1 = require("./foundation/vector-store/vector-store.module");
const agent_query_module_1 = require("./interaction/agent-query/agent-query.module");
const health_controller_1 = require("./interaction/health/health.controller");
const session_module_1 = require("./interaction/session/session.module");
const team_formation_module_1 = require("./interaction/team-formation/team-formation.module");
const routing_module_1 = require("./interaction/routing/routing.module");
const network_module_1 = require("./foundation/network/network.module");
/** The three IoA layers: foundation (infrastructure), data (registries), interaction (what agents do). */
let AppModule = AppModule_1 = class AppModule {
    static forRoot(config) {
        return {
            module: AppModule_1,
            imports: [
                config_service_1.ConfigModule.forRoot(config),
                runtime_module_1.RuntimeModule,
                persistence_module_1.PersistenceModule,
                security_module_1.SecurityModule,
                audit_module_1.AuditModule,
                embeddings_module_1.EmbeddingsModule,
                vector_store_module_1.VectorStoreModule,
                network_module_1.NetworkModule,
                agent_query_module_1.AgentQueryModule,
                session_module_1.SessionModule,
                team_formation_module_1.TeamFormationModule,
                routing_module_1.RoutingModule,
            ],
            controllers: [health_controller_1.HealthController],
        };
    }
};
exports.AppModule = AppModule;
exports.AppModule = AppModule = AppModule_1 = __decorate([
    (0, common_1.Module)({})
], AppModule);
//# sourceMappingURL=app.module.js.map