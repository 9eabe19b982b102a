import { MigrationInterface, QueryRunner, TableColumn } from 'typeorm';
import { text } from './columns';

/** People as members of groups: which members of a group are people. */
export class HumanMembers1765700000000 implements MigrationInterface {
  name = 'HumanMembers1765700000000';

  async up(q: QueryRunner): Promise<void> {
    await q.addColumn('groups', new TableColumn(text('humans', true)));
  }

  async down(q: QueryRunner): Promise<void> {
    await q.dropColumn('groups', 'humans');
  }
}
