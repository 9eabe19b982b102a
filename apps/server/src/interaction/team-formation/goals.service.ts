import { Injectable, Logger, OnModuleInit } from '@nestjs/common';
import { CreateGoalDto, ErrorCode, GoalView, ListGoalsQueryDto, MessageAck, MessagesPage, Page, SESSION_DEFAULTS, TreeNode } from '@ioa/protocol';
import { Contacts } from '../../data/contacts/contacts';
import { GoalEntity, isAsked } from '../../data/goals/goal.entity';
import { GoalRepository } from '../../data/goals/goal-repository';
import { AgentRegistry } from '../../data/registry/agent-registry.service';
import { GroupEntity } from '../../data/groups/group.entity';
import { GroupStore } from '../../data/groups/group-store';
import { ConfigService } from '../../foundation/config/config.service';
import { ApiError } from '../../foundation/http/api-error';
import { Clock, IdGenerator } from '../../foundation/runtime/runtime.module';
import { Principal } from '../../foundation/security/principal';
import { assertAllowed } from '../access/access';
import type { CommandOf } from '../session/commands';
import { GroupHost } from '../session/group-host';
import { GroupRead } from '../session/live-group';
import { assertCanRead } from '../session/session-reader';
import { SessionEvents } from '../session/session-events';
import { SessionService } from '../session/session.service';
import { messageView, taskView } from '../session/views';
import { CoordinatorFinder, CoordinatorPick } from './coordinator-finder';
import { GoalHandovers } from './goal-handovers';
import { goalView } from './goal-view';
import { GoalWatchers } from './goal-watchers';

const DEFAULT_DEPTH = 2;

/**
 * Goals and the team tree: picks a coordinator by meaning, delivers the goal, and when groups close passes their
 * results up (a sub-team's conclusion completes the task that spawned it; the root's completes the goal) and records
 * who worked with whom.
 */
/** A parent task's settling is tried again this often, this many times (well past a node's lapse and takeover). */
const SETTLE_RETRY_MS = 1000;
const SETTLE_ATTEMPTS = 60;

@Injectable()
export class GoalsService implements OnModuleInit {
  private readonly logger = new Logger('goals');

  constructor(
    private readonly goals: GoalRepository,
    private readonly sessions: SessionService,
    private readonly host: GroupHost,
    private readonly events: SessionEvents,
    private readonly store: GroupStore,
    private readonly finder: CoordinatorFinder,
    private readonly handovers: GoalHandovers,
    private readonly registry: AgentRegistry,
    private readonly config: ConfigService,
    private readonly contacts: Contacts,
    private readonly clock: Clock,
    private readonly ids: IdGenerator,
    private readonly watchers: GoalWatchers,
  ) {}

  onModuleInit(): void {
    this.events.on('closed', (group) => void this.onClosed(group).catch((e: Error) => this.logger.error(`group ${group.row.id}: ${e.message}`)));
    // Kept on the goal row, so that any node tells an A2A requester it is asked (input-required); a change of the
    // goal's A2A status, which `ListTasks` filters by `updatedAt`.
    this.events.on('requesterAsked', (goalId, question, at) => void this.asked(goalId, question, at).catch((e: Error) => this.logger.error(`goal ${goalId}: ${e.message}`)));
  }

  private async asked(goalId: string, question: string, at: number): Promise<void> {
    await this.goals.update(goalId, { requesterQuestion: question, requesterAskedAt: at });
    await this.goals.touch(goalId, at);
    this.watchers.changed(goalId);
  }

  /** `a2a`: the goal is an A2A task, whose id it takes (`interop/a2a`). */
  async create(by: Principal, dto: CreateGoalDto, a2a?: { taskId: string; contextId: string }) {
    let pick: CoordinatorPick | null;
    if (dto.coordinator) {
      await this.sessions.assertAgents([dto.coordinator]);
      if (!(await this.registry.get(dto.coordinator)).coordinates) {
        throw new ApiError(ErrorCode.VALIDATION, `agent ${dto.coordinator} does not coordinate goals (its card says coordinates: false)`);
      }
      pick = { coordinator: dto.coordinator, choice: { by: 'named' } };
    } else {
      pick = await this.finder.pick(dto.goal);
      if (!pick) throw new ApiError(ErrorCode.NO_CANDIDATE, 'no online agent coordinates goals (a card with coordinates: true; the SDK sets it for an agent with onGoal): start one, or name a coordinator');
    }
    const now = this.clock.now();
    const acceptTimeoutS = dto.accept_timeout_s ?? this.config.values.teams.goalAcceptTimeoutS;
    const goal = Object.assign(new GoalEntity(), {
      id: a2a?.taskId ?? this.ids.next(), goal: dto.goal, createdBy: by.id, coordinator: pick.coordinator, coordinatorChoice: pick.choice, maxTurns: dto.max_turns ?? SESSION_DEFAULTS.max_turns,
      teamUpDepth: dto.team_up_depth ?? DEFAULT_DEPTH, status: 'pending' as const, rootGroupId: null, result: null, reason: null,
      acceptTimeoutS, acceptDeadline: now + acceptTimeoutS * 1000, handovers: [], a2a: a2a ? { task: null } : null, a2aContextId: a2a?.contextId ?? null, requesterMessageAt: null, requesterQuestion: null, requesterAskedAt: null, createdAt: now, updatedAt: now,
    });
    await this.goals.insert(goal);
    this.handovers.deliver(goal);
    this.watchers.announce(goal);
    return goalView(goal);
  }

  /** `GET /v1/goals`: admins and observers of everything see every goal, an observer or participant its goals, an agent those it created or coordinates. */
  async list(p: Principal, q: ListGoalsQueryDto): Promise<Page<GoalView>> {
    const all = p.role === 'admin' || (p.role === 'observer' && p.scope?.all);
    const filter = all ? {} : p.role === 'agent' || p.role === 'client' ? { involving: p.id } : { ids: ((p.role === 'observer' || p.role === 'participant') && p.scope?.goals) || [] };
    const [limit, offset] = [q.limit ?? 50, q.offset ?? 0];
    const [rows, total] = await this.goals.list({ ...filter, status: q.status }, limit, offset);
    return { items: rows.map((g) => goalView(g)), total, limit, offset };
  }

  async get(p: Principal, id: string) {
    const goal = await this.readable(p, id);
    return { ...goalView(goal), tree: await this.tree(p, goal.id) };
  }

  /** Whether `p` may cancel the goal (admins; the client that submitted it): refused with FORBIDDEN, or NOT_FOUND. */
  async assertCancel(p: Principal, id: string): Promise<void> {
    const goal = await this.goals.get(id);
    if (!goal) throw ApiError.notFound('goal', id);
    assertAllowed(p, { action: 'goal.cancel', goal });
  }

  /** The root team's messages after `afterSeq`, as `p` may see them (task texts only for those who may read them). */
  async transcript(p: Principal, id: string, afterSeq = 0, limit = 100): Promise<MessagesPage> {
    const goal = await this.readable(p, id);
    const row = goal.rootGroupId ? this.host.get(goal.rootGroupId)?.row ?? (await this.store.get(goal.rootGroupId)) : null;
    if (!row) return { items: [], next_after_seq: null };
    const rows = await this.store.messages(row.id, afterSeq, limit);
    return { items: rows.map((m) => messageView(m, row, p)), next_after_seq: rows.length === limit ? rows[rows.length - 1].seq : null };
  }

  /** The requester's message to the coordinator of the goal's running root team (`requester_message`). */
  async message(p: Principal, id: string, text: string): Promise<MessageAck> {
    const goal = await this.assertMessage(p, id);
    const ack = await this.sessions.requesterMessage(p, goal.rootGroupId, text);
    const now = this.clock.now();
    await this.goals.update(id, { requesterMessageAt: now });
    // An answer ends the question: the goal's A2A status is working again (an unasked message changes no status).
    if (isAsked(goal)) {
      await this.goals.touch(id, now);
      this.watchers.changed(id);
    }
    return ack;
  }

  /** Whether `p` may write to the goal as its requester now: NOT_FOUND, FORBIDDEN, or CONFLICT unless it runs. */
  async assertMessage(p: Principal, id: string): Promise<GoalEntity & { rootGroupId: string }> {
    const goal = await this.goals.get(id);
    if (!goal) throw ApiError.notFound('goal', id);
    assertAllowed(p, { action: 'goal.message', goal });
    if (goal.status !== 'running' || !goal.rootGroupId) throw new ApiError(ErrorCode.CONFLICT, `goal ${id} is ${goal.status}: its team takes messages while it runs`);
    return goal as GoalEntity & { rootGroupId: string };
  }

  /** Cancels the goal and every open group under it, deepest first, so each failure flows up before its parent closes. */
  async cancel(id: string, by: Principal) {
    const goal = await this.goals.get(id);
    if (!goal) throw ApiError.notFound('goal', id);
    // Conditional: a hand-over failing the goal, or its team concluding, may have settled it meanwhile.
    if (!(await this.goals.cancel(id, by.role === 'client' ? 'client' : 'admin', this.clock.now()))) throw new ApiError(ErrorCode.CONFLICT, `goal ${id} is already ${(await this.goals.get(id))?.status ?? goal.status}`);
    const open = (await this.store.byGoal(id)).filter((g) => g.state !== 'closed').sort((a, b) => b.level - a.level);
    for (const g of open) await this.sessions.close(g.id, 'canceled', by.id, 'goal canceled').catch(() => undefined);
    const canceled = (await this.goals.get(id))!;
    this.watchers.announce(canceled);
    return goalView(canceled);
  }

  async tree(p: Principal, goalId: string): Promise<TreeNode[]> {
    return this.nodes(p, await this.store.byGoal(goalId));
  }

  async subtree(p: Principal, groupId: string): Promise<TreeNode> {
    const rows = await this.store.subtree(groupId);
    if (!rows.length) throw ApiError.notFound('group', groupId);
    assertCanRead(p, rows[0]);
    return (await this.nodes(p, rows, rows[0].parentGroupId))[0];
  }

  async decision(p: Principal, groupId: string) {
    const row = this.host.get(groupId)?.row ?? (await this.store.get(groupId));
    if (!row) throw ApiError.notFound('group', groupId);
    assertAllowed(p, { action: 'decision.read', requester: row.decision?.requester ?? null, group: { id: row.id, goalId: row.goalId } });
    if (!row.decision) throw new ApiError(ErrorCode.NOT_FOUND, `group ${groupId} was not formed by team formation`);
    return { group_id: row.id, ...row.decision };
  }

  private async nodes(p: Principal, rows: GroupEntity[], rootParent: string | null = null): Promise<TreeNode[]> {
    const tasks = new Map<string, ReturnType<typeof taskView>[]>();
    for (const t of await this.store.tasksIn(rows.map((r) => r.id))) {
      const row = rows.find((r) => r.id === t.groupId)!;
      tasks.set(t.groupId, [...(tasks.get(t.groupId) ?? []), taskView(this.host.get(t.groupId)?.tasks.get(t.id) ?? t, row, p)]);
    }
    const node = (r: GroupEntity): TreeNode => {
      const live = this.host.get(r.id)?.row ?? r;
      return {
        group_id: r.id, goal: r.goal, state: live.state, level: r.level, team_up_depth: r.teamUpDepth, coordinator: live.coordinator,
        members: live.members, parent_task_id: r.parentTaskId, close_reason: live.closeReason, tasks: tasks.get(r.id) ?? [],
        children: rows.filter((c) => c.parentGroupId === r.id).map(node),
      };
    };
    return rows.filter((r) => r.parentGroupId === rootParent).map(node);
  }

  /**
   * A closed group's result goes up the tree: a sub-team's settles the task it served (a step on the parent); who
   * worked together is recorded. (A root team's goal row moved in the closing step itself: `goal-progress.ts`.)
   */
  private async onClosed(group: GroupRead): Promise<void> {
    const row = group.row;
    // A root team's close settled its goal in the same step (a cancel announces the goal itself); a sub-team's close
    // changed the goal's tree.
    if (row.goalId && (row.parentGroupId || row.closeReason !== 'canceled')) this.watchers.changed(row.goalId);
    const concluded = row.closeReason === 'concluded';
    if (concluded) {
      // Agents' contacts: people are not agents' collaborators to invite elsewhere.
      await this.contacts.record({ members: row.members.filter((m) => !row.humans?.includes(m)), goal: row.goal, at: this.clock.now(), tasks: [...group.tasks.values()].map((t) => ({ assignee: t.assignee, state: t.state })) });
    }
    if (row.parentGroupId && row.parentTaskId) await this.settleParent(row.parentGroupId, { task_id: row.parentTaskId, subteam: row.id, subteam_since: row.createdAt, concluded, summary: group.summary, close_reason: row.closeReason });
  }

  /**
   * Settles the parent's task with the sub-team's result. On several nodes the parent may run elsewhere and its node
   * may be moving (UNAVAILABLE): tried again until the parent takes the step or closes, so no result is lost.
   */
  private async settleParent(parentId: string, settle: Omit<CommandOf<'settle_parent_task'>, 'type' | 'group_id'>): Promise<void> {
    for (let attempt = 0; ; attempt++) {
      if (!(await this.host.isOpenAnywhere(parentId))) return;
      try {
        await this.host.execute({ type: 'settle_parent_task', group_id: parentId, ...settle });
        return;
      } catch (e) {
        if (!(e instanceof ApiError && e.code === ErrorCode.UNAVAILABLE) || attempt >= SETTLE_ATTEMPTS) throw e;
        await new Promise((resolve) => setTimeout(resolve, SETTLE_RETRY_MS));
      }
    }
  }

  private async readable(p: Principal, id: string): Promise<GoalEntity> {
    const goal = await this.goals.get(id);
    if (!goal) throw ApiError.notFound('goal', id);
    assertAllowed(p, { action: 'goal.read', goal });
    return goal;
  }
}
