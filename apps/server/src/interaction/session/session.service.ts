import { Injectable } from '@nestjs/common';
import { ApprovalView, CheckpointView, CreateGroupDto, DecideApprovalDto, RollbackAckDto, ErrorCode, RollbackView, MessageAck, SessionEnvelope } from '@ioa/protocol';
import { AgentRegistry } from '../../data/registry/agent-registry.service';
import { People } from '../../data/people/people';
import { GroupStore } from '../../data/groups/group-store';
import { ApiError } from '../../foundation/http/api-error';
import { IdGenerator } from '../../foundation/runtime/runtime.module';
import { Principal } from '../../foundation/security/principal';
import { assertAllowed } from '../access/access';
import { GroupHost } from './group-host';
import { GroupNotOpen } from './group-errors';
import { originalAck } from './handlers/send-message.handler';
import { digestOf } from './session-engine';
import { groupView, GroupView } from './views';
// The envelope parser lives in its own file; its spec imports it from here.
export { parseEnvelope } from './parse-envelope';

/**
 * The session actions the edges (socket gateway, REST) ask for: checks that need no lock, then a command to the group
 * host. What each command does is in `handlers/`.
 */
@Injectable()
export class SessionService {
  constructor(private readonly host: GroupHost, private readonly store: GroupStore, private readonly registry: AgentRegistry, private readonly people: People, private readonly ids: IdGenerator) {}

  /** `POST /v1/groups` by an admin, or by an agent naming nobody else: members join directly, `discussion` at once. */
  async create(by: Principal, dto: CreateGroupDto): Promise<GroupView> {
    const coordinator = dto.coordinator ?? (by.role === 'agent' ? by.id : null);
    if (!coordinator) throw new ApiError(ErrorCode.VALIDATION, 'coordinator is required when an admin creates a group');
    const members = [...new Set([coordinator, ...dto.members])];
    await this.assertAgents([coordinator]);
    const humans = await this.assertMembers(members);
    const { group } = await this.host.create({
      id: this.ids.next(), createdBy: by.id, goal: dto.goal, coordinator, members, maxTurns: dto.max_turns, teamUpDepth: dto.team_up_depth ?? 0, humans,
      options: {
        turn_timeout_s: dto.turn_timeout_s, coordinator_timeout_s: dto.coordinator_timeout_s, conclusion_wait_s: dto.conclusion_wait_s, human_turn_timeout_s: dto.human_turn_timeout_s,
      },
    });
    return groupView(group.row, group.holders);
  }

  /** Members are agents (not disabled) or people (`POST /v1/people`); returns the people among `ids`. */
  async assertMembers(ids: string[]): Promise<string[]> {
    const agents = new Set((await this.registry.getMany(ids)).map((a) => a.id));
    const others = ids.filter((id) => !agents.has(id));
    const unknown = others.length ? await this.people.unknown(others) : [];
    if (unknown.length) throw new ApiError(ErrorCode.NOT_FOUND, `unknown agents or people: ${unknown.join(', ')}`);
    await this.assertAgents(ids.filter((id) => agents.has(id)));
    return others;
  }

  /** Unknown or disabled agents cannot be members. */
  async assertAgents(ids: string[]): Promise<void> {
    const agents = await this.registry.getMany(ids);
    const missing = ids.filter((id) => !agents.some((a) => a.id === id));
    if (missing.length) throw new ApiError(ErrorCode.NOT_FOUND, `unknown agents: ${missing.join(', ')}`);
    const disabled = agents.filter((a) => a.status === 'disabled').map((a) => a.id);
    if (disabled.length) throw new ApiError(ErrorCode.VALIDATION, `disabled agents cannot join: ${disabled.join(', ')}`);
  }

  /** An envelope the gateway parsed: duplicate id → membership → closed → role → state → turn; a refusal changes nothing. */
  async handle(by: Principal, envelope: SessionEnvelope): Promise<MessageAck> {
    assertAllowed(by, { action: 'group.send' });
    const { header, payload, ext } = envelope;
    if (!header.group_id) throw new ApiError(ErrorCode.VALIDATION, 'header.group_id is required', [{ field: 'header.group_id', messages: ['required'] }]);
    const groupId = header.group_id;
    const digest = digestOf(header.type, payload, ext);
    // On several nodes the group may run elsewhere: straight to the host, which forwards it (nothing awaited before,
    // so one client's messages keep their order).
    if (this.host.isOpen(groupId) || this.host.clustered) {
      try {
        return await this.host.execute({ type: 'send_message', group_id: groupId, by, envelope, digest });
      } catch (e) {
        if (!(e instanceof GroupNotOpen)) throw e;
      }
    }
    // A closed (or unknown) group still answers a resend of an accepted message with its original ack.
    const original = await originalAck(this.store, null, groupId, by.id, header.message_id, digest);
    if (original) return original;
    throw await this.notOpen(groupId, by.id);
  }

  /** Adds or removes a member (`change-members.handler.ts` says who may). */
  async changeMembers(by: Principal, groupId: string, change: { add?: string; remove?: string }): Promise<GroupView> {
    const human = change.add ? (await this.assertMembers([change.add])).length > 0 : false;
    if (!(await this.host.isOpenAnywhere(groupId))) throw await this.notOpen(groupId, by.id);
    return this.host.execute({ type: 'change_members', group_id: groupId, by, ...change, ...(human ? { human } : {}) });
  }

  /** Closes a group from outside the protocol (admin, goal cancellation). */
  close(groupId: string, reason: 'closed_by_admin' | 'canceled', actor: string, note?: string): Promise<GroupView> {
    return this.host.execute({ type: 'close', group_id: groupId, reason, actor, note });
  }

  /** An admin's checkpoint of an open group. */
  async checkpoint(by: Principal, groupId: string): Promise<CheckpointView> {
    await this.assertOpen(groupId);
    return this.host.execute({ type: 'checkpoint', group_id: groupId, by });
  }

  /** An admin's rollback of an open group's tasks to one of its checkpoints. */
  async rollback(by: Principal, groupId: string, checkpointId: string): Promise<RollbackView> {
    await this.assertOpen(groupId);
    return this.host.execute({ type: 'rollback', group_id: groupId, by, checkpoint_id: checkpointId });
  }

  /** An operator pauses (`paused`) or resumes an open group. */
  async pause(by: Principal, groupId: string, paused: boolean, note?: string): Promise<GroupView> {
    await this.assertOpen(groupId);
    return this.host.execute({ type: 'pause', group_id: groupId, by, paused, note });
  }

  /** A goal's requester writes to the coordinator of its open root group. */
  async requesterMessage(by: Principal, groupId: string, text: string): Promise<MessageAck> {
    await this.assertOpen(groupId);
    return this.host.execute({ type: 'requester_message', group_id: groupId, by, text });
  }

  /** An operator's message into an open group. */
  async operatorMessage(by: Principal, groupId: string, text: string): Promise<MessageAck> {
    await this.assertOpen(groupId);
    return this.host.execute({ type: 'operator_message', group_id: groupId, by, text });
  }

  /**
   * An admin or a participant decides an approval (its id is its task's): who may is checked before anything about it
   * is told (a stranger learns only that it is not theirs to decide), and again in the step.
   */
  async decideApproval(by: Principal, id: string, dto: DecideApprovalDto): Promise<ApprovalView> {
    const task = await this.store.task(id);
    const row = task?.kind === 'approval' ? await this.store.get(task.groupId) : null;
    if (!task || !row) throw ApiError.notFound('approval', id);
    assertAllowed(by, { action: 'approval.decide', approvers: task.approvers, group: { id: row.id, goalId: row.goalId } });
    await this.assertOpen(row.id);
    return this.host.execute({ type: 'decide_approval', group_id: row.id, by, task_id: id, decision: dto.decision, comment: dto.comment });
  }

  /** A member's acknowledgement of a rollback (the socket event `rollback_ack`). */
  async rollbackAck(by: Principal, dto: RollbackAckDto): Promise<{ group_id: string; checkpoint_id: string }> {
    assertAllowed(by, { action: 'group.send' });
    if (!(await this.host.isOpenAnywhere(dto.group_id))) throw await this.notOpen(dto.group_id, by.id);
    return this.host.execute({ type: 'rollback_ack', group_id: dto.group_id, by, checkpoint_id: dto.checkpoint_id });
  }

  private async assertOpen(groupId: string): Promise<void> {
    if (await this.host.isOpenAnywhere(groupId)) return;
    const row = await this.store.get(groupId);
    throw row ? new ApiError(ErrorCode.GROUP_CLOSED, `the group is closed (${row.closeReason})`) : ApiError.notFound('group', groupId);
  }

  /** Why a group that is not open here refuses `sender`: unknown, not a member, closed, or held elsewhere. */
  async notOpen(groupId: string, sender: string): Promise<ApiError> {
    const row = await this.store.get(groupId);
    if (!row) return ApiError.notFound('group', groupId);
    if (!row.members.includes(sender)) return new ApiError(ErrorCode.NOT_MEMBER, 'you are not a member of this group');
    if (row.state === 'closed') return new ApiError(ErrorCode.GROUP_CLOSED, `the group is closed (${row.closeReason})`);
    return new ApiError(ErrorCode.UNAVAILABLE, 'the group could not be loaded on this server');
  }
}
