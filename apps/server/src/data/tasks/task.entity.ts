import { Column, Entity, Index, PrimaryColumn } from 'typeorm';
import type { TaskState } from '@ioa/protocol';
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

@Entity('tasks')
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
}
