import { MigrationInterface, QueryRunner, TableColumn } from 'typeorm';
import { text } from './columns';

/** Task graphs' `reassign` policy: the agents a node was assigned or offered to, never asked again. */
export class NodeReassign1765300000000 implements MigrationInterface {
  name = 'NodeReassign1765300000000';

  async up(q: QueryRunner): Promise<void> {
    await q.addColumn('tasks', new TableColumn(text('tried', true)));
  }

  async down(q: QueryRunner): Promise<void> {
    await q.dropColumn('tasks', 'tried');
  }
}
