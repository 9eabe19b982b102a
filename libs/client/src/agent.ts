import { ENVELOPE_LIMITS, Envelope, ErrorCode, GoalEvent, InviteEvent, SETTLED_TASK_STATES, TaskView } from '@ioa/protocol';
import type { Agent, AgentRun, RunOptions, TaskContext, TurnContext } from './agent-types';
import type { IoAClient } from './client';
import { isIoAError } from './errors';
import { TaskOutcome } from './types';

export type { Agent, AgentRun, InviteDecision, RunOptions, TaskContext, TaskReporter, TeamFormed, TurnContext } from './agent-types';

/**
 * Runs an agent on a connected client until `stop()`:
 * - joins (subscribes to) every group it enters: an accepted invite, a team it formed for a goal, or a group it first
 *   hears of through a `turn` or `task` event (a group someone created with it as a member);
 * - on a `turn` naming it, reads the group and its tasks over REST and sends what `onTurn` returns; turns of one group
 *   are handled one at a time, and a turn is offered once per group seq (return null to wait for the next `turn`);
 * - on a `task` assigned to it in `submitted`, replies accept, runs `onTask` with a progress reporter and sends the
 *   result (a throw becomes `failed`); tasks run concurrently with turns;
 * - answers invites with `onInvite` and goals with `onGoal`, handing the formation's ack to `onTeamFormed`;
 * - at start and after a reconnection, joins its open groups and catches up on turns and submitted tasks it may have
 *   missed while offline (so a restarted agent process picks up where it was);
 * - unsubscribes from a group when it closes.
 * @example
 * const client = await IoAClient.connect({ url, enrollment: { token, card: echo.card } });
 * const run = runAgent(client, echo);
 */
export function runAgent(client: IoAClient, agent: Agent, options: RunOptions = {}): AgentRun {
  return new AgentRunner(client, agent, options).start();
}

class AgentRunner implements AgentRun {
  readonly groups = new Set<string>();
  private readonly joined = new Map<string, Promise<void>>();
  private readonly history = new Map<string, Envelope[]>();
  private readonly queues = new Map<string, Promise<void>>();
  private readonly offeredAt = new Map<string, number>();
  private readonly activeTasks = new Set<string>();
  private readonly seenTaskVersions = new Set<string>();
  /** Goals and invites already taken up: the server sends them again on every reconnect while they are pending. */
  private readonly seen = new Set<string>();
  private readonly offs: (() => void)[] = [];
  private stopped = false;
  ready: Promise<void> = Promise.resolve();

  constructor(private readonly client: IoAClient, private readonly agent: Agent, private readonly options: RunOptions) {}

  start(): this {
    const c = this.client;
    this.offs.push(
      c.on('message', (m) => this.remember(m)),
      c.on('turn', (t) => t.holders.includes(c.agentId) && this.enqueue(t.group_id, () => this.takeTurn(t.group_id))),
      c.on('task', (t) => this.onTaskEvent(t)),
      c.on('invite', (i) => void this.guard({ event: 'invite', group_id: i.group_id }, () => this.onlyOnce(`invite ${i.invite_id}`, () => this.onInvite(i)))),
      c.on('goal', (g) => void this.guard({ event: 'goal' }, () => this.onlyOnce(`goal ${g.goal_id}`, () => this.onGoal(g)))),
      c.on('group_state', (s) => s.state === 'closed' && this.leave(s.group_id)),
      c.on('reconnect', () => void this.guard({ event: 'catch-up' }, () => this.catchUp())),
    );
    this.ready = this.guard({ event: 'card' }, () => this.declareCoordination());
    void this.guard({ event: 'catch-up' }, () => this.catchUp());
    return this;
  }

  /** Goals go only to agents whose card says `coordinates`: this one does exactly when it can take them. */
  private async declareCoordination(): Promise<void> {
    const coordinates = this.agent.onGoal !== undefined && this.agent.card.coordinates !== false;
    if (this.agent.card.coordinates && !this.agent.onGoal) this.warn('the card says coordinates: true, but this agent has no onGoal: it is declared not to coordinate');
    const { rest, agentId } = this.client;
    if ((await rest.getAgent(agentId)).coordinates !== coordinates) await rest.updateCard(agentId, { coordinates });
  }

  /** Runs `work` for the first event of `key`; a failed run lets the next one (a redelivery) try again. */
  private async onlyOnce(key: string, work: () => Promise<void>): Promise<void> {
    if (this.seen.has(key)) return;
    this.seen.add(key);
    await work().catch((e) => {
      this.seen.delete(key);
      throw e;
    });
  }

  private warn(message: string): void {
    if (this.options.onWarning) this.options.onWarning(message);
    else console.warn(`ioa agent ${this.client.agentId}: ${message}`);
  }

  stop(): void {
    this.stopped = true;
    for (const off of this.offs.splice(0)) off();
  }

  private join(groupId: string): Promise<void> {
    let joining = this.joined.get(groupId);
    if (!joining) {
      joining = this.client.subscribe(groupId).then(() => void this.groups.add(groupId));
      joining.catch(() => this.joined.delete(groupId));
      this.joined.set(groupId, joining);
    }
    return joining;
  }

  private leave(groupId: string): void {
    this.groups.delete(groupId);
    this.history.delete(groupId);
    this.offeredAt.delete(groupId);
    void this.guard({ event: 'unsubscribe', group_id: groupId }, () => this.client.unsubscribe(groupId));
  }

  private remember(m: Envelope): void {
    const list = this.history.get(m.header.group_id) ?? [];
    list.push(m);
    if (list.length > (this.options.historyLimit ?? 50)) list.shift();
    this.history.set(m.header.group_id, list);
  }

  private enqueue(groupId: string, work: () => Promise<void>): void {
    const previous = this.queues.get(groupId) ?? Promise.resolve();
    this.queues.set(groupId, previous.then(() => (this.stopped ? undefined : this.guard({ event: 'turn', group_id: groupId }, work))));
  }

  private async takeTurn(groupId: string, again = false): Promise<void> {
    await this.join(groupId);
    const { rest, agentId: me } = this.client;
    const group = await rest.getGroup(groupId);
    // Stale (the turn moved on while queued) or already offered at this seq (a repeated event, a catch-up).
    if (group.state === 'closed' || !group.turn.holders.includes(me) || this.offeredAt.get(groupId) === group.seq) return;
    this.offeredAt.set(groupId, group.seq);
    const tasks = await rest.tasks(groupId);
    const next = await this.agent.onTurn({
      client: this.client, me, group, goal: group.goal, state: group.state, isCoordinator: group.coordinator === me,
      members: group.members, holders: group.turn.holders, messages: [...(this.history.get(groupId) ?? [])],
      tasks, myTasks: tasks.filter((t) => t.assignee.includes(me)),
    });
    if (!next || this.stopped) return;
    try {
      await this.client.sendMessage(groupId, next);
    } catch (e) {
      // The group moved on between reading it and answering (a task settled meanwhile, say): the answer was refused
      // and nothing stored, so the turn is offered once more, on a fresh view of the group.
      if (again || !isIoAError(e, ErrorCode.ILLEGAL_IN_STATE)) throw e;
      this.offeredAt.delete(groupId);
      await this.takeTurn(groupId, true);
    }
  }

  private onTaskEvent(task: TaskView): void {
    const version = `${task.id}@${task.updated_at}`;
    // A task graph's node still pending waits for its predecessors: its dispatch sends it again, with its inputs.
    if (this.stopped || task.state !== 'submitted' || task.node_state === 'pending' || !task.assignee.includes(this.client.agentId)) return;
    if (this.activeTasks.has(task.id) || this.seenTaskVersions.has(version)) return;
    this.activeTasks.add(task.id);
    this.seenTaskVersions.add(version);
    void this.guard({ event: 'task', group_id: task.group_id, task_id: task.id }, () => this.work(task)).finally(() => this.activeTasks.delete(task.id));
  }

  private async work(task: TaskView): Promise<void> {
    const c = this.client;
    const g = task.group_id;
    void this.guard({ event: 'join', group_id: g }, () => this.join(g));
    if (!this.agent.onTask) {
      this.warn(`task ${task.id} in group ${g} declined: this agent has no onTask`);
      await c.replyTask(g, task.id, false, { reason: 'this agent does not take tasks' });
      return;
    }
    await c.replyTask(g, task.id, true);
    let outcome: TaskOutcome;
    const ctx: TaskContext = {
      client: c, me: c.agentId, group: () => c.rest.getGroup(g), progress: async (p, note = '') => void (await c.progress(g, task.id, p, note)),
    };
    try {
      outcome = await this.agent.onTask(task, ctx);
    } catch (e) {
      const why = e instanceof Error ? e.message : String(e);
      outcome = { status: 'failed', task_conclusion: why.slice(0, ENVELOPE_LIMITS.textMax), task_abstract: why.slice(0, ENVELOPE_LIMITS.abstractMax) };
    }
    if (this.stopped) return;
    // A task can be settled meanwhile by someone else (a sub-team's conclusion, a cancel, a deadline): then there
    // is no result to send.
    const current = (await c.rest.tasks(g)).find((t) => t.id === task.id);
    // (A suspended task is still open: its assignee's result resumes and settles it once the socket is back.)
    if (current && SETTLED_TASK_STATES.includes(current.state)) return;
    await c.result(g, task.id, outcome);
  }

  private async onInvite(invite: InviteEvent): Promise<void> {
    const decision = this.agent.onInvite ? await this.agent.onInvite(invite) : this.agent.card.accepting_invites !== false;
    const { accept, reason } = typeof decision === 'boolean' ? { accept: decision, reason: undefined } : decision;
    const ack = await this.client.replyInvite(invite.invite_id, accept, reason);
    if (accept) await this.join(ack.group_id);
  }

  private async onGoal(goal: GoalEvent): Promise<void> {
    if (!this.agent.onGoal) {
      this.warn(`goal ${goal.goal_id} ignored: this agent has no onGoal (it was named its coordinator); the goal passes to another coordinator after its accept timeout`);
      return;
    }
    const team = await this.agent.onGoal(goal);
    if (!team || this.stopped) return;
    const sent = { ...team, goal_id: team.goal_id ?? goal.goal_id };
    const ack = await this.client.formTeam(sent);
    const joining = this.join(ack.group_id);
    await this.agent.onTeamFormed?.({ goal, team: sent, ack });
    await joining;
  }

  /**
   * At start and after a reconnection: joins every open group of this agent and offers the turns and submitted tasks
   * whose events it may have missed while it was away.
   */
  private async catchUp(): Promise<void> {
    const { rest, agentId: me } = this.client;
    for (const group of (await rest.listGroups({ limit: 500 })).items) {
      if (this.stopped) return;
      if (group.state === 'closed') {
        if (this.groups.has(group.id)) this.leave(group.id);
        continue;
      }
      if (!group.members.includes(me)) continue;
      await this.join(group.id);
      if (group.turn.holders.includes(me)) this.enqueue(group.id, () => this.takeTurn(group.id));
      for (const t of await rest.tasks(group.id)) this.onTaskEvent(t);
    }
  }

  private async guard(where: { event: string; group_id?: string; task_id?: string }, work: () => Promise<unknown>): Promise<void> {
    try {
      await work();
    } catch (e) {
      // Work in flight when the run was stopped fails as its client closes: nobody waits for it, nothing to report.
      if (this.stopped) return;
      if (this.options.onError) this.options.onError(e, where);
      else console.error(`ioa agent ${this.client.agentId}: ${where.event}${where.group_id ? ` in ${where.group_id}` : ''} failed:`, e);
    }
  }
}
