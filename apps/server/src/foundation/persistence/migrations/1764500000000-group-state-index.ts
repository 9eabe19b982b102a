import { MigrationInterface, QueryRunner, TableIndex } from 'typeorm';

/**
 * Drops the index on `groups.state`. Its one reader, the open-groups query at start-up, asks for `state <> 'closed'`,
 * which neither SQLite nor PostgreSQL answers from an index on so few distinct values; yet every session step
 * rewrites the group row's state and so the index entry (7-10 µs of a step's SQLite time, measured on SQLite).
 */
export class GroupStateIndex1764500000000 implements MigrationInterface {
  name = 'GroupStateIndex1764500000000';

  async up(q: QueryRunner): Promise<void> {
    const table = await q.getTable('groups');
    const index = table?.indices.find((i) => i.columnNames.length === 1 && i.columnNames[0] === 'state');
    if (!index) throw new Error('groups: no index on (state)');
    await q.dropIndex('groups', index);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.createIndex('groups', new TableIndex({ columnNames: ['state'] }));
  }
}
