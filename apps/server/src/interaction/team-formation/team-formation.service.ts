import { Injectable } from '@nestjs/common';
import { CreateGroupDto, ErrorCode, GroupView, InviteReplyDto, InviteView, TeamFormationAck, TeamFormationPayload, TeamFormationEnvelope } from '@ioa/protocol';
import { GoalRepository } from '../../data/goals/goal-repository';
import { GroupEntity, NeedRecord } from '../../data/groups/group.entity';
import type { GroupRead } from '../session/live-group';
import { GroupStore } from '../../data/groups/group-store';
import { AgentRegistry } from '../../data/registry/agent-registry.service';
import { ConfigService } from '../../foundation/config/config.service';
import { ApiError, parseDto } from '../../foundation/http/api-error';
import { Clock, IdGenerator } from '../../foundation/runtime/runtime.module';
import { KeyedQueue } from '../../foundation/runtime/keyed-queue';
import { Principal } from '../../foundation/security/principal';
import { refusal } from '../access/access';
import { CommandOf } from '../session/commands';
import { GroupHost } from '../session/group-host';
import { GroupSpec } from '../session/group-spec';
import { SessionService } from '../session/session.service';
import { groupView } from '../session/views';
import { digestOf } from '../session/session-engine';
import { isPendingNode, isSettled } from '../session/task-book';
import { CandidateFinder } from './candidate-finder';
import { FormingSteps } from './forming-steps';

/**
 * Team formation: a requester asks for members by id or by need; the server picks candidates by meaning, creates
 * the group in `forming`, invites, moves to the next candidate on a decline or timeout, and opens the group once
 * every slot has an answer (or fails it, never leaving it half-open).
 */
@Injectable()
export class TeamFormationService {
  /** One formation at a time per (sender, message_id): a resend waits for its original and then finds it stored. */
  private readonly formations = new KeyedQueue();

  constructor(
    private readonly host: GroupHost,
    private readonly forming: FormingSteps,
    private readonly finder: CandidateFinder,
    private readonly store: GroupStore,
    private readonly goals: GoalRepository,
    private readonly sessions: SessionService,
    private readonly registry: AgentRegistry,
    private readonly config: ConfigService,
    private readonly clock: Clock,
    private readonly ids: IdGenerator,
  ) {}

  /** `team_formation` over the socket: a root team (no `group_id`, optional `goal_id`) or a sub-team (`parent_task_id`). */
  async fromEnvelope(by: Principal, { header, payload }: TeamFormationEnvelope): Promise<TeamFormationAck> {
    return this.form(by, parseDto(TeamFormationPayload, payload, 'payload'), header.message_id);
  }

  /** Forms a team; a resend of the same `message_id` (even one racing its original) gets the original's ack. */
  form(by: Principal, dto: TeamFormationPayload, messageId = this.ids.next(), options?: GroupSpec['options']): Promise<TeamFormationAck> {
    const denied = refusal(by, { action: 'team.form' });
    if (denied) return Promise.reject(denied);
    return this.formations.run(`${by.id} ${messageId}`, () => this.formOnce(by, dto, messageId, options));
  }

  /**
   * `POST /v1/groups` by an agent that names other agents: a team formation with those agents named, so that each is
   * invited and the group stays in `forming` until they answered.
   */
  async formNamed(by: Principal, dto: CreateGroupDto, named: string[]): Promise<GroupView> {
    const payload: TeamFormationPayload = {
      goal: dto.goal, team_members: named,
      ...(dto.max_turns !== undefined && { max_turns: dto.max_turns }), ...(dto.team_up_depth !== undefined && { team_up_depth: dto.team_up_depth }),
    };
    const options = { turn_timeout_s: dto.turn_timeout_s, coordinator_timeout_s: dto.coordinator_timeout_s, conclusion_wait_s: dto.conclusion_wait_s };
    const { group_id: id } = await this.form(by, payload, undefined, options);
    const live = this.host.get(id);
    // A formation whose every invite was refused by a budget is closed in its first step.
    return live ? groupView(live.row, live.holders) : groupView((await this.store.get(id))!, []);
  }

  /** The coordinator invites an agent or a person into its open group (`POST /v1/groups/:id/members` by an agent). */
  async invite(by: Principal, groupId: string, agentId: string): Promise<InviteView> {
    const human = (await this.sessions.assertMembers([agentId])).length > 0;
    if (!(await this.host.isOpenAnywhere(groupId))) throw await this.sessions.notOpen(groupId, by.id);
    return this.host.execute({ type: 'invite_member', group_id: groupId, by, agent_id: agentId, ...(human ? { human } : {}) });
  }

  private async formOnce(by: Principal, dto: TeamFormationPayload, messageId: string, options?: GroupSpec['options']): Promise<TeamFormationAck> {
    const digest = digestOf('team_formation', dto, null);
    const existing = await this.store.findBySender(by.id, messageId);
    if (existing) {
      if (existing.type !== 'team_formation' || existing.digest !== digest) throw new ApiError(ErrorCode.DUPLICATE_MESSAGE_ID, `message_id ${messageId} was already used`);
      const row = await this.store.get(existing.groupId);
      return { seq: existing.seq, message_id: messageId, group_id: existing.groupId, candidates: invited(row?.decision?.needs ?? []) };
    }
    const size = 1 + dto.team_members.reduce((n, m) => n + (typeof m === 'string' ? 1 : m.count ?? 1), 0);
    if (size > this.config.values.teams.maxTeamSize) throw new ApiError(ErrorCode.VALIDATION, `a team of ${size} exceeds the maximum of ${this.config.values.teams.maxTeamSize}`);
    const place = await this.placeInTree(by.id, dto);
    const slots = await this.finder.slots(by.id, dto.team_members, place.exclude);
    const id = this.ids.next();
    const spec: GroupSpec = {
      id, createdBy: by.id, goal: dto.goal, coordinator: by.id, members: [by.id], maxTurns: dto.max_turns ?? place.maxTurns, teamUpDepth: place.depth, options,
      goalId: place.goalId, parentGroupId: place.parent?.row.id ?? null, parentTaskId: dto.parent_task_id ?? null, level: place.level,
      forming: { deadline: this.clock.now() + this.config.values.teams.formingTimeoutS * 1000, decision: { requester: by.id, needs: slots, outcome: 'forming' } },
    };
    const first: CommandOf<'start_forming'> = { type: 'start_forming', group_id: id, by: by.id, payload: dto, message_id: messageId, digest };
    const { seq } = place.parent
      ? await this.host.execute({ type: 'start_subteam', group_id: place.parent.row.id, task_id: dto.parent_task_id as string, requester: by.id, subteam: { spec, first } })
      : (await this.host.create(spec, first)).first as { seq: number };
    if (place.goal) await this.closeUnlessGoalsTeam(place.goal.id, id);
    return { seq, message_id: messageId, group_id: id, candidates: invited(slots) };
  }

  /**
   * A root team its goal did not take (the goal was canceled, another team formed first, or the goal passed to another
   * coordinator while this one was being formed) is closed at once rather than left running for nobody.
   */
  private async closeUnlessGoalsTeam(goalId: string, groupId: string): Promise<void> {
    const goal = await this.goals.get(goalId);
    if (goal?.rootGroupId === groupId || !(await this.host.isOpenAnywhere(groupId))) return;
    const note = goal?.status === 'canceled' ? 'its goal was canceled'
      : goal?.rootGroupId ? `goal ${goalId} already has a root team` : `goal ${goalId} passed to another coordinator or failed`;
    await this.host.execute({ type: 'close', group_id: groupId, reason: 'canceled', actor: 'system', note }).catch(() => undefined);
  }

  async reply(by: Principal, dto: InviteReplyDto): Promise<{ group_id: string }> {
    const groupId = this.forming.groupOf(dto.invite_id) ?? (this.host.clustered ? await this.store.groupOfInvite(dto.invite_id) : undefined);
    if (!groupId || !(await this.host.isOpenAnywhere(groupId))) throw new ApiError(ErrorCode.NOT_FOUND, `invite ${dto.invite_id} is unknown or its group is closed`);
    // A person has no card, hence no max_concurrent_groups.
    const maxConcurrentGroups = by.role === 'participant' ? Number.MAX_SAFE_INTEGER : (await this.registry.get(by.id)).maxConcurrentGroups;
    return this.host.execute({ type: 'reply_invite', group_id: groupId, by, invite_id: dto.invite_id, accept: dto.accept, reason: dto.reason, max_groups: maxConcurrentGroups });
  }

  /** Where the new group goes in the tree, what it may do, and whom it must not invite. */
  private async placeInTree(requester: string, dto: TeamFormationPayload) {
    if (dto.parent_task_id) {
      const parent = await this.parentOf(dto.parent_task_id);
      if (!parent) throw new ApiError(ErrorCode.NOT_FOUND, `task ${dto.parent_task_id} is not an open task`);
      if (!parent.members.includes(requester)) throw new ApiError(ErrorCode.NOT_MEMBER, 'you are not a member of the task\'s group');
      const task = parent.tasks.get(dto.parent_task_id)!;
      if (!task.assignee.includes(requester) || isSettled(task) || isPendingNode(task)) throw new ApiError(ErrorCode.FORBIDDEN, 'a sub-team is formed for an open task you hold');
      if (parent.row.teamUpDepth < 1) throw new ApiError(ErrorCode.DEPTH_EXHAUSTED, `group ${parent.row.id} may not team up further (team_up_depth 0)`);
      const depth = Math.min(dto.team_up_depth ?? parent.row.teamUpDepth - 1, parent.row.teamUpDepth - 1);
      const exclude = dto.allow_ancestor_members ? new Set<string>() : await this.ancestorsMembers(parent.row);
      return { parent, goal: null, goalId: parent.row.goalId, depth, level: parent.row.level + 1, maxTurns: parent.row.maxTurns, exclude };
    }
    if (dto.goal_id) {
      const goal = await this.goals.get(dto.goal_id);
      if (!goal) throw ApiError.notFound('goal', dto.goal_id);
      if (goal.coordinator !== requester) throw new ApiError(ErrorCode.FORBIDDEN, 'only the goal\'s coordinator forms its root team');
      if (goal.rootGroupId || goal.status !== 'pending') throw new ApiError(ErrorCode.CONFLICT, `goal ${goal.id} already has its team (${goal.status})`);
      const depth = Math.min(dto.team_up_depth ?? goal.teamUpDepth, goal.teamUpDepth);
      return { parent: null, goal, goalId: goal.id, depth, level: 0, maxTurns: goal.maxTurns, exclude: new Set<string>() };
    }
    return { parent: null, goal: null, goalId: null, depth: dto.team_up_depth ?? 0, level: 0, maxTurns: undefined, exclude: new Set<string>() };
  }

  /**
   * The open group holding a task, as this node runs it or (on several nodes) as stored: the step on the parent
   * (`start_subteam`, on the node that runs it) checks the task again under the group's lock.
   */
  private async parentOf(taskId: string): Promise<Pick<GroupRead, 'row' | 'members' | 'tasks'> | undefined> {
    const here = [...this.host.groups()].find((g) => g.tasks.has(taskId));
    if (here || !this.host.clustered) return here;
    const task = await this.store.task(taskId);
    const row = task && (await this.store.get(task.groupId));
    if (!task || !row || row.state === 'closed') return undefined;
    return { row, members: row.members, tasks: new Map([[task.id, task]]) };
  }

  /**
   * Members of the groups above are not invited into a sub-team: they already take part in the parent's session,
   * and inviting them would let one agent hold a task and also work inside the team that serves it.
   */
  private async ancestorsMembers(row: Readonly<GroupEntity>): Promise<Set<string>> {
    const out = new Set<string>();
    for (let r: Readonly<GroupEntity> | null = row; r; r = r.parentGroupId ? this.host.get(r.parentGroupId)?.row ?? (await this.store.get(r.parentGroupId)) : null) {
      for (const m of r.members) out.add(m);
    }
    return out;
  }
}

function invited(slots: NeedRecord[]) {
  return slots.flatMap((s) => s.candidates.slice(0, s.count).map((c) => ({ need: s.need, agent_id: c.agent_id, score: c.score, matched: c.matched })));
}

