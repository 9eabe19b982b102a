import { MigrationInterface, QueryRunner, TableColumn } from 'typeorm';

/**
 * Coordination becomes a declared capability (`coordinates` on the card): new agents coordinate only when their card
 * says so, while agents stored before the field coordinate, since every agent was eligible to coordinate a goal then.
 */
export class Coordinates1764700000000 implements MigrationInterface {
  name = 'Coordinates1764700000000';

  async up(q: QueryRunner): Promise<void> {
    // The default as each driver writes the entity's `default: false` (SQLite keeps booleans as 0 and 1).
    const no = q.connection.options.type === 'postgres' ? false : 0;
    await q.addColumn('agents', new TableColumn({ name: 'coordinates', type: 'boolean', default: no }));
    await q.manager.createQueryBuilder().update('agents').set({ coordinates: true }).execute();
  }

  async down(q: QueryRunner): Promise<void> {
    await q.dropColumn('agents', 'coordinates');
  }
}
