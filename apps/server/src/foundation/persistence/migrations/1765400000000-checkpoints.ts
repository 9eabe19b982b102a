import { MigrationInterface, QueryRunner, Table, TableIndex } from 'typeorm';
import { id, int, str, text, time } from './columns';

/** Checkpoints of groups' execution state, signed with the data key. */
export class Checkpoints1765400000000 implements MigrationInterface {
  name = 'Checkpoints1765400000000';

  async up(q: QueryRunner): Promise<void> {
    await q.createTable(new Table({
      name: 'checkpoints',
      columns: [
        id('id'), str('groupId', 36), str('graphId', 36, true), int('seq'), str('reason', 16), str('createdBy', 36), time('createdAt'),
        int('format'), int('machineVersion'), text('state'), str('hash', 64), str('kid', 32), str('signature', 64),
      ],
      indices: [new TableIndex({ columnNames: ['groupId', 'seq'] })],
    }));
  }

  async down(q: QueryRunner): Promise<void> {
    await q.dropTable('checkpoints');
  }
}
