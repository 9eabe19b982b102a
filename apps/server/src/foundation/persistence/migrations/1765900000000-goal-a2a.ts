import { MigrationInterface, QueryRunner, TableColumn, TableIndex } from 'typeorm';
import { str, text, time } from './columns';

/** A goal submitted over A2A keeps its A2A context and task history; a goal, its open question to its requester and the answer's time. */
export class GoalA2a1765900000000 implements MigrationInterface {
  name = 'GoalA2a1765900000000';

  async up(q: QueryRunner): Promise<void> {
    await q.addColumns('goals', [new TableColumn(text('a2a', true)), new TableColumn(str('a2aContextId', 64, true)), new TableColumn(time('requesterMessageAt', true)),
      new TableColumn(text('requesterQuestion', true)), new TableColumn(time('requesterAskedAt', true))]);
    await q.createIndex('goals', new TableIndex({ columnNames: ['createdBy', 'a2aContextId'] }));
  }

  async down(q: QueryRunner): Promise<void> {
    const index = (await q.getTable('goals'))?.indices.find((i) => i.columnNames.join() === 'createdBy,a2aContextId');
    if (index) await q.dropIndex('goals', index);
    await q.dropColumns('goals', ['requesterAskedAt', 'requesterQuestion', 'requesterMessageAt', 'a2aContextId', 'a2a']);
  }
}
