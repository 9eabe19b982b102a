import { Injectable, OnApplicationBootstrap, OnModuleInit } from '@nestjs/common';
import { ErrorCode, InviteEvent, InviteView } from '@ioa/protocol';
import { GroupEntity, InviteRecord, NeedRecord } from '../../data/groups/group.entity';
import { ConfigService } from '../../foundation/config/config.service';
import { ApiError } from '../../foundation/http/api-error';
import { Emitter, ROOM } from '../../foundation/network/emitter.port';
import { RateLimiter } from '../../foundation/network/rate-limiter';
import { Clock, IdGenerator } from '../../foundation/runtime/runtime.module';
import { iso } from '../../foundation/runtime/time';
import { Deadline, deadlineBase } from '../session/deadlines';
import { GroupHost } from '../session/group-host';
import { Batch, LiveGroup } from '../session/live-group';
import { SessionEngine } from '../session/session-engine';
import { SessionEvents } from '../session/session-events';
import { offerAgain, reassigned } from '../session/graph-steps';
import { giveUpReassign } from '../session/task-book';
import { TaskEntity } from '../../data/tasks/task.entity';
import { needOf, nextCandidate } from './node-candidates';

/**
 * The steps of a group in `forming`, shared by team formation's command handlers and run inside their steps: invite
 * the next candidates of a slot, open the group once every slot is answered (or fail it), and expire invites and
 * the forming deadline. Invites into an open group (by its coordinator) are slots too, answered the same way. Also
 * knows which group each open invite belongs to.
 */
@Injectable()
export class FormingSteps implements OnModuleInit, OnApplicationBootstrap {
  private readonly invites = new Map<string, string>();
  private readonly budgets: InviteBudgets;

  constructor(
    private readonly host: GroupHost,
    private readonly events: SessionEvents,
    private readonly engine: SessionEngine,
    private readonly emitter: Emitter,
    private readonly config: ConfigService,
    private readonly clock: Clock,
    private readonly ids: IdGenerator,
  ) {
    this.budgets = new InviteBudgets(config.values.teams.invitesPerMinute, config.values.teams.invitesPerPairPerMinute, () => clock.now());
  }

  onModuleInit(): void {
    this.events.on('invitesDue', (live, batch, due) => this.onDeadline(live, batch, due));
    this.events.on('nodeReassign', (live, batch, task) => this.offerNode(live, batch, task));
    this.events.on('closed', (group) => {
      for (const slot of group.row.decision?.needs ?? []) for (const i of slot.invites) this.invites.delete(i.invite_id);
    });
  }

  async onApplicationBootstrap(): Promise<void> {
    await this.host.loaded;
    for (const group of this.host.groups()) {
      for (const slot of group.row.decision?.needs ?? []) for (const i of slot.invites) this.invites.set(i.invite_id, group.row.id);
    }
  }

  /** The group an open invite belongs to. */
  groupOf(inviteId: string): string | undefined {
    return this.invites.get(inviteId);
  }

  /** Invites the next candidates of a slot until accepted plus pending invites fill it, or candidates run out. */
  inviteNext(live: LiveGroup, batch: Batch, slot: NeedRecord): void {
    batch.decisionChanged = true;
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
      this.sendWithinBudget(live, batch, slot, live.row.decision?.requester ?? live.row.coordinator, c.agent_id, now);
    }
  }

  /**
   * The coordinator of an open group invites one agent (named, so a slot of its own in the decision): the invite
   * goes out at once, or the step is refused when the agent already has one pending or a budget is spent. A person's
   * invite waits `timeoutS` (her turn's timeout) rather than the agents' invite timeout.
   */
  inviteInto(live: LiveGroup, batch: Batch, agentId: string, by: string, timeoutS?: number): InviteView {
    if (live.row.decision?.needs.some((s) => s.invites.some((i) => i.agent_id === agentId && i.status === 'pending'))) {
      throw new ApiError(ErrorCode.CONFLICT, `${agentId} already has a pending invite to this group`);
    }
    const spent = this.budgets.take(by, agentId);
    if (spent) throw new ApiError(ErrorCode.RATE_LIMITED, `invite rate limit (${spent}); try again within a minute`);
    const decision = (live.row.decision ??= { requester: live.row.coordinator, needs: [], outcome: 'opened' });
    batch.decisionChanged = true;
    const slot: NeedRecord = { need: null, count: 1, candidates: [{ agent_id: agentId, score: 1, matched: 'named', contact: false }], invites: [] };
    decision.needs.push(slot);
    const invite = this.send(live, batch, slot, agentId, this.clock.now(), timeoutS);
    const deadline = iso(invite.deadline) as string;
    this.engine.system(live, batch, 'member_invited', `${by} invited ${agentId}`, { agent_id: agentId, invite_id: invite.invite_id, by, deadline });
    return { invite_id: invite.invite_id, group_id: live.row.id, agent_id: agentId, status: 'pending', deadline };
  }

  /**
   * Sends an invite unless `requester`'s invite budget for `agentId` is spent; then the slot records it as expired
   * (`invite rate limit`), and null says the caller goes on to its next candidate.
   */
  private sendWithinBudget(live: LiveGroup, batch: Batch, slot: NeedRecord, requester: string, agentId: string, now: number): InviteRecord | null {
    const spent = this.budgets.take(requester, agentId);
    if (!spent) return this.send(live, batch, slot, agentId, now);
    slot.invites.push({ invite_id: this.ids.next(), agent_id: agentId, status: 'expired', reason: `invite rate limit (${spent})`, sent_at: now, deadline: now });
    return null;
  }

  private send(live: LiveGroup, batch: Batch, slot: NeedRecord, agentId: string, now: number, timeoutS = this.config.values.teams.inviteTimeoutS): InviteRecord {
    const invite = { invite_id: this.ids.next(), agent_id: agentId, status: 'pending' as const, sent_at: now, deadline: deadlineBase(live.row, now) + timeoutS * 1000 };
    slot.invites.push(invite);
    this.invites.set(invite.invite_id, live.row.id);
    batch.deliveries.push(() => this.emitter.emit({ rooms: [ROOM.agent(agentId)] }, 'invite', inviteEvent(live.row, slot, invite)));
    return invite;
  }

  /** Opens the group once every slot is answered; fails it if nobody but the coordinator joined. */
  openOrFail(live: LiveGroup, batch: Batch, timedOut = false): void {
    const decision = live.row.decision;
    if (!decision || live.state !== 'forming') return;
    const pending = decision.needs.some((s) => s.invites.some((i) => i.status === 'pending'));
    if (pending && !timedOut) return;
    batch.decisionChanged = true;
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

  /**
   * An invite into an open group came to nothing: the group hears it (a forming group invites the next candidate
   * instead). One sent for a graph node (`reassign`) offers the node to the next candidate; with none left, the
   * node's failure stands and its graph steps.
   */
  declined(live: LiveGroup, batch: Batch, slot: NeedRecord, invite: InviteRecord, reason: string): void {
    this.engine.system(live, batch, 'invite_declined', `${invite.agent_id} did not join: ${reason}`, { agent_id: invite.agent_id, invite_id: invite.invite_id, reason });
    const task = slot.task_id ? live.tasks.get(slot.task_id) : undefined;
    if (task) offerAgain(this.engine, live, batch, task);
  }

  /** An agent invited for a graph node (`reassign`) joined: the node is its now, if it still waits for an assignee. */
  joined(live: LiveGroup, batch: Batch, slot: NeedRecord, agentId: string): void {
    const task = slot.task_id ? live.tasks.get(slot.task_id) : undefined;
    if (task) reassigned(this.engine, live, batch, task, agentId, this.clock.now());
  }

  /**
   * A graph node waiting under `reassign` is offered to the next candidate for its need (`node-candidates.ts`): a
   * member gets it at once, anyone else is invited as team formation invites (the invite's slot names the node).
   * With none left, the node's failure stands (`giveUpReassign`), for the caller to step.
   */
  private offerNode(live: LiveGroup, batch: Batch, task: TaskEntity): void {
    const now = this.clock.now();
    const decision = live.row.decision;
    const need = needOf(decision, task);
    for (;;) {
      const next = need && decision ? nextCandidate(need, task, decision, live.context) : null;
      if (!next || !need || !decision) break;
      if (live.context.members.includes(next)) {
        reassigned(this.engine, live, batch, task, next, now);
        return;
      }
      task.tried = [...(task.tried ?? []), next];
      this.engine.writeTask(live, batch, task);
      const slot: NeedRecord = { need: need.need, count: 1, candidates: need.candidates, invites: [], task_id: task.id };
      decision.needs.push(slot);
      batch.decisionChanged = true;
      const invite = this.sendWithinBudget(live, batch, slot, decision.requester, next, now);
      if (!invite) continue;
      this.engine.system(live, batch, 'member_invited', `${next} invited to take over "${task.nodeKey}"`, {
        agent_id: next, invite_id: invite.invite_id, by: 'system', deadline: iso(invite.deadline), task_id: task.id,
      });
      return;
    }
    giveUpReassign(task, now);
    this.engine.writeTask(live, batch, task);
  }

  /** The invite and forming deadlines that passed (`deadlines.ts` decides which): expire, invite the next, settle. */
  private onDeadline(live: LiveGroup, batch: Batch, due: Deadline[]): void {
    batch.decisionChanged = true;
    const now = this.clock.now();
    const expired = new Set(due.flatMap((d) => (d.kind === 'invite' ? [d.inviteId] : [])));
    for (const slot of live.row.decision?.needs ?? []) {
      for (const i of slot.invites.filter((x) => x.status === 'pending' && expired.has(x.invite_id))) {
        Object.assign(i, { status: 'expired', answered_at: now });
        if (live.state === 'forming') this.inviteNext(live, batch, slot);
        else this.declined(live, batch, slot, i, 'did not answer in time');
      }
    }
    const timedOut = due.some((d) => d.kind === 'forming');
    if (timedOut) {
      for (const slot of live.row.decision?.needs ?? []) for (const i of slot.invites) if (i.status === 'pending') Object.assign(i, { status: 'expired', answered_at: now });
    }
    this.openOrFail(live, batch, timedOut);
  }
}

/** The `invite` event of a pending invite (sent when it goes out, and again to an invitee that reconnects). */
export function inviteEvent(row: Pick<GroupEntity, 'id' | 'goal' | 'coordinator'>, slot: NeedRecord, invite: InviteRecord): InviteEvent {
  return { invite_id: invite.invite_id, group_id: row.id, goal: row.goal, from: row.coordinator, need: slot.need, deadline: iso(invite.deadline) as string };
}

/**
 * Invites are budgeted per requester (`IOA_INVITES_PER_MINUTE`), per requester and target
 * (`IOA_INVITES_PER_PAIR_PER_MINUTE`, by default a tenth of it, at least one) and per target (ten times the first):
 * one requester cannot use up the invites a target may receive, so legitimate teams still reach an agent that
 * someone else keeps naming.
 */
export class InviteBudgets {
  private readonly byRequester: RateLimiter;
  private readonly byPair: RateLimiter;
  private readonly byTarget: RateLimiter;

  constructor(perMinute: number, perPair: number, now: () => number) {
    this.byRequester = new RateLimiter(perMinute / 60, perMinute, now);
    this.byPair = new RateLimiter(perPair / 60, perPair, now);
    this.byTarget = new RateLimiter((perMinute * 10) / 60, perMinute * 10, now);
  }

  /** Spends one invite from `requester` to `target`; null when it may go, else the budget that is spent. */
  take(requester: string, target: string): 'requester → agent' | 'requester' | 'agent' | null {
    if (!this.byPair.take(`${requester} ${target}`)) return 'requester → agent';
    if (!this.byRequester.take(requester)) return 'requester';
    if (!this.byTarget.take(target)) return 'agent';
    return null;
  }
}
