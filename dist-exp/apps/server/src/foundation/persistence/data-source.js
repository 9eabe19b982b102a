"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.MIGRATIONS = exports.ENTITIES = void 0;
exports.dataSourceOptions = dataSourceOptions;
const node_fs_1 = require("node:fs");
const node_path_1 = require("node:path");
const agent_entity_1 = require("../../data/registry/agent.entity");
const token_entity_1 = require("../security/token.entity");
const vector_entity_1 = require("../vector-store/vector.entity");
const _1764100000000_initial_1 = require("./migrations/1764100000000-initial");
const _1764200000000_sessions_1 = require("./migrations/1764200000000-sessions");
const group_entity_1 = require("../../data/groups/group.entity");
const message_entity_1 = require("../../data/groups/message.entity");
const task_entity_1 = require("../../data/tasks/task.entity");
const audit_entity_1 = require("../../data/audit/audit.entity");
const meta_entity_1 = require("./meta.entity");
const _1764300000000_teams_1 = require("./migrations/1764300000000-teams");
const _1764400000000_message_ids_1 = require("./migrations/1764400000000-message-ids");
const _1764500000000_group_state_index_1 = require("./migrations/1764500000000-group-state-index");
const goal_entity_1 = require("../../data/goals/goal.entity");
const contact_entity_1 = require("../../data/contacts/contact.entity");
exports.ENTITIES = [agent_entity_1.AgentEntity, token_entity_1.TokenEntity, vector_entity_1.VectorEntity, group_entity_1.GroupEntity, message_entity_1.MessageEntity, task_entity_1.TaskEntity, audit_entity_1.AuditEntity, meta_entity_1.MetaEntity, goal_entity_1.GoalEntity, contact_entity_1.ContactEntity];
exports.MIGRATIONS = [_1764100000000_initial_1.Initial1764100000000, _1764200000000_sessions_1.Sessions1764200000000, _1764300000000_teams_1.Teams1764300000000, _1764400000000_message_ids_1.MessageIds1764400000000, _1764500000000_group_state_index_1.GroupStateIndex1764500000000];
/** SQLite in the data dir unless `IOA_DATABASE_URL` names PostgreSQL; migrations run at start-up, never `synchronize`. */
function dataSourceOptions(config) {
    const common = { entities: exports.ENTITIES, migrations: exports.MIGRATIONS, migrationsRun: true, synchronize: false };
    if (config.databaseUrl)
        return { ...common, type: 'postgres', url: config.databaseUrl };
    (0, node_fs_1.mkdirSync)(config.dataDir, { recursive: true });
    return {
        ...common,
        type: 'better-sqlite3',
        database: (0, node_path_1.join)(config.dataDir, 'ioa.sqlite'),
        // WAL lets readers proceed during writes; NORMAL sync is durable across process crashes, which is what restarts need.
        prepareDatabase: (db) => {
            db.pragma('journal_mode = WAL');
            db.pragma('synchronous = NORMAL');
            db.pragma('busy_timeout = 5000');
            // Checkpoints run in a worker (wal-checkpointer.ts); this threshold (about 40 MB of log) is only a safety net.
            db.pragma('wal_autocheckpoint = 10000');
        },
    };
}
//# sourceMappingURL=data-source.js.map