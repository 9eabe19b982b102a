import { MigrationInterface, QueryRunner, TableColumn } from 'typeorm';
import { text } from './columns';

/** A goal submitted over A2A keeps its A2A context and task history. */
export class GoalA2a1765900000000 implements MigrationInterface {
  name = 'GoalA2a1765900000000';

  async up(q: QueryRunner): Promise<void> {
    await q.addColumn('goals', new TableColumn(text('a2a', true)));
  }

  async down(q: QueryRunner): Promise<void> {
    await q.dropColumn('goals', 'a2a');
  }
}
