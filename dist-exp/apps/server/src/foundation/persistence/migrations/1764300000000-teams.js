"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.Teams1764300000000 = void 0;
const typeorm_1 = require("typeorm");
const columns_1 = require("./columns");
class Teams1764300000000 {
    name = 'Teams1764300000000';
    async up(q) {
        await q.addColumns('groups', [
            new typeorm_1.TableColumn((0, columns_1.str)('goalId', 36, true)), new typeorm_1.TableColumn((0, columns_1.str)('parentGroupId', 36, true)), new typeorm_1.TableColumn((0, columns_1.str)('parentTaskId', 36, true)),
            new typeorm_1.TableColumn({ ...(0, columns_1.int)('level'), default: 0 }), new typeorm_1.TableColumn({ ...(0, columns_1.int)('teamUpDepth'), default: 0 }),
            new typeorm_1.TableColumn((0, columns_1.time)('formingDeadline', true)), new typeorm_1.TableColumn((0, columns_1.text)('decision', true)),
        ]);
        await q.createIndex('groups', new typeorm_1.TableIndex({ columnNames: ['goalId'] }));
        await q.createIndex('groups', new typeorm_1.TableIndex({ columnNames: ['parentGroupId'] }));
        await q.createIndex('messages', new typeorm_1.TableIndex({ columnNames: ['sender', 'messageId'] }));
        await q.createTable(new typeorm_1.Table({
            name: 'goals',
            columns: [
                (0, columns_1.id)('id'), (0, columns_1.text)('goal'), (0, columns_1.str)('createdBy', 36), (0, columns_1.str)('coordinator', 36), (0, columns_1.text)('coordinatorChoice'), (0, columns_1.int)('maxTurns'), (0, columns_1.int)('teamUpDepth'),
                (0, columns_1.str)('status', 16), (0, columns_1.str)('rootGroupId', 36, true), (0, columns_1.text)('result', true), (0, columns_1.text)('reason', true), (0, columns_1.time)('createdAt'), (0, columns_1.time)('updatedAt'),
            ],
        }));
        await q.createTable(new typeorm_1.Table({
            name: 'contacts',
            columns: [(0, columns_1.id)('agentId'), (0, columns_1.id)('contactId'), (0, columns_1.int)('groups'), (0, columns_1.int)('completedTasks'), (0, columns_1.int)('failedTasks'), (0, columns_1.text)('lastGoal'), (0, columns_1.time)('lastAt')],
        }));
    }
    async down(q) {
        await q.dropTable('contacts');
        await q.dropTable('goals');
        for (const c of ['decision', 'formingDeadline', 'teamUpDepth', 'level', 'parentTaskId', 'parentGroupId', 'goalId'])
            await q.dropColumn('groups', c);
    }
}
exports.Teams1764300000000 = Teams1764300000000;
//# sourceMappingURL=1764300000000-teams.js.map