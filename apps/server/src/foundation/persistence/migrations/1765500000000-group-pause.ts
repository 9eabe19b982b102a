import { MigrationInterface, QueryRunner, TableColumn } from 'typeorm';
import { text } from './columns';

/** Operator control: a group's pause (since when, by whom, why), null while it runs. */
export class GroupPause1765500000000 implements MigrationInterface {
  name = 'GroupPause1765500000000';

  async up(q: QueryRunner): Promise<void> {
    await q.addColumn('groups', new TableColumn(text('pause', true)));
  }

  async down(q: QueryRunner): Promise<void> {
    await q.dropColumn('groups', 'pause');
  }
}
