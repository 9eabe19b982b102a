import { MigrationInterface, QueryRunner, TableColumn } from 'typeorm';
import { int, str, text } from './columns';

/** Task graphs: a task that is a node of one carries its graph, key, place, node state, edges, failure policy and deadline. */
export class TaskGraphs1765100000000 implements MigrationInterface {
  name = 'TaskGraphs1765100000000';

  async up(q: QueryRunner): Promise<void> {
    // One call: on SQLite TypeORM rebuilds the table for each change.
    await q.addColumns('tasks', [
      new TableColumn(str('graphId', 36, true)), new TableColumn(str('nodeKey', 64, true)), new TableColumn(int('nodeIndex', true)), new TableColumn(str('nodeState', 16, true)),
      new TableColumn(text('edges', true)), new TableColumn(str('policy', 8, true)), new TableColumn(int('deadlineS', true)),
    ]);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.dropColumns('tasks', ['deadlineS', 'policy', 'edges', 'nodeState', 'nodeIndex', 'nodeKey', 'graphId']);
  }
}
