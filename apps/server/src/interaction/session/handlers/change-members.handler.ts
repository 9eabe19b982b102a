import { Injectable } from '@nestjs/common';
import { ErrorCode } from '@ioa/protocol';
import { ApiError } from '../../../foundation/http/api-error';
import { Clock } from '../../../foundation/runtime/runtime.module';
import { assertAllowed } from '../../access/access';
import { CommandHandler, CommandOf } from '../commands';
import { assertNotPaused } from '../group-errors';
import { Batch, LiveGroup } from '../live-group';
import { offerAgain, reassigned } from '../graph-steps';
import { withdrawInvites } from '../invites';
import { SessionEngine } from '../session-engine';
import { groupView, GroupView } from '../views';

/**
 * Team reorganisation: the coordinator adds or removes members during `discussion`; any member but the coordinator
 * may leave. Announced by a `system` message; a leaver's tasks stay for the coordinator to reassign or cancel.
 */
@Injectable()
export class ChangeMembersHandler implements CommandHandler<'change_members'> {
  readonly type = 'change_members';

  constructor(private readonly engine: SessionEngine, private readonly clock: Clock) {}

  handle(live: LiveGroup, batch: Batch, { by, add, remove, human }: CommandOf<'change_members'>): GroupView {
    const { coordinator, members } = live.context;
    assertAllowed(by, { action: 'group.members', group: { members, coordinator }, remove });
    assertNotPaused(live.row, by);
    const leaving = remove !== undefined && remove === by.id;
    if (!leaving && live.state !== 'discussion') throw new ApiError(ErrorCode.ILLEGAL_IN_STATE, `members change during discussion, not in ${live.state}`);
    if (remove === coordinator) throw new ApiError(ErrorCode.VALIDATION, 'the coordinator cannot leave or be removed; conclude or let the role pass on');
    if (remove && !members.includes(remove)) throw new ApiError(ErrorCode.NOT_FOUND, `${remove} is not a member`);
    if (add && members.includes(add)) throw new ApiError(ErrorCode.CONFLICT, `${add} is already a member`);
    const next = add ? [...members, add] : members.filter((m) => m !== remove);
    // An invite pending for this agent no longer stands: an admin decided for it, or it was removed.
    const withdrawn = withdrawInvites(live.row, add ? `added by ${by.id}` : `removed by ${by.id}`, this.clock.now(), { agentId: add ?? remove });
    if (withdrawn.length) batch.decisionChanged = true;
    if (add && human) live.row.humans = [...new Set([...(live.row.humans ?? []), add])];
    if (remove) live.row.humans = live.row.humans?.filter((h) => h !== remove) ?? null;
    this.engine.send(live, batch, { type: 'SET_MEMBERS', members: next }, by.id);
    // A graph node that waited for this agent (`reassign`): it is the agent's if an admin added it, else it goes on.
    for (const task of withdrawn.flatMap((s) => (s.task_id ? [live.tasks.get(s.task_id)] : [])).filter((t) => t !== undefined)) {
      if (add) reassigned(this.engine, live, batch, task, add, this.clock.now());
      else offerAgain(this.engine, live, batch, task);
    }
    const what = add ? `${add} joined` : leaving ? `${by.id} left` : `${remove} was removed`;
    this.engine.system(live, batch, 'members_changed', what, { added: add ?? null, removed: remove ?? null, by: by.id, members: next });
    this.engine.audit(batch, by.id, 'members_changed', live.row.id, { add: add ?? null, remove: remove ?? null });
    return groupView(live.row, live.context.holders);
  }
}
