import { MigrationInterface, QueryRunner, Table, TableIndex } from 'typeorm';
import { id, int, str, text, time } from './columns';

export class Sessions1764200000000 implements MigrationInterface {
  name = 'Sessions1764200000000';

  async up(q: QueryRunner): Promise<void> {
    await q.createTable(new Table({
      name: 'groups',
      columns: [
        id('id'), text('goal'), str('createdBy', 36), str('coordinator', 36), text('members'), str('state', 32),
        int('machineVersion'), text('snapshot'), int('lastSeq'), int('turnsUsed'), int('maxTurns'), text('options'),
        time('turnDeadline', true), time('conclusionDeadline', true), str('closeReason', 32, true), time('createdAt'), time('updatedAt'),
      ],
      indices: [new TableIndex({ columnNames: ['state'] })],
    }));
    await q.createTable(new Table({
      name: 'messages',
      columns: [
        id('groupId'), { name: 'seq', type: 'integer', isPrimary: true }, str('messageId', 36), str('sender', 36), str('type', 32),
        str('state', 32), text('payload'), text('ext', true), str('digest', 64), text('taskIds', true), time('timestamp'),
      ],
      indices: [new TableIndex({ columnNames: ['groupId', 'sender', 'messageId'], isUnique: true })],
    }));
    await q.createTable(new Table({
      name: 'tasks',
      columns: [
        id('id'), str('groupId', 36), str('mode', 8), text('description'), text('abstract'), text('assignee'), str('state', 16),
        { name: 'progress', type: 'real' }, time('deadline', true), str('suspendedFrom', 16, true), time('graceDeadline', true),
        text('result', true), text('reason', true), text('history'), time('createdAt'), time('updatedAt'),
      ],
      indices: [new TableIndex({ columnNames: ['groupId'] })],
    }));
    await q.createTable(new Table({
      name: 'audit',
      columns: [{ name: 'id', type: 'integer', isPrimary: true, isGenerated: true, generationStrategy: 'increment' }, time('at'), str('actor', 36), str('action', 32), str('groupId', 36, true), text('detail')],
      indices: [new TableIndex({ columnNames: ['at'] }), new TableIndex({ columnNames: ['groupId', 'at'] })],
    }));
    await q.createTable(new Table({ name: 'meta', columns: [id('key', 64), text('value')] }));
  }

  async down(q: QueryRunner): Promise<void> {
    for (const table of ['meta', 'audit', 'tasks', 'messages', 'groups']) await q.dropTable(table);
  }
}
