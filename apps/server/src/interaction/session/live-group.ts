import { Actor, createActor, Snapshot } from 'xstate';
import type { GroupState } from '@ioa/protocol';
import { AuditEntity } from '../../data/audit/audit.entity';
import type { CheckpointEntity } from '../../data/checkpoints/checkpoint.entity';
import type { GoalChange } from '../../data/goals/goal-change';
import { GroupEntity } from '../../data/groups/group.entity';
import { MessageEntity } from '../../data/groups/message.entity';
import { TaskEntity } from '../../data/tasks/task.entity';
import { SessionContext, SessionEmitted, SessionInput, sessionMachine } from './session.machine';
import { PolicyGroup } from './session.policy';

/** Beyond this many messages in one group, resends are recognised by the database alone (memory stays bounded). */
export const MESSAGE_IDS_KEPT = 5000;

/**
 * What anyone outside the group host may see of an open group: read-only, current as of the last committed step
 * (or the step in progress, for a reader running inside one).
 */
export interface GroupRead {
  readonly row: Readonly<GroupEntity>;
  readonly state: GroupState;
  readonly members: readonly string[];
  readonly holders: readonly string[];
  readonly tasks: ReadonlyMap<string, TaskEntity>;
  /** The coordinator's conclusion, once written (a sub-team's result goes to its parent task). */
  readonly summary: string | null;
}

/** An open group in memory: its row, its machine and its tasks. Only the group host and its command handlers touch it. */
export class LiveGroup implements GroupRead {
  /** What the machine emitted during the current step, in order (the engine reads and clears it). */
  readonly emitted: SessionEmitted[] = [];
  readonly actor: Actor<typeof sessionMachine>;
  summary: string | null = null;
  /**
   * `sender message_id` of every message accepted in this group, while they number at most MESSAGE_IDS_KEPT, so
   * that a new id needs no database lookup to prove it is not a resend; null once unknown (the database answers).
   */
  private messageIds: Set<string> | null;

  constructor(public row: GroupEntity, readonly tasks: Map<string, TaskEntity>, start: { input: SessionInput } | { snapshot: unknown }) {
    this.actor = 'input' in start
      ? createActor(sessionMachine, { input: start.input })
      // A restored actor takes no input: its context comes from the snapshot.
      : createActor(sessionMachine, { snapshot: start.snapshot as Snapshot<unknown>, input: undefined as never });
    this.actor.on('*', (e) => this.emitted.push(e));
    this.actor.start();
    this.messageIds = 'input' in start ? new Set() : null;
  }

  /** Starts tracking ids for a group loaded from the database, given all of its stored `(sender, message_id)`. */
  knowMessageIds(ids: Array<{ sender: string; messageId: string }>): void {
    this.messageIds = ids.length <= MESSAGE_IDS_KEPT ? new Set(ids.map((m) => `${m.sender} ${m.messageId}`)) : null;
  }

  /** True when `message_id` is certainly new for this sender; false when it may be a resend (ask the database). */
  isNewMessageId(sender: string, messageId: string): boolean {
    return this.messageIds !== null && !this.messageIds.has(`${sender} ${messageId}`);
  }

  accepted(sender: string, messageId: string): void {
    if (!this.messageIds) return;
    this.messageIds.add(`${sender} ${messageId}`);
    if (this.messageIds.size > MESSAGE_IDS_KEPT) this.messageIds = null;
  }

  get context(): SessionContext {
    return this.actor.getSnapshot().context;
  }

  get state(): GroupState {
    const value = String(this.actor.getSnapshot().value);
    return (value === 'init' ? 'discussion' : value) as GroupState;
  }

  get members(): readonly string[] {
    return this.context.members;
  }

  get holders(): readonly string[] {
    return this.context.holders;
  }

  get policy(): PolicyGroup {
    const c = this.context;
    return { state: this.state, coordinator: c.coordinator, members: c.members, holders: c.holders, paused: this.row.pause !== null && this.row.pause !== undefined,
      root: this.row.goalId !== null && this.row.level === 0 };
  }
}

/** What one serialised action changes: written in one transaction, then delivered in order. */
export class Batch {
  readonly messages: MessageEntity[] = [];
  readonly tasks = new Map<string, TaskEntity>();
  readonly audit: AuditEntity[] = [];
  /** Checkpoints taken in this step (inserted with it, never updated). */
  readonly checkpoints: CheckpointEntity[] = [];
  /** Graphs a node of which settled in this step: the step ends with a checkpoint. */
  readonly settledGraphs = new Set<string>();
  /** Approval nodes that began to wait for a decision in this step: the step ends with a checkpoint before them. */
  readonly openedApprovals: TaskEntity[] = [];
  /** Goal rows this step moves (a root team formed or closed), written in the same transaction. */
  readonly goals: GoalChange[] = [];
  /** The group's team-formation `decision` changed in this step (only forming steps change it): write it too. */
  decisionChanged = false;
  readonly deliveries: Array<() => void> = [];
  /** Run after every delivery of the step: taking sockets out of rooms, once they have received what they may see. */
  readonly afterDeliveries: Array<() => void> = [];

  /** Marks a task to be written with this step. */
  writeTask(task: TaskEntity): void {
    this.tasks.set(task.id, task);
  }
}
