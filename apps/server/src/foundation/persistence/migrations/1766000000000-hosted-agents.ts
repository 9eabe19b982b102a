import { MigrationInterface, QueryRunner, Table, TableIndex } from 'typeorm';
import { id, str, text, time } from './columns';

/** A2A agents the server hosts: how to reach each (its card, endpoint and sealed secret). */
export class HostedAgents1766000000000 implements MigrationInterface {
  name = 'HostedAgents1766000000000';

  async up(q: QueryRunner): Promise<void> {
    await q.createTable(new Table({
      name: 'hosted_agents',
      columns: [
        id('agentId'), text('cardUrl'), text('endpoint'), str('protocolVersion', 8), text('card'), text('secret', true), str('invitePolicy', 8),
        { name: 'crossOrigin', type: 'boolean' }, time('createdAt'), time('updatedAt'),
      ],
      indices: [new TableIndex({ columnNames: ['cardUrl'], isUnique: true })],
    }));
  }

  async down(q: QueryRunner): Promise<void> {
    await q.dropTable('hosted_agents');
  }
}
