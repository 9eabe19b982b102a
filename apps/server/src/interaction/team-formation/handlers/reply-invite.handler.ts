import { Injectable } from '@nestjs/common';
import { ErrorCode } from '@ioa/protocol';
import { ApiError } from '../../../foundation/http/api-error';
import { Clock } from '../../../foundation/runtime/runtime.module';
import { CommandHandler, CommandOf } from '../../session/commands';
import { GroupHost } from '../../session/group-host';
import { Batch, LiveGroup } from '../../session/live-group';
import { SessionEngine } from '../../session/session-engine';
import { FormingSteps } from '../forming-steps';

/**
 * An invitee accepts (it joins) or declines. In a forming group a decline invites the slot's next candidate and the
 * group opens once all answered; in an open group the answer is announced to its members.
 */
@Injectable()
export class ReplyInviteHandler implements CommandHandler<'reply_invite'> {
  readonly type = 'reply_invite';

  constructor(private readonly host: GroupHost, private readonly engine: SessionEngine, private readonly forming: FormingSteps, private readonly clock: Clock) {}

  handle(live: LiveGroup, batch: Batch, { by, invite_id: inviteId, accept, reason, max_groups: max }: CommandOf<'reply_invite'>): { group_id: string } {
    const slot = live.row.decision?.needs.find((s) => s.invites.some((i) => i.invite_id === inviteId));
    const invite = slot?.invites.find((i) => i.invite_id === inviteId);
    if (!slot || !invite || invite.agent_id !== by.id) throw new ApiError(ErrorCode.FORBIDDEN, 'this invite is not yours');
    if (invite.status !== 'pending') throw new ApiError(ErrorCode.CONFLICT, `this invite is already ${invite.status}`);
    if (accept && live.context.members.includes(by.id)) throw new ApiError(ErrorCode.CONFLICT, 'you are already a member; decline the invite');
    if (accept) this.assertRoom(by.id, max);
    batch.decisionChanged = true;
    Object.assign(invite, { status: accept ? 'accepted' : 'declined', answered_at: this.clock.now(), ...(reason ? { reason } : {}) });
    const members = [...new Set([...live.context.members, by.id])];
    if (live.state !== 'forming') {
      // An invite into an open group (the group's own coordinator sent it): the group hears the answer.
      if (!accept) this.forming.declined(live, batch, slot, invite, reason ?? 'declined');
      else {
        // A person joins as a human member (people are invited into open groups only).
        if (by.role === 'participant') live.row.humans = [...new Set([...(live.row.humans ?? []), by.id])];
        this.engine.send(live, batch, { type: 'SET_MEMBERS', members }, by.id);
        this.engine.system(live, batch, 'members_changed', `${by.id} joined`, { added: by.id, removed: null, by: by.id, members, invite_id: inviteId });
        this.engine.audit(batch, by.id, 'members_changed', live.row.id, { add: by.id, remove: null, invite_id: inviteId });
        this.forming.joined(live, batch, slot, by.id);
      }
      return { group_id: live.row.id };
    }
    if (accept) {
      this.engine.send(live, batch, { type: 'SET_MEMBERS', members }, by.id);
      this.engine.system(live, batch, 'member_joined', `${by.id} joined`, { agent_id: by.id, need: slot.need });
    } else {
      this.forming.inviteNext(live, batch, slot);
    }
    this.forming.openOrFail(live, batch);
    return { group_id: live.row.id };
  }

  /**
   * An agent already in as many open groups as its `max_concurrent_groups` joins no other. Counted from the groups in
   * memory without awaiting anything until the join is applied, so two accepts into different groups cannot both pass.
   */
  private assertRoom(agentId: string, max: number): void {
    const open = this.host.memberships().get(agentId) ?? 0;
    if (open >= max) throw new ApiError(ErrorCode.CONFLICT, `you are a member of ${open} open groups, your max_concurrent_groups (${max}); leave one, raise it or decline`);
  }
}
