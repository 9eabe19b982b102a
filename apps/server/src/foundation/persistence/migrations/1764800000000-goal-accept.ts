import { MigrationInterface, QueryRunner, TableColumn } from 'typeorm';
import { text, time } from './columns';

/**
 * A goal waits for its coordinator only so long (`acceptDeadline`, from `acceptTimeoutS`) and then passes to the next
 * coordinator (`handovers`). Goals pending from before get their deadline when the server starts.
 */
export class GoalAccept1764800000000 implements MigrationInterface {
  name = 'GoalAccept1764800000000';

  async up(q: QueryRunner): Promise<void> {
    await q.addColumns('goals', [
      new TableColumn(time('acceptDeadline', true)),
      new TableColumn({ name: 'acceptTimeoutS', type: 'integer', default: 120 }),
      new TableColumn(text('handovers', true)),
    ]);
  }

  async down(q: QueryRunner): Promise<void> {
    for (const c of ['handovers', 'acceptTimeoutS', 'acceptDeadline']) await q.dropColumn('goals', c);
  }
}
