import { DynamicModule, Module } from '@nestjs/common';
import { AuditModule } from './data/audit/audit.module';
import { AppConfig } from './foundation/config/config';
import { ClusterModule } from './foundation/cluster/cluster.module';
import { ConfigModule } from './foundation/config/config.service';
import { MetricsModule } from './foundation/metrics/metrics.module';
import { EmbeddingsModule } from './foundation/embeddings/embeddings.module';
import { PersistenceModule } from './foundation/persistence/persistence.module';
import { RuntimeModule } from './foundation/runtime/runtime.module';
import { SecurityModule } from './foundation/security/security.module';
import { VectorStoreModule } from './foundation/vector-store/vector-store.module';
import { AgentQueryModule } from './interaction/agent-query/agent-query.module';
import { HealthController } from './interaction/health/health.controller';
import { GroupModule } from './interaction/group/group.module';
import { PeopleModule } from './interaction/people/people.module';
import { InteropModule } from './interaction/interop/interop.module';
import { SessionModule } from './interaction/session/session.module';
import { TeamFormationModule } from './interaction/team-formation/team-formation.module';
import { RoutingModule } from './interaction/routing/routing.module';
import { NetworkModule } from './foundation/network/network.module';

/** The three IoA layers: foundation (infrastructure), data (registries), interaction (what agents do). */
@Module({})
export class AppModule {
  static forRoot(config: AppConfig): DynamicModule {
    return {
      module: AppModule,
      imports: [
        ConfigModule.forRoot(config),
        RuntimeModule,
        ClusterModule,
        MetricsModule,
        PersistenceModule,
        SecurityModule,
        AuditModule,
        EmbeddingsModule,
        VectorStoreModule,
        NetworkModule,
        AgentQueryModule,
        SessionModule,
        GroupModule,
        PeopleModule,
        InteropModule,
        TeamFormationModule,
        RoutingModule,
      ],
      controllers: [HealthController],
    };
  }
}
