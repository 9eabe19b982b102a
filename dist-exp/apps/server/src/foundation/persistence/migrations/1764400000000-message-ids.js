"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.MessageIds1764400000000 = void 0;
const typeorm_1 = require("typeorm");
/**
 * One unique index `(sender, messageId, groupId)` replaces two: `(groupId, sender, messageId)` (resends in a group)
 * and `(sender, messageId)` (a team_formation resend, whose group is not known yet). Its prefix serves both lookups,
 * and every stored message updates one index fewer.
 */
class MessageIds1764400000000 {
    name = 'MessageIds1764400000000';
    async up(q) {
        await dropIndexOn(q, ['groupId', 'sender', 'messageId']);
        await dropIndexOn(q, ['sender', 'messageId']);
        await q.createIndex('messages', new typeorm_1.TableIndex({ columnNames: ['sender', 'messageId', 'groupId'], isUnique: true }));
    }
    async down(q) {
        await dropIndexOn(q, ['sender', 'messageId', 'groupId']);
        await q.createIndex('messages', new typeorm_1.TableIndex({ columnNames: ['groupId', 'sender', 'messageId'], isUnique: true }));
        await q.createIndex('messages', new typeorm_1.TableIndex({ columnNames: ['sender', 'messageId'] }));
    }
}
exports.MessageIds1764400000000 = MessageIds1764400000000;
async function dropIndexOn(q, columns) {
    const table = await q.getTable('messages');
    // Compared as sets: PostgreSQL lists an index's columns in table order.
    const same = (names) => [...names].sort().join() === [...columns].sort().join();
    const index = table?.indices.find((i) => same(i.columnNames));
    if (index)
        return q.dropIndex('messages', index);
    // PostgreSQL reports a unique index as a unique constraint.
    const unique = table?.uniques.find((u) => same(u.columnNames));
    if (unique)
        return q.dropUniqueConstraint('messages', unique);
    throw new Error(`messages: no index on (${columns.join(', ')})`);
}
//# sourceMappingURL=1764400000000-message-ids.js.map