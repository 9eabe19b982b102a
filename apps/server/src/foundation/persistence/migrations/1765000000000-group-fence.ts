import { MigrationInterface, QueryRunner, TableColumn } from 'typeorm';
import { time } from './columns';

/**
 * A fencing token per group: it grows each time a node takes the group, and every commit of a step carries the token
 * its writer took the group with, so a node that lost the group (paused, partitioned) can never write to it again.
 */
export class GroupFence1765000000000 implements MigrationInterface {
  name = 'GroupFence1765000000000';

  async up(q: QueryRunner): Promise<void> {
    await q.addColumn('groups', new TableColumn({ ...time('fence'), default: 0 }));
  }

  async down(q: QueryRunner): Promise<void> {
    await q.dropColumn('groups', 'fence');
  }
}
