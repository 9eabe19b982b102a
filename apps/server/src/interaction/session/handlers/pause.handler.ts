import { Injectable } from '@nestjs/common';
import { ErrorCode, GroupPauseEvent } from '@ioa/protocol';
import { ApiError } from '../../../foundation/http/api-error';
import { Emitter, ROOM } from '../../../foundation/network/emitter.port';
import { Clock } from '../../../foundation/runtime/runtime.module';
import { CommandHandler, CommandOf } from '../commands';
import { shiftDeadlines } from '../deadlines';
import { Batch, LiveGroup } from '../live-group';
import { SessionEngine } from '../session-engine';
import { groupView, GroupView } from '../views';

/**
 * Operator control: an admin pauses a group (every deadline frozen, members' messages refused with `GROUP_PAUSED`)
 * and resumes it (every deadline moves on by the time it was paused). Stored with the group, so a restart keeps it;
 * announced by a system message and the `group_pause` event, audited.
 */
@Injectable()
export class PauseHandler implements CommandHandler<'pause'> {
  readonly type = 'pause';

  constructor(private readonly engine: SessionEngine, private readonly emitter: Emitter, private readonly clock: Clock) {}

  handle(live: LiveGroup, batch: Batch, { by, paused, note }: CommandOf<'pause'>): GroupView {
    const { row } = live;
    if (paused === (row.pause !== null)) throw new ApiError(ErrorCode.CONFLICT, `the group is ${paused ? 'already paused' : 'not paused'}`);
    const now = this.clock.now();
    if (paused) row.pause = { at: now, by: by.id, note: note ?? null };
    else {
      shiftDeadlines(row, live.tasks.values(), now - (row.pause as { at: number }).at);
      for (const t of live.tasks.values()) batch.writeTask(t);
      row.pause = null;
    }
    const event = paused ? 'group_paused' : 'group_resumed';
    const text = paused ? `an operator paused the group${note ? `: ${note}` : ''}; messages wait for its resume` : 'an operator resumed the group';
    this.engine.system(live, batch, event, text, { by: by.id, ...(paused ? { note: note ?? null } : {}) });
    this.engine.audit(batch, by.id, event, row.id, { note: note ?? null });
    const rooms = [ROOM.group(row.id), ...live.members.map(ROOM.agent)];
    batch.deliveries.push(() => this.emitter.emit({ rooms }, 'group_pause', { group_id: row.id, paused, by: by.id, note: note ?? null, seq: row.lastSeq } satisfies GroupPauseEvent));
    return groupView(row, live.holders);
  }
}
