import { Injectable } from '@nestjs/common';
import { CreateGroupDto, GroupView, InviteView } from '@ioa/protocol';
import { Principal } from '../../foundation/security/principal';
import { addsMembersDirectly, assertAllowed } from '../access/access';
import { SessionService } from '../session/session.service';
import { TeamFormationService } from '../team-formation/team-formation.service';

/**
 * Group setup over REST. Membership by another's choice is consented: an admin adds members directly, while an agent
 * that names other agents invites them, as team formation does (`access.ts`, `addsMembersDirectly`).
 */
@Injectable()
export class GroupsService {
  constructor(private readonly sessions: SessionService, private readonly teams: TeamFormationService) {}

  /** An admin's group, or an agent's naming nobody else, opens at once; an agent naming others forms a team of them. */
  create(by: Principal, dto: CreateGroupDto): Promise<GroupView> {
    assertAllowed(by, { action: 'group.create', coordinator: dto.coordinator });
    const others = [...new Set(dto.members)].filter((m) => m !== by.id);
    return addsMembersDirectly(by) || others.length === 0 ? this.sessions.create(by, dto) : this.teams.formNamed(by, dto, others);
  }

  /** An admin adds the member; the coordinator invites it. */
  addMember(by: Principal, groupId: string, agentId: string): Promise<GroupView | InviteView> {
    return addsMembersDirectly(by) ? this.sessions.changeMembers(by, groupId, { add: agentId }) : this.teams.invite(by, groupId, agentId);
  }
}
