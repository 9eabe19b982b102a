import { MigrationInterface, QueryRunner, TableColumn } from 'typeorm';
import { text } from './columns';

/** Rollback acknowledgements: the protocol features an agent's card declares, and a group's acks waited for. */
export class RollbackAcks1765800000000 implements MigrationInterface {
  name = 'RollbackAcks1765800000000';

  async up(q: QueryRunner): Promise<void> {
    await q.addColumn('agents', new TableColumn(text('features', true)));
    await q.addColumn('groups', new TableColumn(text('rollbackAcks', true)));
  }

  async down(q: QueryRunner): Promise<void> {
    await q.dropColumn('groups', 'rollbackAcks');
    await q.dropColumn('agents', 'features');
  }
}
