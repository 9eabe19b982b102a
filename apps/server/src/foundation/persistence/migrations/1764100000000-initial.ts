import { MigrationInterface, QueryRunner, Table, TableIndex } from 'typeorm';
import { id, int, str, text, time } from './columns';

export class Initial1764100000000 implements MigrationInterface {
  name = 'Initial1764100000000';

  async up(q: QueryRunner): Promise<void> {
    await q.createTable(new Table({
      name: 'agents',
      columns: [
        id('id'), str('name', 63), text('description'), text('capabilities'), text('skills'), str('version', 64, true),
        str('owner', 200, true), text('interface', true), text('metadata'), { name: 'acceptingInvites', type: 'boolean' },
        int('maxConcurrentGroups'), str('status', 16), time('lastSeen', true), time('createdAt'), time('updatedAt'),
      ],
      indices: [
        new TableIndex({ columnNames: ['name'], isUnique: true }),
        new TableIndex({ columnNames: ['owner'] }),
        new TableIndex({ columnNames: ['status'] }),
      ],
    }));
    await q.createTable(new Table({
      name: 'tokens',
      columns: [
        id('jti'), str('kind', 16), str('role', 16), str('subject', 36, true), str('label', 200, true), text('scope', true),
        int('maxUses', true), int('uses'), str('pairJti', 36, true), time('expiresAt'), time('revokedAt', true), time('createdAt'),
      ],
      indices: [new TableIndex({ columnNames: ['subject'] })],
    }));
    await q.createTable(new Table({
      name: 'vectors',
      columns: [id('collection', 100), id('id', 100), str('owner', 64), text('payload'), text('vector')],
      indices: [new TableIndex({ columnNames: ['collection', 'owner'] })],
    }));
  }

  async down(q: QueryRunner): Promise<void> {
    for (const table of ['vectors', 'tokens', 'agents']) await q.dropTable(table);
  }
}
