import { Injectable, OnModuleInit } from '@nestjs/common';
import { createHash } from 'node:crypto';
import { CHECKPOINT_FORMAT, CheckpointReason, CheckpointView } from '@ioa/protocol';
import { CheckpointEntity } from '../../data/checkpoints/checkpoint.entity';
import { ConfigService } from '../../foundation/config/config.service';
import { Clock, IdGenerator } from '../../foundation/runtime/runtime.module';
import { iso } from '../../foundation/runtime/time';
import { DataKeys } from '../../foundation/security/data-key';
import { Batch, LiveGroup } from './live-group';
import { canonical, SessionEngine } from './session-engine';
import { SessionEvents } from './session-events';
import { SESSION_MACHINE_VERSION } from './session.machine';

/** What a checkpoint's signature covers: every column but the signature (the state itself through its hash). */
const signed = (c: Omit<CheckpointEntity, 'state' | 'signature'>) => JSON.stringify(canonical({
  purpose: 'ioa checkpoint', id: c.id, groupId: c.groupId, graphId: c.graphId, seq: c.seq, reason: c.reason, createdBy: c.createdBy,
  createdAt: c.createdAt, format: c.format, machineVersion: c.machineVersion, hash: c.hash, kid: c.kid,
}));

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

/**
 * Takes checkpoints of a live group within a step (stored with it, announced by the system message `checkpoint`):
 * when a graph node settles (`IOA_CHECKPOINTS=nodes`, the default), before an approval waits for a person (always),
 * and when an admin or the coordinator asks. Verifies them: a
 * checkpoint is trusted only while its state matches its hash and its signature verifies with the data key.
 */
@Injectable()
export class Checkpoints implements OnModuleInit {
  constructor(
    private readonly engine: SessionEngine,
    private readonly events: SessionEvents,
    private readonly keys: DataKeys,
    private readonly config: ConfigService,
    private readonly clock: Clock,
    private readonly ids: IdGenerator,
  ) {}

  onModuleInit(): void {
    this.events.on('graphsMoved', (live, batch) => {
      // One checkpoint per step; it names the graph when only one moved. Before a person decides, always.
      const graphIds = [...new Set([...batch.settledGraphs, ...batch.openedApprovals.map((t) => t.graphId as string)])];
      const graphId = graphIds.length === 1 ? graphIds[0] : null;
      if (batch.openedApprovals.length) this.take(live, batch, 'approval', 'system', graphId);
      else if (this.config.values.checkpoints.take === 'nodes') this.take(live, batch, 'node_settled', 'system', graphId);
    });
  }

  /** A checkpoint of the group as it is now in this step; its `checkpoint` message follows it. */
  take(live: LiveGroup, batch: Batch, reason: CheckpointReason, by: string, graphId: string | null = null): CheckpointEntity {
    const { row } = live;
    const document = {
      format: CHECKPOINT_FORMAT, group_id: row.id, seq: row.lastSeq, state: live.state, machine_version: SESSION_MACHINE_VERSION,
      snapshot: live.actor.getPersistedSnapshot(), turns_used: live.context.turnsUsed,
      tasks: [...live.tasks.values()].sort((a, b) => a.createdAt - b.createdAt || a.id.localeCompare(b.id)),
    };
    const state = JSON.stringify(canonical(document));
    const checkpoint = Object.assign(new CheckpointEntity(), {
      id: this.ids.next(), groupId: row.id, graphId, seq: row.lastSeq, reason, createdBy: by, createdAt: this.clock.now(),
      format: CHECKPOINT_FORMAT, machineVersion: SESSION_MACHINE_VERSION, state, hash: sha256(state), kid: this.keys.kid,
    });
    checkpoint.signature = this.keys.sign(signed(checkpoint)).mac;
    batch.checkpoints.push(checkpoint);
    this.engine.system(live, batch, 'checkpoint', `checkpoint ${checkpoint.id} (${reason.replace('_', ' ')}) at seq ${checkpoint.seq}`, {
      checkpoint_id: checkpoint.id, reason, at_seq: checkpoint.seq, ...(graphId ? { graph_id: graphId } : {}),
    });
    return checkpoint;
  }

  /** Whether a stored checkpoint is as it was signed: its state matches its hash, and its signature verifies. */
  verify(c: CheckpointEntity): boolean {
    return typeof c.state === 'string' && sha256(c.state) === c.hash && this.keys.verify(signed(c), { kid: c.kid, mac: c.signature });
  }

  view(c: CheckpointEntity): CheckpointView {
    return {
      id: c.id, group_id: c.groupId, graph_id: c.graphId, seq: c.seq, reason: c.reason, created_by: c.createdBy, created_at: iso(c.createdAt) as string,
      format: c.format, machine_version: c.machineVersion, hash: c.hash, kid: c.kid, verified: this.verify(c),
    };
  }
}
