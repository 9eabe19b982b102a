import { ErrorCode } from '@ioa/protocol';
import { ApiError } from '../../foundation/http/api-error';
import type { Principal } from '../../foundation/security/principal';

/**
 * Who may read or do what, in one pure table (immich's `access.ts` is the model). Routes' `@Roles` decide which roles
 * reach a handler at all; this decides, for the principal and the particular thing, whether the handler may go on and
 * with which code it refuses. REST and sockets ask it alike; `access.spec.ts` holds every rule.
 */
export type Access =
  /** Read a group: its row, messages, tasks, tree, live events. */
  | { action: 'group.read'; group: { id: string; members: readonly string[]; goalId: string | null } }
  /** Speak in a group (send an envelope): agents, and people who are members; the session policy decides the rest. */
  | { action: 'group.send' }
  /** Create a group: an agent creates groups it coordinates; an admin names the coordinator. */
  | { action: 'group.create'; coordinator?: string }
  /** Add or remove a member: the coordinator or an admin; any member may remove itself (leave). */
  | { action: 'group.members'; group: { members: readonly string[]; coordinator: string }; remove?: string }
  /** Form a team (root or sub-team). */
  | { action: 'team.form' }
  /** Read a goal and its tree. */
  | { action: 'goal.read'; goal: { id: string; coordinator: string; createdBy: string } }
  /** Cancel a goal (and its whole tree): admins, and the client that submitted it. */
  | { action: 'goal.cancel'; goal: { createdBy: string } }
  /** Write to a goal's root team as its requester (`requester_message`): admins, and whoever submitted it. */
  | { action: 'goal.message'; goal: { createdBy: string } }
  /** Read why a team was formed as it was: candidates, scores, answers (read-only, like the group's tree). */
  | { action: 'decision.read'; requester: string | null; group: { id: string; goalId: string | null } }
  /** Read an agent's past collaborators. */
  | { action: 'contacts.read'; agentId: string }
  /** Change or delete an agent's record. */
  | { action: 'agent.change'; agentId: string }
  /**
   * Read or decide an approval: admins; participants whose scope covers its group (its goal or the group), and of
   * those, when it names people, only the people it names.
   */
  | { action: 'approval.decide'; approvers: readonly string[] | null; group: { id: string; goalId: string | null } };

/** Null when allowed; otherwise the refusal, with its code. */
export function refusal(p: Principal, access: Access): ApiError | null {
  const deny = (code: ErrorCode, message: string) => new ApiError(code, message);
  const admin = p.role === 'admin';
  const agent = p.role === 'agent' ? p.id : null;
  switch (access.action) {
    case 'group.read': {
      const { group } = access;
      if (admin) return null;
      if (agent) return group.members.includes(agent) ? null : deny(ErrorCode.NOT_MEMBER, 'you are not a member of this group');
      // A person who is a member reads the group whatever its token's scope; otherwise as the scope says.
      if (p.role === 'participant' && group.members.includes(p.id)) return null;
      return watches(p, group) ? null : deny(ErrorCode.FORBIDDEN, 'this token may not watch this group');
    }
    case 'group.send':
      // A participant speaks only where it is a member (the policy's NOT_MEMBER says so elsewhere).
      return agent || p.role === 'participant' ? null : deny(ErrorCode.FORBIDDEN, 'only agents and people who are members send messages; observers watch');
    case 'group.create':
      if (admin) return null;
      if (!agent) return deny(ErrorCode.FORBIDDEN, 'agents and admins create groups');
      return access.coordinator === undefined || access.coordinator === agent ? null : deny(ErrorCode.FORBIDDEN, 'an agent creates groups it coordinates; only an admin names another coordinator');
    case 'group.members': {
      if (admin) return null;
      // A person who is a member may leave, and do nothing else to the members.
      if (p.role === 'participant' && access.remove === p.id && access.group.members.includes(p.id)) return null;
      if (!agent) return deny(ErrorCode.FORBIDDEN, 'agents and admins change members');
      if (!access.group.members.includes(agent)) return deny(ErrorCode.NOT_MEMBER, 'you are not a member of this group');
      const leaving = access.remove === agent;
      return leaving || agent === access.group.coordinator ? null : deny(ErrorCode.FORBIDDEN, 'only the coordinator adds or removes members');
    }
    case 'team.form':
      return agent ? null : deny(ErrorCode.FORBIDDEN, 'teams are formed by agents');
    case 'goal.read': {
      const { goal } = access;
      const observes = (p.role === 'observer' || p.role === 'participant') && (p.scope?.all || p.scope?.goals?.includes(goal.id));
      const takesPart = agent !== null && (agent === goal.coordinator || agent === goal.createdBy);
      const submitted = p.role === 'client' && p.id === goal.createdBy;
      return admin || observes || takesPart || submitted ? null : deny(ErrorCode.FORBIDDEN, 'this token may not read this goal');
    }
    case 'goal.cancel':
      return admin || (p.role === 'client' && p.id === access.goal.createdBy) ? null : deny(ErrorCode.FORBIDDEN, 'an admin, or the client that submitted it, cancels a goal');
    case 'goal.message':
      return admin || p.id === access.goal.createdBy ? null : deny(ErrorCode.FORBIDDEN, 'an admin, or whoever submitted the goal, writes to it as its requester');
    case 'decision.read':
      return admin || (agent !== null && agent === access.requester) || watches(p, access.group)
        ? null
        : deny(ErrorCode.FORBIDDEN, "admins, the requester and the group's observers read a team-up decision");
    case 'contacts.read':
      return admin || agent === access.agentId ? null : deny(ErrorCode.FORBIDDEN, 'an agent reads its own contacts');
    case 'agent.change':
      return admin || agent === access.agentId ? null : deny(ErrorCode.FORBIDDEN, "only the agent itself or an admin may change an agent's record");
    case 'approval.decide': {
      if (admin) return null;
      if (p.role !== 'participant') return deny(ErrorCode.FORBIDDEN, 'admins and participants decide approvals');
      if (!watches(p, access.group)) return deny(ErrorCode.FORBIDDEN, "this token's scope does not cover the approval's group");
      return !access.approvers || access.approvers.includes(p.id) ? null : deny(ErrorCode.FORBIDDEN, 'this approval names other approvers');
    }
  }
}

/**
 * Whether `p` is an observer or a participant whose scope covers the group (all, the group, or the goal it belongs
 * to; a participant's scope never says all).
 */
function watches(p: Principal, group: { id: string; goalId: string | null }): boolean {
  const scope = p.role === 'observer' || p.role === 'participant' ? p.scope : null;
  return !!(scope?.all || scope?.groups?.includes(group.id) || (group.goalId !== null && scope?.goals?.includes(group.goalId)));
}

/**
 * Whether `p` makes other agents members without asking them: only an admin. An agent that names others (creating a
 * group, or adding a member) invites them, as team formation does, so that nobody is put into a group (and counted
 * against its `max_concurrent_groups`) by someone else's choice.
 */
export function addsMembersDirectly(p: Principal): boolean {
  return p.role === 'admin';
}

/** Throws the refusal, if any. */
export function assertAllowed(p: Principal, access: Access): void {
  const denied = refusal(p, access);
  if (denied) throw denied;
}
