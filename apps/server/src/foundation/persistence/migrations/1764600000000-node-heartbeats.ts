import { MigrationInterface, QueryRunner, Table, TableColumn } from 'typeorm';
import { id, str, time } from './columns';

/**
 * A heartbeat row per node instead of one server-wide row, and the node holding each group: after a restart a group's
 * deadlines move by the downtime of the node that held it, so that with several nodes one node's restart shifts only
 * its own groups. The server-wide row (`meta.alive_at`) still stands for groups stored before this.
 */
export class NodeHeartbeats1764600000000 implements MigrationInterface {
  name = 'NodeHeartbeats1764600000000';

  async up(q: QueryRunner): Promise<void> {
    await q.createTable(new Table({ name: 'nodes', columns: [id('id', 128), time('aliveAt')] }));
    await q.addColumn('groups', new TableColumn(str('heldBy', 128, true)));
  }

  async down(q: QueryRunner): Promise<void> {
    await q.dropColumn('groups', 'heldBy');
    await q.dropTable('nodes');
  }
}
