import { MigrationInterface, QueryRunner, Table, TableColumn, TableIndex } from 'typeorm';
import { id, int, str, text, time } from './columns';

export class Teams1764300000000 implements MigrationInterface {
  name = 'Teams1764300000000';

  async up(q: QueryRunner): Promise<void> {
    await q.addColumns('groups', [
      new TableColumn(str('goalId', 36, true)), new TableColumn(str('parentGroupId', 36, true)), new TableColumn(str('parentTaskId', 36, true)),
      new TableColumn({ ...int('level'), default: 0 }), new TableColumn({ ...int('teamUpDepth'), default: 0 }),
      new TableColumn(time('formingDeadline', true)), new TableColumn(text('decision', true)),
    ]);
    await q.createIndex('groups', new TableIndex({ columnNames: ['goalId'] }));
    await q.createIndex('groups', new TableIndex({ columnNames: ['parentGroupId'] }));
    await q.createIndex('messages', new TableIndex({ columnNames: ['sender', 'messageId'] }));
    await q.createTable(new Table({
      name: 'goals',
      columns: [
        id('id'), text('goal'), str('createdBy', 36), str('coordinator', 36), text('coordinatorChoice'), int('maxTurns'), int('teamUpDepth'),
        str('status', 16), str('rootGroupId', 36, true), text('result', true), text('reason', true), time('createdAt'), time('updatedAt'),
      ],
    }));
    await q.createTable(new Table({
      name: 'contacts',
      columns: [id('agentId'), id('contactId'), int('groups'), int('completedTasks'), int('failedTasks'), text('lastGoal'), time('lastAt')],
    }));
  }

  async down(q: QueryRunner): Promise<void> {
    await q.dropTable('contacts');
    await q.dropTable('goals');
    for (const c of ['decision', 'formingDeadline', 'teamUpDepth', 'level', 'parentTaskId', 'parentGroupId', 'goalId']) await q.dropColumn('groups', c);
  }
}
