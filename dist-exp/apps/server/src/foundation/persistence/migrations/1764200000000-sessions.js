"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.Sessions1764200000000 = void 0;
const typeorm_1 = require("typeorm");
const columns_1 = require("./columns");
class Sessions1764200000000 {
    name = 'Sessions1764200000000';
    async up(q) {
        await q.createTable(new typeorm_1.Table({
            name: 'groups',
            columns: [
                (0, columns_1.id)('id'), (0, columns_1.text)('goal'), (0, columns_1.str)('createdBy', 36), (0, columns_1.str)('coordinator', 36), (0, columns_1.text)('members'), (0, columns_1.str)('state', 32),
                (0, columns_1.int)('machineVersion'), (0, columns_1.text)('snapshot'), (0, columns_1.int)('lastSeq'), (0, columns_1.int)('turnsUsed'), (0, columns_1.int)('maxTurns'), (0, columns_1.text)('options'),
                (0, columns_1.time)('turnDeadline', true), (0, columns_1.time)('conclusionDeadline', true), (0, columns_1.str)('closeReason', 32, true), (0, columns_1.time)('createdAt'), (0, columns_1.time)('updatedAt'),
            ],
            indices: [new typeorm_1.TableIndex({ columnNames: ['state'] })],
        }));
        await q.createTable(new typeorm_1.Table({
            name: 'messages',
            columns: [
                (0, columns_1.id)('groupId'), { name: 'seq', type: 'integer', isPrimary: true }, (0, columns_1.str)('messageId', 36), (0, columns_1.str)('sender', 36), (0, columns_1.str)('type', 32),
                (0, columns_1.str)('state', 32), (0, columns_1.text)('payload'), (0, columns_1.text)('ext', true), (0, columns_1.str)('digest', 64), (0, columns_1.text)('taskIds', true), (0, columns_1.time)('timestamp'),
            ],
            indices: [new typeorm_1.TableIndex({ columnNames: ['groupId', 'sender', 'messageId'], isUnique: true })],
        }));
        await q.createTable(new typeorm_1.Table({
            name: 'tasks',
            columns: [
                (0, columns_1.id)('id'), (0, columns_1.str)('groupId', 36), (0, columns_1.str)('mode', 8), (0, columns_1.text)('description'), (0, columns_1.text)('abstract'), (0, columns_1.text)('assignee'), (0, columns_1.str)('state', 16),
                { name: 'progress', type: 'real' }, (0, columns_1.time)('deadline', true), (0, columns_1.str)('suspendedFrom', 16, true), (0, columns_1.time)('graceDeadline', true),
                (0, columns_1.text)('result', true), (0, columns_1.text)('reason', true), (0, columns_1.text)('history'), (0, columns_1.time)('createdAt'), (0, columns_1.time)('updatedAt'),
            ],
            indices: [new typeorm_1.TableIndex({ columnNames: ['groupId'] })],
        }));
        await q.createTable(new typeorm_1.Table({
            name: 'audit',
            columns: [{ name: 'id', type: 'integer', isPrimary: true, isGenerated: true, generationStrategy: 'increment' }, (0, columns_1.time)('at'), (0, columns_1.str)('actor', 36), (0, columns_1.str)('action', 32), (0, columns_1.str)('groupId', 36, true), (0, columns_1.text)('detail')],
            indices: [new typeorm_1.TableIndex({ columnNames: ['at'] }), new typeorm_1.TableIndex({ columnNames: ['groupId', 'at'] })],
        }));
        await q.createTable(new typeorm_1.Table({ name: 'meta', columns: [(0, columns_1.id)('key', 64), (0, columns_1.text)('value')] }));
    }
    async down(q) {
        for (const table of ['meta', 'audit', 'tasks', 'messages', 'groups'])
            await q.dropTable(table);
    }
}
exports.Sessions1764200000000 = Sessions1764200000000;
//# sourceMappingURL=1764200000000-sessions.js.map