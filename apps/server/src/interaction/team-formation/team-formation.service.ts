import { Injectable, OnApplicationBootstrap, OnModuleInit } from '@nestjs/common';
import { ErrorCode, InviteReplyDto, TeamFormationAck, TeamFormationPayload, TeamFormationEnvelope } from '@ioa/protocol';
import { GoalRepository } from '../../data/goals/goal-repository';
import { GroupEntity, NeedRecord } from '../../data/groups/group.entity';
import { GroupStore } from '../../data/groups/group-store';
import { ConfigService } from '../../foundation/config/config.service';
import { ApiError, parseDto } from '../../foundation/http/api-error';
import { Emitter, ROOM } from '../../foundation/network/emitter.port';
import { iso } from '../../foundation/runtime/time';
import { RateLimiter } from '../../foundation/network/rate-limiter';
import { Clock, IdGenerator } from '../../foundation/runtime/runtime.module';
import { KeyedQueue } from '../../foundation/runtime/keyed-queue';
import { Principal } from '../../foundation/security/principal';
import { refusal } from '../access/access';
import { Deadline } from '../session/deadlines';
import { Batch, LiveGroup } from '../session/live-group';
import { digestOf, SessionEngine } from '../session/session-engine';
import { SessionEvents } from '../session/session-events';
import { SessionService } from '../session/session.service';
import { isSettled } from '../session/task-book';
import { CandidateFinder } from './candidate-finder';

/**
 * Team formation: a requester asks for members by id or by need; the server picks candidates by meaning, creates
 * the group in `forming`, invites, moves to the next candidate on a decline or timeout, and opens the group once
 * every slot has an answer (or fails it, never leaving it half-open).
 */
@Injectable()
export class TeamFormationService implements OnModuleInit, OnApplicationBootstrap {
  private readonly invites = new Map<string, string>();
  /** One formation at a time per (sender, message_id): a resend waits for its original and then finds it stored. */
  private readonly forming = new KeyedQueue();
  private readonly inviteBudgets: InviteBudgets;

  constructor(
    private readonly sessions: SessionService,
    private readonly events: SessionEvents,
    private readonly engine: SessionEngine,
    private readonly finder: CandidateFinder,
    private readonly store: GroupStore,
    private readonly goals: GoalRepository,
    private readonly emitter: Emitter,
    private readonly config: ConfigService,
    private readonly clock: Clock,
    private readonly ids: IdGenerator,
  ) {
    this.inviteBudgets = new InviteBudgets(config.values.teams.invitesPerMinute, () => clock.now());
  }

  onModuleInit(): void {
    this.events.on('formingDue', (live, batch, due) => this.onDeadline(live, batch, due));
  }

  onApplicationBootstrap(): void {
    for (const live of this.sessions.live.values()) {
      for (const slot of live.row.decision?.needs ?? []) for (const i of slot.invites) this.invites.set(i.invite_id, live.row.id);
    }
  }

  /** `team_formation` over the socket: a root team (no `group_id`, optional `goal_id`) or a sub-team (`parent_task_id`). */
  async fromEnvelope(by: Principal, { header, payload }: TeamFormationEnvelope): Promise<TeamFormationAck> {
    return this.form(by, parseDto(TeamFormationPayload, payload, 'payload'), header.message_id);
  }

  /** Forms a team; a resend of the same `message_id` (even one racing its original) gets the original's ack. */
  form(by: Principal, dto: TeamFormationPayload, messageId = this.ids.next()): Promise<TeamFormationAck> {
    const denied = refusal(by, { action: 'team.form' });
    if (denied) return Promise.reject(denied);
    return this.forming.run(`${by.id} ${messageId}`, () => this.formOnce(by, dto, messageId));
  }

  private async formOnce(by: Principal, dto: TeamFormationPayload, messageId: string): Promise<TeamFormationAck> {
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
    const now = this.clock.now();
    let seq = 0;
    const start = () => this.sessions.start({
      createdBy: by.id, goal: dto.goal, coordinator: by.id, members: [by.id], maxTurns: dto.max_turns ?? place.maxTurns,
      teamUpDepth: place.depth, goalId: place.goalId, parentGroupId: place.parent?.row.id ?? null, parentTaskId: dto.parent_task_id ?? null,
      level: place.level, forming: { deadline: now + this.config.values.teams.formingTimeoutS * 1000, decision: { requester: by.id, needs: slots, outcome: 'forming' } },
    }, (l, batch) => {
      seq = this.engine.append(l, batch, { type: 'team_formation', sender: by.id, payload: { ...dto }, messageId, digest }).seq;
      for (const slot of slots) this.inviteNext(l, batch, slot);
      this.openOrFail(l, batch);
    });
    const live = place.parent ? await this.startSubTeam(place.parent.row.id, dto.parent_task_id as string, by.id, dto.goal, start) : await start();
    if (place.goal) {
      // A formation can fail within its first step (no invite could be sent): then the goal fails with it.
      const failed = live.row.state === 'closed';
      await this.goals.update(place.goal.id, {
        rootGroupId: live.row.id, status: failed ? 'failed' : 'running', reason: failed ? `root team failed to form: ${live.row.decision?.reason}` : null, updatedAt: now,
      });
    }
    return { seq, message_id: messageId, group_id: live.row.id, candidates: invited(slots) };
  }

  async reply(by: Principal, dto: InviteReplyDto): Promise<{ group_id: string }> {
    const groupId = this.invites.get(dto.invite_id);
    if (!groupId || !this.sessions.live.has(groupId)) throw new ApiError(ErrorCode.NOT_FOUND, `invite ${dto.invite_id} is unknown or its group has formed`);
    return this.sessions.run(groupId, (live, batch) => {
      const slot = live.row.decision?.needs.find((s) => s.invites.some((i) => i.invite_id === dto.invite_id));
      const invite = slot?.invites.find((i) => i.invite_id === dto.invite_id);
      if (!slot || !invite || invite.agent_id !== by.id) throw new ApiError(ErrorCode.FORBIDDEN, 'this invite is not yours');
      if (invite.status !== 'pending' || live.state !== 'forming') throw new ApiError(ErrorCode.CONFLICT, `this invite is already ${invite.status}`);
      Object.assign(invite, { status: dto.accept ? 'accepted' : 'declined', answered_at: this.clock.now(), ...(dto.reason ? { reason: dto.reason } : {}) });
      if (dto.accept) {
        this.engine.send(live, batch, { type: 'SET_MEMBERS', members: [...new Set([...live.context.members, by.id])] }, by.id);
        this.engine.system(live, batch, 'member_joined', `${by.id} joined`, { agent_id: by.id, need: slot.need });
      } else {
        this.inviteNext(live, batch, slot);
      }
      this.openOrFail(live, batch);
      return { group_id: live.row.id };
    });
  }

  /**
   * Creates a sub-team and announces it in its parent group (system `subteam_formed`), so that whoever follows the
   * parent learns of it at once. Both run under the parent's lock: the task cannot settle in between, and the
   * announcement precedes anything the sub-team's closing reports there (`subteam_closed`).
   */
  private startSubTeam(parentId: string, taskId: string, requester: string, goal: string, start: () => Promise<LiveGroup>): Promise<LiveGroup> {
    return this.sessions.run(parentId, async (parent, batch) => {
      const task = parent.tasks.get(taskId);
      if (!task || isSettled(task)) throw new ApiError(ErrorCode.FORBIDDEN, 'a sub-team is formed for an open task you hold');
      const sub = await start();
      this.engine.system(parent, batch, 'subteam_formed', `sub-team ${sub.row.id} formed for task ${taskId}`, { group_id: sub.row.id, task_id: taskId, coordinator: requester, goal });
      return sub;
    });
  }

  /** Where the new group goes in the tree, what it may do, and whom it must not invite. */
  private async placeInTree(requester: string, dto: TeamFormationPayload) {
    if (dto.parent_task_id) {
      const parent = [...this.sessions.live.values()].find((l) => l.tasks.has(dto.parent_task_id as string));
      if (!parent) throw new ApiError(ErrorCode.NOT_FOUND, `task ${dto.parent_task_id} is not an open task`);
      if (!parent.context.members.includes(requester)) throw new ApiError(ErrorCode.NOT_MEMBER, 'you are not a member of the task\'s group');
      const task = parent.tasks.get(dto.parent_task_id)!;
      if (!task.assignee.includes(requester) || isSettled(task)) throw new ApiError(ErrorCode.FORBIDDEN, 'a sub-team is formed for an open task you hold');
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
   * Members of the groups above are not invited into a sub-team: they already take part in the parent's session,
   * and inviting them would let one agent hold a task and also work inside the team that serves it.
   */
  private async ancestorsMembers(row: GroupEntity): Promise<Set<string>> {
    const out = new Set<string>();
    for (let r: GroupEntity | null = row; r; r = r.parentGroupId ? this.sessions.live.get(r.parentGroupId)?.row ?? (await this.store.get(r.parentGroupId)) : null) {
      for (const m of r.members) out.add(m);
    }
    return out;
  }

  /** Invites the next candidates of a slot until accepted plus pending invites fill it, or candidates run out. */
  private inviteNext(live: LiveGroup, batch: Batch, slot: NeedRecord): void {
    const now = this.clock.now();
    // Never two open invites for one agent, whichever slot they came from.
    const asked = new Set([...slot.invites.map((i) => i.agent_id),
      ...(live.row.decision?.needs ?? []).flatMap((s) => s.invites.filter((i) => i.status === 'pending' || i.status === 'accepted').map((i) => i.agent_id))]);
    const members = new Set(live.context.members);
    for (const c of slot.candidates) {
      const open = slot.invites.filter((i) => i.status === 'accepted' || i.status === 'pending').length;
      if (open >= slot.count) return;
      if (asked.has(c.agent_id) || members.has(c.agent_id)) continue;
      asked.add(c.agent_id);
      if (!this.inviteBudgets.take(live.row.decision?.requester ?? live.row.coordinator, c.agent_id)) {
        slot.invites.push({ invite_id: this.ids.next(), agent_id: c.agent_id, status: 'expired', reason: 'invite rate limit', sent_at: now, deadline: now });
        continue;
      }
      const invite = { invite_id: this.ids.next(), agent_id: c.agent_id, status: 'pending' as const, sent_at: now, deadline: now + this.config.values.teams.inviteTimeoutS * 1000 };
      slot.invites.push(invite);
      this.invites.set(invite.invite_id, live.row.id);
      batch.deliveries.push(() => this.emitter.emit({ rooms: [ROOM.agent(c.agent_id)] }, 'invite', {
        invite_id: invite.invite_id, group_id: live.row.id, goal: live.row.goal, from: live.row.coordinator, need: slot.need, deadline: iso(invite.deadline) as string,
      }));
    }
  }

  /** Opens the group once every slot is answered; fails it if nobody but the coordinator joined. */
  private openOrFail(live: LiveGroup, batch: Batch, timedOut = false): void {
    const decision = live.row.decision;
    if (!decision || live.state !== 'forming') return;
    const pending = decision.needs.some((s) => s.invites.some((i) => i.status === 'pending'));
    if (pending && !timedOut) return;
    if (live.context.members.length > 1) {
      decision.outcome = 'opened';
      this.engine.open(live, batch);
      return;
    }
    decision.outcome = 'failed';
    decision.reason = timedOut ? 'forming timed out with no member besides the coordinator' : 'every candidate declined or did not answer';
    this.engine.send(live, batch, { type: 'CLOSE', reason: 'failed', note: decision.reason }, 'system');
    batch.deliveries.push(() => this.emitter.emit({ rooms: [ROOM.agent(decision.requester)] }, 'group_state', { group_id: live.row.id, state: 'closed', seq: live.row.lastSeq }));
  }

  /** The invite and forming deadlines that passed (`deadlines.ts` decides which): expire, invite the next, settle. */
  private onDeadline(live: LiveGroup, batch: Batch, due: Deadline[]): void {
    const now = this.clock.now();
    const expired = new Set(due.flatMap((d) => (d.kind === 'invite' ? [d.inviteId] : [])));
    for (const slot of live.row.decision?.needs ?? []) {
      for (const i of slot.invites.filter((x) => x.status === 'pending' && expired.has(x.invite_id))) {
        Object.assign(i, { status: 'expired', answered_at: now });
        this.inviteNext(live, batch, slot);
      }
    }
    const timedOut = due.some((d) => d.kind === 'forming');
    if (timedOut) {
      for (const slot of live.row.decision?.needs ?? []) for (const i of slot.invites) if (i.status === 'pending') Object.assign(i, { status: 'expired', answered_at: now });
    }
    this.openOrFail(live, batch, timedOut);
  }
}

/**
 * Invites are budgeted per requester (`IOA_INVITES_PER_MINUTE`), per requester and target (a tenth of it, at least
 * one) and per target (ten times it): one requester cannot use up the invites a target may receive, so legitimate
 * teams still reach an agent that someone else keeps naming.
 */
class InviteBudgets {
  private readonly byRequester: RateLimiter;
  private readonly byPair: RateLimiter;
  private readonly byTarget: RateLimiter;

  constructor(perMinute: number, now: () => number) {
    const pair = Math.max(1, Math.floor(perMinute / 10));
    this.byRequester = new RateLimiter(perMinute / 60, perMinute, now);
    this.byPair = new RateLimiter(pair / 60, pair, now);
    this.byTarget = new RateLimiter((perMinute * 10) / 60, perMinute * 10, now);
  }

  take(requester: string, target: string): boolean {
    return this.byPair.take(`${requester} ${target}`) && this.byRequester.take(requester) && this.byTarget.take(target);
  }
}

function invited(slots: NeedRecord[]) {
  return slots.flatMap((s) => s.candidates.slice(0, s.count).map((c) => ({ need: s.need, agent_id: c.agent_id, score: c.score, matched: c.matched })));
}

