import { Injectable } from '@nestjs/common';
import { ErrorCode, InviteView } from '@ioa/protocol';
import { ApiError } from '../../../foundation/http/api-error';
import { assertAllowed } from '../../access/access';
import { CommandHandler, CommandOf } from '../../session/commands';
import { humanTurnTimeoutS } from '../../session/deadlines';
import { assertNotPaused } from '../../session/group-errors';
import { Batch, LiveGroup } from '../../session/live-group';
import { SessionEngine } from '../../session/session-engine';
import { FormingSteps } from '../forming-steps';

/**
 * The coordinator asks an agent into its open group: an invite, as team formation sends, never a membership the
 * agent did not choose (only an admin adds members directly, `change-members.handler.ts`).
 */
@Injectable()
export class InviteMemberHandler implements CommandHandler<'invite_member'> {
  readonly type = 'invite_member';

  constructor(private readonly engine: SessionEngine, private readonly forming: FormingSteps) {}

  handle(live: LiveGroup, batch: Batch, { by, agent_id: agentId, human }: CommandOf<'invite_member'>): InviteView {
    const { coordinator, members } = live.context;
    assertAllowed(by, { action: 'group.members', group: { members, coordinator } });
    assertNotPaused(live.row, by);
    if (live.state !== 'discussion') throw new ApiError(ErrorCode.ILLEGAL_IN_STATE, `members are invited during discussion, not in ${live.state}`);
    if (members.includes(agentId)) throw new ApiError(ErrorCode.CONFLICT, `${agentId} is already a member`);
    const view = this.forming.inviteInto(live, batch, agentId, by.id, human ? humanTurnTimeoutS(live.row) : undefined);
    this.engine.audit(batch, by.id, 'member_invited', live.row.id, { agent_id: agentId, invite_id: view.invite_id });
    return view;
  }
}
