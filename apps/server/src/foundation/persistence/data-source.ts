import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { DataSourceOptions } from 'typeorm';
import { AppConfig } from '../config/config';
import { AgentEntity } from '../../data/registry/agent.entity';
import { TokenEntity } from '../security/token.entity';
import { VectorEntity } from '../vector-store/vector.entity';
import { Initial1764100000000 } from './migrations/1764100000000-initial';
import { Sessions1764200000000 } from './migrations/1764200000000-sessions';
import { GroupEntity } from '../../data/groups/group.entity';
import { MessageEntity } from '../../data/groups/message.entity';
import { TaskEntity } from '../../data/tasks/task.entity';
import { AuditEntity } from '../../data/audit/audit.entity';
import { MetaEntity } from './meta.entity';
import { Teams1764300000000 } from './migrations/1764300000000-teams';
import { MessageIds1764400000000 } from './migrations/1764400000000-message-ids';
import { GroupStateIndex1764500000000 } from './migrations/1764500000000-group-state-index';
import { NodeHeartbeats1764600000000 } from './migrations/1764600000000-node-heartbeats';
import { Coordinates1764700000000 } from './migrations/1764700000000-coordinates';
import { GoalAccept1764800000000 } from './migrations/1764800000000-goal-accept';
import { GoalCoordinatorIndex1764900000000 } from './migrations/1764900000000-goal-coordinator-index';
import { GroupFence1765000000000 } from './migrations/1765000000000-group-fence';
import { TaskGraphs1765100000000 } from './migrations/1765100000000-task-graphs';
import { NodeRetries1765200000000 } from './migrations/1765200000000-node-retries';
import { NodeReassign1765300000000 } from './migrations/1765300000000-node-reassign';
import { Checkpoints1765400000000 } from './migrations/1765400000000-checkpoints';
import { GroupPause1765500000000 } from './migrations/1765500000000-group-pause';
import { Approvals1765600000000 } from './migrations/1765600000000-approvals';
import { HumanMembers1765700000000 } from './migrations/1765700000000-human-members';
import { GoalA2a1765900000000 } from './migrations/1765900000000-goal-a2a';
import { HostedAgents1766000000000 } from './migrations/1766000000000-hosted-agents';
import { PushConfigs1766100000000 } from './migrations/1766100000000-push-configs';
import { RollbackAcks1765800000000 } from './migrations/1765800000000-rollback-acks';
import { PersonEntity } from '../../data/people/person.entity';
import { CheckpointEntity } from '../../data/checkpoints/checkpoint.entity';
import { NodeEntity } from './node.entity';
import { HostedAgentEntity } from '../../data/registry/hosted-agent.entity';
import { PushConfigEntity } from '../../data/goals/push-config.entity';
import { GoalEntity } from '../../data/goals/goal.entity';
import { ContactEntity } from '../../data/contacts/contact.entity';

export const ENTITIES = [AgentEntity, TokenEntity, VectorEntity, GroupEntity, MessageEntity, TaskEntity, AuditEntity, MetaEntity, GoalEntity, ContactEntity, NodeEntity, CheckpointEntity, PersonEntity, HostedAgentEntity, PushConfigEntity];
export const MIGRATIONS = [Initial1764100000000, Sessions1764200000000, Teams1764300000000, MessageIds1764400000000, GroupStateIndex1764500000000,
  NodeHeartbeats1764600000000, Coordinates1764700000000, GoalAccept1764800000000,
  GoalCoordinatorIndex1764900000000, GroupFence1765000000000, TaskGraphs1765100000000, NodeRetries1765200000000,
  NodeReassign1765300000000, Checkpoints1765400000000, GroupPause1765500000000, Approvals1765600000000, HumanMembers1765700000000, RollbackAcks1765800000000, GoalA2a1765900000000, HostedAgents1766000000000,
  PushConfigs1766100000000];

/** SQLite in the data dir unless `IOA_DATABASE_URL` names PostgreSQL; migrations run at start-up, never `synchronize`. */
export function dataSourceOptions(config: AppConfig): DataSourceOptions {
  const common = { entities: ENTITIES, migrations: MIGRATIONS, migrationsRun: true, synchronize: false } as const;
  if (config.databaseUrl) {
    // A node paused or cut off in the middle of a transaction must not hold a group's row locked for long: another
    // node taking the group over waits on it (our transactions take milliseconds). Nor may one stalled lock wait or
    // statement hold everything queued behind it (steps share transactions: group-committer.ts).
    return { ...common, type: 'postgres', url: config.databaseUrl, extra: { options: '-c idle_in_transaction_session_timeout=5000 -c lock_timeout=5000 -c statement_timeout=30000' } };
  }
  mkdirSync(config.dataDir, { recursive: true });
  return {
    ...common,
    type: 'better-sqlite3',
    database: join(config.dataDir, 'ioa.sqlite'),
    // WAL lets readers proceed during writes; NORMAL sync is durable across process crashes, which is what restarts need.
    prepareDatabase: (db: { pragma(s: string): unknown }) => {
      db.pragma('journal_mode = WAL');
      db.pragma('synchronous = NORMAL');
      db.pragma('busy_timeout = 5000');
      // Checkpoints run in a worker (wal-checkpointer.ts); this threshold (about 40 MB of log) is only a safety net.
      db.pragma('wal_autocheckpoint = 10000');
    },
  };
}
