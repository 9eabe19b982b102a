import { MigrationInterface, QueryRunner, TableIndex } from 'typeorm';

/**
 * An index on `goals (coordinator, status)`: every agent's connection asks for the goals still pending on it (they are
 * sent again on connect), which without it reads the whole table.
 */
export class GoalCoordinatorIndex1764900000000 implements MigrationInterface {
  name = 'GoalCoordinatorIndex1764900000000';

  async up(q: QueryRunner): Promise<void> {
    await q.createIndex('goals', new TableIndex({ columnNames: ['coordinator', 'status'] }));
  }

  async down(q: QueryRunner): Promise<void> {
    const index = (await q.getTable('goals'))?.indices.find((i) => i.columnNames.join() === 'coordinator,status');
    if (index) await q.dropIndex('goals', index);
  }
}
