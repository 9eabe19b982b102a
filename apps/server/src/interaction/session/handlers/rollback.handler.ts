import { Injectable } from '@nestjs/common';
import { CHECKPOINT_FORMAT, ErrorCode, RollbackView } from '@ioa/protocol';
import { GroupStore } from '../../../data/groups/group-store';
import { ApiError } from '../../../foundation/http/api-error';
import { Emitter, ROOM } from '../../../foundation/network/emitter.port';
import { Clock } from '../../../foundation/runtime/runtime.module';
import { Checkpoints } from '../checkpoints';
import { CommandHandler, CommandOf } from '../commands';
import { failOrphans, offerAgain } from '../graph-steps';
import { withdrawInvites } from '../invites';
import { Batch, LiveGroup } from '../live-group';
import { CheckpointDocument, restoreTasks } from '../rollback';
import { SessionEngine } from '../session-engine';
import { SESSION_MACHINE_VERSION } from '../session.machine';
import { awaitsAssignee } from '../task-book';

/** States a rollback may start from: it may return the group to a sync assignment, never out of a pause or the conclusion. */
const ROLLBACK_STATES = ['discussion', 'sync_task_assignment'];

/**
 * An admin returns a group's tasks to a checkpoint (`rollback.ts` decides what changes): only a checkpoint of this
 * group that verifies (hash and data-key signature) and that this server's format and machine can read. The step is
 * new (seq rises, turns are not refunded); the system message `rollback` and the `rollback` event say what it did.
 */
@Injectable()
export class RollbackHandler implements CommandHandler<'rollback'> {
  readonly type = 'rollback';

  constructor(
    private readonly engine: SessionEngine,
    private readonly checkpoints: Checkpoints,
    private readonly store: GroupStore,
    private readonly emitter: Emitter,
    private readonly clock: Clock,
  ) {}

  async handle(live: LiveGroup, batch: Batch, { by, checkpoint_id: id }: CommandOf<'rollback'>): Promise<RollbackView> {
    if (!ROLLBACK_STATES.includes(live.state)) throw new ApiError(ErrorCode.ILLEGAL_IN_STATE, `a rollback starts from discussion or a sync assignment, not ${live.state}`);
    const checkpoint = await this.store.checkpoint(id);
    if (!checkpoint || checkpoint.groupId !== live.row.id) throw ApiError.notFound('checkpoint', id);
    if (!this.checkpoints.verify(checkpoint)) throw new ApiError(ErrorCode.CONFLICT, `checkpoint ${id} does not verify (changed since it was signed, or signed by a key this server does not have): it is never restored`);
    if (checkpoint.format !== CHECKPOINT_FORMAT || checkpoint.machineVersion !== SESSION_MACHINE_VERSION) {
      throw new ApiError(ErrorCode.CONFLICT, `checkpoint ${id} is of format ${checkpoint.format}, machine ${checkpoint.machineVersion}; this server restores ${CHECKPOINT_FORMAT}, ${SESSION_MACHINE_VERSION}`);
    }
    const now = this.clock.now();
    // Paused, the time left runs from the pause: the resume moves every deadline on.
    const restore = restoreTasks(live.tasks, checkpoint, JSON.parse(checkpoint.state) as CheckpointDocument, now, live.row.pause?.at ?? now);
    for (const t of [...restore.restored, ...restore.canceled]) {
      this.engine.writeTask(live, batch, t);
      // An invite sent for a node since the checkpoint no longer stands.
      if (withdrawInvites(live.row, 'rolled back', now, { taskId: t.id }).length) batch.decisionChanged = true;
    }
    // The assignment the checkpoint was in holds the group again; then what was assigned since settles (canceled).
    if (restore.hold) this.engine.send(live, batch, { type: 'HOLD_AGAIN', ...restore.hold }, by.id);
    for (const t of restore.canceled) this.engine.send(live, batch, { type: 'TASK_SETTLED', taskId: t.id }, by.id);
    const view: RollbackView = {
      group_id: live.row.id, checkpoint_id: id, at_seq: checkpoint.seq, invalidated: restore.invalidated,
      restored: restore.restored.map((t) => t.id), canceled: restore.canceled.map((t) => t.id),
    };
    const what = `${view.restored.length} tasks restored, ${view.canceled.length} canceled, ${view.invalidated.length} results invalidated`;
    this.engine.system(live, batch, 'rollback', `rolled back to checkpoint ${id} (seq ${checkpoint.seq}): ${what}`, { ...view, by: by.id });
    this.engine.audit(batch, by.id, 'rollback', live.row.id, { checkpoint_id: id, restored: view.restored, canceled: view.canceled, invalidated: view.invalidated.map((r) => r.task_id) });
    // A node that was waiting for its next assignee at the checkpoint asks again (the invite then is long gone); one
    // dispatched again to nobody still in the group fails, and its graph steps.
    for (const t of restore.restored.filter(awaitsAssignee)) offerAgain(this.engine, live, batch, t);
    for (const t of failOrphans(this.engine, live, batch, restore.restored, now)) this.engine.settleTask(live, batch, t, 'system');
    const rooms = [ROOM.group(live.row.id), ...live.members.map(ROOM.agent)];
    batch.deliveries.push(() => this.emitter.emit({ rooms }, 'rollback', view));
    // Sub-teams working for a task that runs again work for a run that no longer counts (canceled tasks' close anyway).
    for (const t of restore.restored) batch.deliveries.push(() => this.engine.events.emit('subteamsAbandoned', live.row.id, t.id, `parent task ${t.id} rolled back`));
    return view;
  }
}
