import { MigrationInterface, QueryRunner, Table, TableColumn, TableIndex } from 'typeorm';
import { id, str, text, time } from './columns';

/** People in the loop: persons (who hold participant tokens), and a graph node's kind (`approval`) and approvers. */
export class Approvals1765600000000 implements MigrationInterface {
  name = 'Approvals1765600000000';

  async up(q: QueryRunner): Promise<void> {
    await q.createTable(new Table({ name: 'people', columns: [id('id'), str('name', 200), str('createdBy', 36), time('createdAt')] }));
    await q.addColumns('tasks', [new TableColumn(str('kind', 16, true)), new TableColumn(text('approvers', true))]);
    // `GET /v1/approvals` reads the approval nodes waiting for a decision.
    await q.createIndex('tasks', new TableIndex({ columnNames: ['kind', 'nodeState'] }));
  }

  async down(q: QueryRunner): Promise<void> {
    await q.dropIndex('tasks', new TableIndex({ columnNames: ['kind', 'nodeState'] }));
    await q.dropColumns('tasks', ['kind', 'approvers']);
    await q.dropTable('people');
  }
}
