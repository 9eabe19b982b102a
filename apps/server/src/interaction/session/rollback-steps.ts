import { Injectable } from '@nestjs/common';
import { CHECKPOINT_FORMAT, ErrorCode, RollbackView } from '@ioa/protocol';
import { CheckpointEntity } from '../../data/checkpoints/checkpoint.entity';
import { GroupStore } from '../../data/groups/group-store';
import { ApiError } from '../../foundation/http/api-error';
import { Emitter, ROOM } from '../../foundation/network/emitter.port';
import { Clock } from '../../foundation/runtime/runtime.module';
import { Checkpoints } from './checkpoints';
import { failOrphans, offerAgain, requestApproval } from './graph-steps';
import { awaitsDecision } from './approvals';
import { withdrawInvites } from './invites';
import { Batch, LiveGroup } from './live-group';
import { CheckpointDocument, restoreTasks } from './rollback';
import { SessionEngine } from './session-engine';
import { SESSION_MACHINE_VERSION } from './session.machine';
import { awaitsAssignee } from './task-book';
import { AgentRegistry } from '../../data/registry/agent-registry.service';
import { ConfigService } from '../../foundation/config/config.service';
import { iso } from '../../foundation/runtime/time';
import { deadlineBase } from './deadlines';
import { askAcks } from './rollback-acks';

/** A checkpoint that may be restored, and the members to ask for an acknowledgement of the rollback. */
export interface Restorable {
  checkpoint: CheckpointEntity;
  ackers: string[];
}

/**
 * A rollback's two halves, shared by an admin's `POST /v1/groups/:id/rollback` and the coordinator's `rollback`
 * message: `load` finds a checkpoint of the group that may be restored (or refuses, changing nothing) and whom to ask
 * for an acknowledgement; `apply` returns the group's tasks to it in the step (`rollback.ts` decides what changes),
 * says so to everyone, and starts the acknowledgements' deadline (`rollback-acks.ts`).
 */
@Injectable()
export class RollbackSteps {
  constructor(
    private readonly engine: SessionEngine,
    private readonly checkpoints: Checkpoints,
    private readonly store: GroupStore,
    private readonly emitter: Emitter,
    private readonly clock: Clock,
    private readonly registry: AgentRegistry,
    private readonly config: ConfigService,
  ) {}

  /**
   * A checkpoint of this group that verifies (hash and data-key signature) and that this server's format and machine
   * can read. One that does not verify is refused and the attempt audited (`rollback_refused`): a changed checkpoint
   * is a sign of tampering.
   */
  async load(live: LiveGroup, id: string, by: string): Promise<Restorable> {
    const groupId = live.row.id;
    const checkpoint = await this.store.checkpoint(id);
    if (!checkpoint || checkpoint.groupId !== groupId) throw ApiError.notFound('checkpoint', id);
    if (!this.checkpoints.verify(checkpoint)) {
      // Stored apart from the step, which commits nothing when it throws.
      await this.store.commit({ audit: [this.engine.auditRow(by, 'rollback_refused', groupId, { checkpoint_id: id, why: 'does not verify' })] });
      throw new ApiError(ErrorCode.CONFLICT, `checkpoint ${id} does not verify (changed since it was signed, or signed by a key this server does not have): it is never restored`);
    }
    if (checkpoint.format !== CHECKPOINT_FORMAT || checkpoint.machineVersion !== SESSION_MACHINE_VERSION) {
      throw new ApiError(ErrorCode.CONFLICT, `checkpoint ${id} is of format ${checkpoint.format}, machine ${checkpoint.machineVersion}; this server restores ${CHECKPOINT_FORMAT}, ${SESSION_MACHINE_VERSION}`);
    }
    // Members whose clients declared `rollback_ack` are asked to acknowledge; the one rolling back has it already.
    const others = live.members.filter((m) => m !== by);
    const ackers = (await this.registry.getMany(others)).filter((a) => a.features?.includes('rollback_ack')).map((a) => a.id);
    return { checkpoint, ackers };
  }

  apply(live: LiveGroup, batch: Batch, by: string, { checkpoint, ackers }: Restorable): RollbackView {
    const now = this.clock.now();
    // Paused, the time left runs from the pause: the resume moves every deadline on.
    const restore = restoreTasks(live.tasks, checkpoint, JSON.parse(checkpoint.state) as CheckpointDocument, now, live.row.pause?.at ?? now);
    for (const t of [...restore.restored, ...restore.canceled]) {
      this.engine.writeTask(live, batch, t);
      // An invite sent for a node since the checkpoint no longer stands.
      if (withdrawInvites(live.row, 'rolled back', now, { taskId: t.id }).length) batch.decisionChanged = true;
    }
    // The assignment the checkpoint was in holds the group again; then what was assigned since settles (canceled).
    if (restore.hold) this.engine.send(live, batch, { type: 'HOLD_AGAIN', ...restore.hold }, by);
    for (const t of restore.canceled) this.engine.send(live, batch, { type: 'TASK_SETTLED', taskId: t.id }, by);
    const told = {
      group_id: live.row.id, checkpoint_id: checkpoint.id, at_seq: checkpoint.seq, invalidated: restore.invalidated,
      restored: restore.restored.map((t) => t.id), canceled: restore.canceled.map((t) => t.id),
    };
    const deadline = deadlineBase(live.row, now) + this.config.values.checkpoints.rollbackAckS * 1000;
    const acks = askAcks(live.row.rollbackAcks, told, ackers.filter((m) => live.members.includes(m)), deadline);
    live.row.rollbackAcks = acks;
    const view: RollbackView = { ...told, acks: acks?.checkpoint_id === checkpoint.id && acks.waiting.length ? { from: [...acks.waiting], deadline: iso(acks.deadline) as string } : null };
    const what = `${view.restored.length} tasks restored, ${view.canceled.length} canceled, ${view.invalidated.length} results invalidated`;
    this.engine.system(live, batch, 'rollback', `rolled back to checkpoint ${checkpoint.id} (seq ${checkpoint.seq}): ${what}`, { ...view, by });
    this.engine.audit(batch, by, 'rollback', live.row.id, { checkpoint_id: checkpoint.id, restored: view.restored, canceled: view.canceled, invalidated: view.invalidated.map((r) => r.task_id) });
    // A node that was waiting for its next assignee at the checkpoint asks again (the invite then is long gone); one
    // dispatched again to nobody still in the group fails, and its graph steps.
    for (const t of restore.restored.filter(awaitsAssignee)) offerAgain(this.engine, live, batch, t);
    for (const t of restore.restored.filter(awaitsDecision)) requestApproval(this.engine, live, batch, t);
    for (const t of failOrphans(this.engine, live, batch, restore.restored, now)) this.engine.settleTask(live, batch, t, 'system');
    const rooms = [ROOM.group(live.row.id), ...live.members.map(ROOM.agent)];
    batch.deliveries.push(() => this.emitter.emit({ rooms }, 'rollback', view));
    // Sub-teams working for a task that runs again work for a run that no longer counts (canceled tasks' close anyway).
    for (const t of restore.restored) batch.deliveries.push(() => this.engine.events.emit('subteamsAbandoned', live.row.id, t.id, `parent task ${t.id} rolled back`));
    return view;
  }
}
