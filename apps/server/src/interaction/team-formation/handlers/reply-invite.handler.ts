import { Injectable } from '@nestjs/common';
import { ErrorCode } from '@ioa/protocol';
import { ApiError } from '../../../foundation/http/api-error';
import { Clock } from '../../../foundation/runtime/runtime.module';
import { CommandHandler, CommandOf } from '../../session/commands';
import { Batch, LiveGroup } from '../../session/live-group';
import { SessionEngine } from '../../session/session-engine';
import { FormingSteps } from '../forming-steps';

/** An invitee accepts (it joins) or declines (the slot's next candidate is invited); the group opens once all answered. */
@Injectable()
export class ReplyInviteHandler implements CommandHandler<'reply_invite'> {
  readonly type = 'reply_invite';

  constructor(private readonly engine: SessionEngine, private readonly forming: FormingSteps, private readonly clock: Clock) {}

  handle(live: LiveGroup, batch: Batch, { by, invite_id: inviteId, accept, reason }: CommandOf<'reply_invite'>): { group_id: string } {
    const slot = live.row.decision?.needs.find((s) => s.invites.some((i) => i.invite_id === inviteId));
    const invite = slot?.invites.find((i) => i.invite_id === inviteId);
    if (!slot || !invite || invite.agent_id !== by.id) throw new ApiError(ErrorCode.FORBIDDEN, 'this invite is not yours');
    if (invite.status !== 'pending' || live.state !== 'forming') throw new ApiError(ErrorCode.CONFLICT, `this invite is already ${invite.status}`);
    batch.decisionChanged = true;
    Object.assign(invite, { status: accept ? 'accepted' : 'declined', answered_at: this.clock.now(), ...(reason ? { reason } : {}) });
    if (accept) {
      this.engine.send(live, batch, { type: 'SET_MEMBERS', members: [...new Set([...live.context.members, by.id])] }, by.id);
      this.engine.system(live, batch, 'member_joined', `${by.id} joined`, { agent_id: by.id, need: slot.need });
    } else {
      this.forming.inviteNext(live, batch, slot);
    }
    this.forming.openOrFail(live, batch);
    return { group_id: live.row.id };
  }
}
