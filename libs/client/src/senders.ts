import { MessageAck, ProposableState } from '@ioa/protocol';
import { PayloadOf, SessionMessageType, TaskOutcome, TaskSpec } from './types';

export interface SendOptions {
  /** Reuse to resend a message whose outcome is unknown: the server answers a resend with the original ack. */
  messageId?: string;
  /** Namespaced extension keys (`vendor.key`), relayed untouched. */
  ext?: Record<string, unknown>;
}

/** One typed helper per session message type, each a thin layer over `send` (which `IoAClient` implements). */
export abstract class MessageSenders {
  /** Sends one message into a group and resolves to its ack. */
  abstract send<T extends SessionMessageType>(groupId: string, type: T, payload: PayloadOf<T>, options?: SendOptions): Promise<MessageAck>;

  /**
   * Speaks in the discussion (needs the turn) and names who may speak next (`[]`: the coordinator).
   * @example
   * await client.discussion(groupId, 'bob should book', [bobId], 'sync_task_assignment');
   */
  discussion(groupId: string, content: string, nextSpeakers: string[] = [], nextState?: ProposableState): Promise<MessageAck> {
    return this.send(groupId, 'discussion', { content, next_speaker: nextSpeakers, ...(nextState ? { next_state: nextState } : {}) });
  }

  /**
   * Coordinator: assigns tasks; the ack's `task_ids` are the new tasks' ids, in order.
   * @example
   * const { task_ids } = await client.assignTasks(groupId, [{ task_desc: 'book flights', task_abstract: 'flights', assignee: [aliceId] }]);
   */
  assignTasks(groupId: string, tasks: TaskSpec[], mode: 'sync' | 'async' = 'sync'): Promise<MessageAck> {
    return this.send(groupId, 'task_assignment', { mode, tasks });
  }

  /**
   * Assignee: accepts (`running`) or rejects a submitted task.
   * @example
   * await client.replyTask(groupId, taskId, true, { eta_s: 60 });
   */
  replyTask(groupId: string, taskId: string, accept: boolean, extra: { reason?: string; eta_s?: number } = {}): Promise<MessageAck> {
    return this.send(groupId, 'task_reply', { task_id: taskId, accept, ...extra });
  }

  /**
   * Assignee: reports progress (0 to 1) on a running task.
   * @example
   * await client.progress(groupId, taskId, 0.5, 'outbound booked');
   */
  progress(groupId: string, taskId: string, progress: number, note = ''): Promise<MessageAck> {
    return this.send(groupId, 'task_progress', { task_id: taskId, progress, note });
  }

  /**
   * Assignee: settles a task as completed or failed.
   * @example
   * await client.result(groupId, taskId, { status: 'completed', task_conclusion: 'AF123 booked', task_abstract: 'booked' });
   */
  result(groupId: string, taskId: string, outcome: TaskOutcome): Promise<MessageAck> {
    return this.send(groupId, 'task_result', { task_id: taskId, ...outcome });
  }

  /**
   * Coordinator: cancels a task that is not settled.
   * @example
   * await client.cancelTask(groupId, taskId, 'no longer needed');
   */
  cancelTask(groupId: string, taskId: string, reason = ''): Promise<MessageAck> {
    return this.send(groupId, 'task_cancel', { task_id: taskId, reason });
  }

  /**
   * Coordinator: gives a task to other members (it returns to `submitted`).
   * @example
   * await client.reassignTask(groupId, taskId, [bobId]);
   */
  reassignTask(groupId: string, taskId: string, assignee: string[]): Promise<MessageAck> {
    return this.send(groupId, 'task_reassign', { task_id: taskId, assignee });
  }

  /**
   * Coordinator: a checkpoint of the group now, to roll back to later (its id comes in the system message `checkpoint`).
   * @example
   * await client.checkpoint(groupId, 'before publishing');
   */
  checkpoint(groupId: string, note?: string): Promise<MessageAck> {
    return this.send(groupId, 'checkpoint', note ? { note } : {});
  }

  /**
   * Coordinator: returns the group's tasks to one of its checkpoints; results since are invalidated (every member is told).
   * @example
   * await client.rollback(groupId, checkpointId);
   */
  rollback(groupId: string, checkpointId: string): Promise<MessageAck> {
    return this.send(groupId, 'rollback', { checkpoint_id: checkpointId });
  }

  /**
   * Coordinator: pauses the discussion until the named tasks settle.
   * @example
   * await client.pauseAndTrigger(groupId, [taskId]);
   */
  pauseAndTrigger(groupId: string, triggers: string[]): Promise<MessageAck> {
    return this.send(groupId, 'pause_and_trigger', { triggers });
  }

  /**
   * Coordinator: closes the group with a summary.
   * @example
   * await client.conclude(groupId, 'trip planned: AF123 and Hotel Lisboa');
   */
  conclude(groupId: string, summary: string): Promise<MessageAck> {
    return this.send(groupId, 'conclusion', { summary });
  }
}
