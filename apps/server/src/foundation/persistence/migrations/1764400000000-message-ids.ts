import { MigrationInterface, QueryRunner, TableIndex } from 'typeorm';

/**
 * One unique index `(sender, messageId, groupId)` replaces two: `(groupId, sender, messageId)` (resends in a group)
 * and `(sender, messageId)` (a team_formation resend, whose group is not known yet). Its prefix serves both lookups,
 * and every stored message updates one index fewer.
 */
export class MessageIds1764400000000 implements MigrationInterface {
  name = 'MessageIds1764400000000';

  async up(q: QueryRunner): Promise<void> {
    await dropIndexOn(q, ['groupId', 'sender', 'messageId']);
    await dropIndexOn(q, ['sender', 'messageId']);
    await q.createIndex('messages', new TableIndex({ columnNames: ['sender', 'messageId', 'groupId'], isUnique: true }));
  }

  async down(q: QueryRunner): Promise<void> {
    await dropIndexOn(q, ['sender', 'messageId', 'groupId']);
    await q.createIndex('messages', new TableIndex({ columnNames: ['groupId', 'sender', 'messageId'], isUnique: true }));
    await q.createIndex('messages', new TableIndex({ columnNames: ['sender', 'messageId'] }));
  }
}

async function dropIndexOn(q: QueryRunner, columns: string[]): Promise<void> {
  const table = await q.getTable('messages');
  // Compared as sets: PostgreSQL lists an index's columns in table order.
  const same = (names: string[]) => [...names].sort().join() === [...columns].sort().join();
  const index = table?.indices.find((i) => same(i.columnNames));
  if (index) return q.dropIndex('messages', index);
  // PostgreSQL reports a unique index as a unique constraint.
  const unique = table?.uniques.find((u) => same(u.columnNames));
  if (unique) return q.dropUniqueConstraint('messages', unique);
  throw new Error(`messages: no index on (${columns.join(', ')})`);
}
