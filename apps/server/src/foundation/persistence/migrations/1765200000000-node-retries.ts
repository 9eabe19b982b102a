import { MigrationInterface, QueryRunner, TableColumn } from 'typeorm';
import { int, time } from './columns';

/** Task graphs' `retry` policy: a node's runs left, the delay before its next run, and when that run starts. */
export class NodeRetries1765200000000 implements MigrationInterface {
  name = 'NodeRetries1765200000000';

  async up(q: QueryRunner): Promise<void> {
    await q.addColumns('tasks', [new TableColumn(int('retriesLeft', true)), new TableColumn(int('retryDelayS', true)), new TableColumn(time('retryAt', true))]);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.dropColumns('tasks', ['retryAt', 'retryDelayS', 'retriesLeft']);
  }
}
