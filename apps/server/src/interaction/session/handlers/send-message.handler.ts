import { Injectable } from '@nestjs/common';
import { ErrorCode, isGraph, MessageAck, SessionEnvelope } from '@ioa/protocol';
import { GroupStore } from '../../../data/groups/group-store';
import { People } from '../../../data/people/people';
import { ApiError } from '../../../foundation/http/api-error';
import { Clock, IdGenerator } from '../../../foundation/runtime/runtime.module';
import { CommandHandler, CommandOf } from '../commands';
import { Batch, LiveGroup } from '../live-group';
import { SessionEngine } from '../session-engine';
import { SessionEvent } from '../session.machine';
import { checkMessage } from '../session.policy';
import { Checkpoints } from '../checkpoints';
import { endWait } from '../graph-steps';
import { RollbackSteps } from '../rollback-steps';
import { applyTaskMessage, isTaskMessage, newTask, TaskEnvelope } from '../task-book';

/**
 * A member's protocol message: resend → policy (membership, role, state, turn) → the machine's own `can` → accepted.
 * A refusal changes nothing but the audit log.
 */
@Injectable()
export class SendMessageHandler implements CommandHandler<'send_message'> {
  readonly type = 'send_message';

  constructor(
    private readonly engine: SessionEngine,
    private readonly store: GroupStore,
    private readonly clock: Clock,
    private readonly ids: IdGenerator,
    private readonly checkpoints: Checkpoints,
    private readonly rollbacks: RollbackSteps,
    private readonly people: People,
  ) {}

  async handle(live: LiveGroup, batch: Batch, { by, envelope, digest }: CommandOf<'send_message'>): Promise<MessageAck> {
    // Under the lock, so that a resend racing its original sees it.
    const original = await originalAck(this.store, live, live.row.id, by.id, envelope.header.message_id, digest);
    if (original) return original;
    const refusal = checkMessage(live.policy, by.id, envelope.type, envelope.payload, live.tasks, envelope.header.message_id);
    const event = refusal ? null : toEvent(envelope, by.id);
    if (refusal || (event && !live.actor.getSnapshot().can(event))) {
      const error = refusal ?? { code: ErrorCode.ILLEGAL_IN_STATE, message: `${envelope.type} is not allowed now` };
      // Stored apart from the step, which commits nothing when it throws. A client waiting out a pause sends again
      // every half minute: those refusals are not audited.
      if (live.policy.members.includes(by.id) && error.code !== ErrorCode.GROUP_PAUSED) await this.store.commit({ audit: [this.engine.auditRow(by.id, 'refused', live.row.id, { type: envelope.type, ...error })] });
      throw new ApiError(error.code, error.message);
    }
    // An approval's approvers are people; read under the lock, so that the sender's messages keep their order.
    if (envelope.type === 'task_assignment') await this.assertPeople(envelope.payload.tasks.flatMap((t) => t.approvers ?? []));
    // A rollback's checkpoint must exist, be this group's and verify before anything is stored.
    const checkpoint = envelope.type === 'rollback' ? await this.rollbacks.load(live, envelope.payload.checkpoint_id, by.id) : null;
    const ack = this.accept(live, batch, by.id, envelope, digest, event);
    if (envelope.type === 'checkpoint') {
      const taken = this.checkpoints.take(live, batch, 'requested', by.id);
      this.engine.audit(batch, by.id, 'checkpoint', live.row.id, { checkpoint_id: taken.id, seq: taken.seq });
    }
    if (checkpoint) this.rollbacks.apply(live, batch, by.id, checkpoint);
    const goalId = live.row.goalId;
    if (envelope.type === 'discussion' && envelope.payload.ask_requester && goalId) {
      const at = this.clock.now();
      batch.deliveries.push(() => this.engine.events.emit('requesterAsked', goalId, envelope.payload.content, at));
    }
    return ack;
  }

  private async assertPeople(ids: string[]): Promise<void> {
    const unknown = ids.length ? await this.people.unknown(ids) : [];
    if (unknown.length) throw new ApiError(ErrorCode.VALIDATION, `approvers ${[...new Set(unknown)].join(', ')} are not people (POST /v1/people creates them)`);
  }

  private accept(live: LiveGroup, batch: Batch, sender: string, env: SessionEnvelope, digest: string, event: SessionEvent | null): MessageAck {
    const now = this.clock.now();
    let stored: object = env.payload;
    let taskIds: string[] | null = null;
    let graphId: string | null = null;
    if (env.type === 'task_assignment') {
      const { mode, tasks: specs } = env.payload;
      // A graph is named by its assignment's message_id; its nodes wait until the graph's first step below.
      graphId = isGraph(specs) ? env.header.message_id : null;
      const tasks = specs.map((spec, index) => newTask(this.ids.next(), live.row.id, mode, spec, sender, now, graphId ? { graphId, index } : null));
      const ids = tasks.map((t) => t.id);
      taskIds = ids;
      // An approval has no assignee; stored with an empty list, every task of an assignment has one (old clients read it).
      stored = { ...env.payload, tasks: specs.map((spec, i) => ({ task_id: ids[i], ...spec, assignee: spec.assignee ?? [] })) };
      for (const t of tasks) {
        live.tasks.set(t.id, t);
        this.engine.writeTask(live, batch, t);
      }
      if (event?.type === 'ASSIGN') event.taskIds = mode === 'sync' ? ids : [];
    }
    const message = this.engine.append(live, batch, {
      type: env.type, sender, payload: stored as Record<string, unknown>, messageId: env.header.message_id, ext: env.ext, digest, taskIds,
    });
    if (env.type === 'conclusion') live.summary = env.payload.summary;
    if (isTaskMessage(env)) this.applyToTask(live, batch, env, sender, now);
    if (event) this.engine.send(live, batch, event, sender);
    if (graphId) this.engine.startGraph(live, batch, graphId);
    return { seq: message.seq, message_id: message.messageId, ...(taskIds ? { task_ids: taskIds } : {}) };
  }

  private applyToTask(live: LiveGroup, batch: Batch, env: TaskEnvelope, sender: string, now: number): void {
    const task = live.tasks.get(env.payload.task_id);
    if (!task) return;
    const waiting = task.nodeState === 'ready';
    const settled = applyTaskMessage(task, env, sender, now);
    if (waiting) endWait(live, batch, task, now);
    this.engine.writeTask(live, batch, task);
    if (settled) this.engine.settleTask(live, batch, task, sender);
  }
}

/**
 * The original ack of an accepted message with this id (open or closed group alike), or null when the id is new;
 * a reuse of the id for other content is refused.
 */
export async function originalAck(store: GroupStore, live: LiveGroup | null, groupId: string, sender: string, messageId: string, digest: string): Promise<MessageAck | null> {
  if (live?.isNewMessageId(sender, messageId)) return null;
  const existing = await store.findMessage(groupId, sender, messageId);
  if (!existing) return null;
  if (existing.digest !== digest) throw new ApiError(ErrorCode.DUPLICATE_MESSAGE_ID, `message_id ${messageId} was already used for other content`);
  return { seq: existing.seq, message_id: existing.messageId, ...(existing.taskIds ? { task_ids: existing.taskIds } : {}) };
}

function toEvent(env: SessionEnvelope, sender: string): SessionEvent | null {
  switch (env.type) {
    case 'discussion':
      return { type: 'DISCUSS', sender, nextSpeakers: [...new Set(env.payload.next_speaker)], nextState: env.payload.next_state };
    case 'task_assignment':
      return { type: 'ASSIGN', sender, mode: env.payload.mode, taskIds: [] };
    case 'pause_and_trigger':
      return { type: 'PAUSE', sender, triggers: [...new Set(env.payload.triggers)] };
    case 'conclusion':
      return { type: 'CONCLUDE', sender };
    default:
      return null;
  }
}
