import { Column, Entity, Index, PrimaryColumn } from 'typeorm';
import type { FailurePolicy, NodeKind, NodeState, TaskState } from '@ioa/protocol';
import { epochMs } from '../../foundation/persistence/columns';

export interface TaskHistoryEntry {
  at: number;
  state: TaskState;
  by: string;
  note?: string;
  /** Set on a progress report: the next report replaces this entry rather than adding one. */
  progress?: number;
}

export interface TaskResult {
  status: 'completed' | 'failed';
  task_conclusion: string;
  task_abstract: string;
}

/** An edge into a graph node: the predecessor's key and the condition on its outcome (`graph.ts`). */
export interface GraphEdge {
  key: string;
  when?: string;
}

@Entity('tasks')
@Index(['kind', 'nodeState'])
export class TaskEntity {
  @PrimaryColumn({ type: 'varchar', length: 36 })
  id: string;

  @Index()
  @Column({ type: 'varchar', length: 36 })
  groupId: string;

  @Column({ type: 'varchar', length: 8 })
  mode: 'sync' | 'async';

  @Column({ type: 'text' })
  description: string;

  @Column({ type: 'text' })
  abstract: string;

  @Column({ type: 'simple-json' })
  assignee: string[];

  @Column({ type: 'varchar', length: 16 })
  state: TaskState;

  @Column({ type: 'real' })
  progress: number;

  @Column({ type: 'bigint', nullable: true, transformer: epochMs })
  deadline: number | null;

  /** The state a suspended task resumes to when its assignee reconnects. */
  @Column({ type: 'varchar', length: 16, nullable: true })
  suspendedFrom: TaskState | null;

  /** When a suspended task fails if its assignee has not come back. */
  @Column({ type: 'bigint', nullable: true, transformer: epochMs })
  graceDeadline: number | null;

  @Column({ type: 'simple-json', nullable: true })
  result: TaskResult | null;

  @Column({ type: 'text', nullable: true })
  reason: string | null;

  @Column({ type: 'simple-json' })
  history: TaskHistoryEntry[];

  @Column({ type: 'bigint', transformer: epochMs })
  createdAt: number;

  @Column({ type: 'bigint', transformer: epochMs })
  updatedAt: number;

  // A node of a task graph (all null for a plain task): the graph (its assignment's message_id), its key in it, its
  // place in the graph, what it waits for, what its failure does, and its deadline (armed when it is dispatched).
  @Column({ type: 'varchar', length: 36, nullable: true })
  graphId: string | null;

  @Column({ type: 'varchar', length: 64, nullable: true })
  nodeKey: string | null;

  /** Its place in the assignment (the order the graph's nodes are shown and stepped in). */
  @Column({ type: 'integer', nullable: true })
  nodeIndex: number | null;

  @Column({ type: 'varchar', length: 16, nullable: true })
  nodeState: NodeState | null;

  @Column({ type: 'simple-json', nullable: true })
  edges: GraphEdge[] | null;

  @Column({ type: 'varchar', length: 8, nullable: true })
  policy: FailurePolicy | null;

  @Column({ type: 'integer', nullable: true })
  deadlineS: number | null;

  // Under `policy: "retry"`: the runs left, the delay before the next (doubled each time), and when it starts.
  @Column({ type: 'integer', nullable: true })
  retriesLeft: number | null;

  @Column({ type: 'integer', nullable: true })
  retryDelayS: number | null;

  @Column({ type: 'bigint', nullable: true, transformer: epochMs })
  retryAt: number | null;

  /** Under `policy: "reassign"`: the agents the node was assigned or offered to before, never asked again. */
  @Column({ type: 'simple-json', nullable: true })
  tried: string[] | null;

  /** `approval`: a node that people decide (it has no assignee; `deadline` is when it expires). */
  @Column({ type: 'varchar', length: 16, nullable: true })
  kind: NodeKind | null;

  /** Of an approval: the people who may decide besides admins; null for every participant whose token covers the group. */
  @Column({ type: 'simple-json', nullable: true })
  approvers: string[] | null;
}
