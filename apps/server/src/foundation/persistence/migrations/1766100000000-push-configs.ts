import { MigrationInterface, QueryRunner, Table } from 'typeorm';
import { id, str, text, time } from './columns';

/** A2A push notification configs: where a client is told of its task's changes. */
export class PushConfigs1766100000000 implements MigrationInterface {
  name = 'PushConfigs1766100000000';

  async up(q: QueryRunner): Promise<void> {
    await q.createTable(new Table({
      name: 'a2a_push_configs',
      // Keyed by goal and id: config ids are the clients' own.
      columns: [id('goalId'), id('id', 64), text('url'), text('secrets'), str('wireVersion', 8), time('createdAt')],
    }));
  }

  async down(q: QueryRunner): Promise<void> {
    await q.dropTable('a2a_push_configs');
  }
}
