"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.GroupStateIndex1764500000000 = void 0;
const typeorm_1 = require("typeorm");
/**
 * Drops the index on `groups.state`. Its one reader, the open-groups query at start-up, asks for `state <> 'closed'`,
 * which neither SQLite nor PostgreSQL answers from an index on so few distinct values; yet every session step
 * rewrites the group row's state and so the index entry (7-10 µs of a step's SQLite time, measured on SQLite).
 */
class GroupStateIndex1764500000000 {
    name = 'GroupStateIndex1764500000000';
    async up(q) {
        const table = await q.getTable('groups');
        const index = table?.indices.find((i) => i.columnNames.length === 1 && i.columnNames[0] === 'state');
        if (!index)
            throw new Error('groups: no index on (state)');
        await q.dropIndex('groups', index);
    }
    async down(q) {
        await q.createIndex('groups', new typeorm_1.TableIndex({ columnNames: ['state'] }));
    }
}
exports.GroupStateIndex1764500000000 = GroupStateIndex1764500000000;
//# sourceMappingURL=1764500000000-group-state-index.js.map