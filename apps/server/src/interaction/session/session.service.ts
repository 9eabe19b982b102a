import { Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { CreateGroupDto, ErrorCode, MessageAck, SESSION_DEFAULTS, SessionEnvelope } from '@ioa/protocol';
import { AgentRegistry } from '../../data/registry/agent-registry.service';
import { GroupEntity } from '../../data/groups/group.entity';
import { GroupStore } from '../../data/groups/group-store';
import { ApiError } from '../../foundation/http/api-error';
import { ConfigService } from '../../foundation/config/config.service';
import { Clock, IdGenerator } from '../../foundation/runtime/runtime.module';
import { KeyedQueue } from '../../foundation/runtime/keyed-queue';
import { Principal } from '../../foundation/security/principal';
import { shiftDeadlines } from './deadlines';
import { assertAllowed } from '../access/access';
import { Batch, LiveGroup, MESSAGE_IDS_KEPT } from './live-group';
import { digestOf, SessionEngine } from './session-engine';
import { SessionEvents } from './session-events';
import { SESSION_MACHINE_VERSION, SessionEvent } from './session.machine';
import { checkMessage } from './session.policy';
// The envelope parser lives in its own file; its spec imports it from here.
export { parseEnvelope } from './parse-envelope';
import { applyTaskMessage, isTaskMessage, newTask, TaskEnvelope } from './task-book';
import { groupView, GroupView } from './views';

/** A node that has not beaten for this long and holds no open group is forgotten. */
const FORGET_NODES_AFTER_MS = 60_000;

export interface GroupSpec {
  createdBy: string;
  goal: string;
  coordinator: string;
  members: string[];
  maxTurns?: number;
  teamUpDepth: number;
  options?: Partial<GroupEntity['options']>;
  goalId?: string | null;
  parentGroupId?: string | null;
  parentTaskId?: string | null;
  level?: number;
  forming?: { deadline: number; decision: NonNullable<GroupEntity['decision']> };
}

/**
 * The single owner of every open group: its machine, its `seq`, its tasks and timers. Every path that changes a
 * group (socket messages, REST, timers, presence) runs through `run(groupId, …)`, one step at a time per group.
 */
@Injectable()
export class SessionService implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('sessions');
  readonly live = new Map<string, LiveGroup>();
  private readonly queue = new KeyedQueue();
  /**
   * What this process records as the holder of its groups and beats as: the node id plus a boot id, so that a node
   * restarting under the same id never overwrites the heartbeat its groups' downtime is measured from.
   */
  readonly holder: string;
  /** Resolves once the open groups are loaded at start-up (presence suspends the tasks of absent assignees then). */
  readonly loaded: Promise<void>;
  private markLoaded: () => void = () => undefined;

  constructor(
    private readonly store: GroupStore,
    private readonly registry: AgentRegistry,
    private readonly engine: SessionEngine,
    private readonly clock: Clock,
    private readonly ids: IdGenerator,
    private readonly events: SessionEvents,
    config: ConfigService,
  ) {
    this.holder = `${config.values.nodeId}/${ids.next().slice(0, 8)}`;
    this.loaded = new Promise((resolve) => (this.markLoaded = resolve));
  }

  /**
   * Loads every open group this node can run and takes it: its deadlines move by the downtime of the node that held
   * it (time nobody ran the group counts against nobody), stored with this node as its holder.
   */
  async onApplicationBootstrap(): Promise<void> {
    const now = this.clock.now();
    const alive = await this.store.lastAlive();
    // Beat before taking anything: a crash while loading must not leave a taken group with no heartbeat to measure from.
    await this.store.setAliveAt(this.holder, now);
    let longest = 0;
    for (const row of await this.store.openGroups()) {
      if (row.machineVersion !== SESSION_MACHINE_VERSION) {
        this.logger.error(`group ${row.id}: snapshot of machine version ${row.machineVersion} (this server runs ${SESSION_MACHINE_VERSION}) refused; the group stays unloaded`);
        continue;
      }
      const live = await this.load(row);
      const downtime = Math.max(0, now - (alive.get(row.heldBy) ?? now));
      shiftDeadlines(live.row, live.tasks.values(), downtime);
      live.row.heldBy = this.holder;
      await this.store.commit({ group: live.row, tasks: [...live.tasks.values()] }, { holder: this.holder });
      this.live.set(row.id, live);
      longest = Math.max(longest, downtime);
    }
    if (this.live.size) this.logger.log(`resumed ${this.live.size} open groups; their deadlines moved by their node's downtime (up to ${longest} ms)`);
    await this.store.forgetIdleNodes(this.holder, now - FORGET_NODES_AFTER_MS);
    this.markLoaded();
  }

  async onApplicationShutdown(): Promise<void> {
    for (const live of this.live.values()) live.actor.stop();
  }

  /** Runs one step on a group under its lock; commits the batch, then delivers in order. */
  run<T>(groupId: string, step: (live: LiveGroup, batch: Batch) => T | Promise<T>): Promise<T> {
    return this.queue.run(groupId, async () => {
      const live = this.live.get(groupId);
      if (!live) throw ApiError.notFound('open group', groupId);
      const batch = new Batch();
      const result = await step(live, batch);
      await this.commit(live, batch);
      return result;
    });
  }

  /** `POST /v1/groups`: members are added directly and the group opens in `discussion` at once. */
  async create(by: Principal, dto: CreateGroupDto): Promise<GroupView> {
    const coordinator = dto.coordinator ?? (by.role === 'agent' ? by.id : null);
    if (!coordinator) throw new ApiError(ErrorCode.VALIDATION, 'coordinator is required when an admin creates a group');
    const members = [...new Set([coordinator, ...dto.members])];
    await this.assertAgents(members);
    const live = await this.start({
      createdBy: by.id, goal: dto.goal, coordinator, members, maxTurns: dto.max_turns, teamUpDepth: dto.team_up_depth ?? 0,
      options: { turn_timeout_s: dto.turn_timeout_s, coordinator_timeout_s: dto.coordinator_timeout_s, conclusion_wait_s: dto.conclusion_wait_s },
    });
    return groupView(live.row, live.context.holders);
  }

  /** Unknown or disabled agents cannot be members. */
  async assertAgents(ids: string[]): Promise<void> {
    const agents = await this.registry.getMany(ids);
    const missing = ids.filter((id) => !agents.some((a) => a.id === id));
    if (missing.length) throw new ApiError(ErrorCode.NOT_FOUND, `unknown agents: ${missing.join(', ')}`);
    const disabled = agents.filter((a) => a.status === 'disabled').map((a) => a.id);
    if (disabled.length) throw new ApiError(ErrorCode.VALIDATION, `disabled agents cannot join: ${disabled.join(', ')}`);
  }

  /**
   * Creates a group and its machine. Without `forming` it opens in `discussion` (goal posted, coordinator's turn);
   * with it, it waits in `forming` while team formation collects answers, and `first` writes its first steps.
   */
  async start(spec: GroupSpec, first?: (live: LiveGroup, batch: Batch) => void): Promise<LiveGroup> {
    const now = this.clock.now();
    const o = spec.options ?? {};
    const row = Object.assign(new GroupEntity(), {
      id: this.ids.next(), goal: spec.goal, createdBy: spec.createdBy, coordinator: spec.coordinator, members: spec.members,
      state: spec.forming ? 'forming' : 'discussion', machineVersion: SESSION_MACHINE_VERSION, snapshot: null, lastSeq: 0, turnsUsed: 0,
      maxTurns: spec.maxTurns ?? SESSION_DEFAULTS.max_turns,
      options: {
        turn_timeout_s: o.turn_timeout_s ?? SESSION_DEFAULTS.turn_timeout_s,
        coordinator_timeout_s: o.coordinator_timeout_s ?? SESSION_DEFAULTS.coordinator_timeout_s,
        conclusion_wait_s: o.conclusion_wait_s ?? SESSION_DEFAULTS.conclusion_wait_s,
      },
      turnDeadline: null, conclusionDeadline: null, closeReason: null, goalId: spec.goalId ?? null, parentGroupId: spec.parentGroupId ?? null,
      parentTaskId: spec.parentTaskId ?? null, level: spec.level ?? 0, teamUpDepth: spec.teamUpDepth, formingDeadline: spec.forming?.deadline ?? null,
      decision: spec.forming?.decision ?? null, heldBy: this.holder, createdAt: now, updatedAt: now,
    });
    const live = new LiveGroup(row, new Map(), { input: { coordinator: spec.coordinator, members: spec.members, maxTurns: row.maxTurns, forming: !!spec.forming } });
    this.live.set(row.id, live);
    await this.run(row.id, (l, batch) => {
      this.engine.audit(batch, spec.createdBy, 'group_created', row.id, { coordinator: spec.coordinator, members: spec.members, forming: !!spec.forming });
      first?.(l, batch);
      if (!spec.forming) this.engine.open(l, batch);
    }).catch((e) => {
      this.live.delete(row.id);
      throw e;
    });
    return live;
  }

  /** An envelope the gateway parsed: duplicate id → membership → closed → role → state → turn; a refusal changes nothing. */
  async handle(by: Principal, envelope: SessionEnvelope): Promise<MessageAck> {
    assertAllowed(by, { action: 'group.send' });
    const { header, payload, ext } = envelope;
    if (!header.group_id) throw new ApiError(ErrorCode.VALIDATION, 'header.group_id is required', [{ field: 'header.group_id', messages: ['required'] }]);
    const groupId = header.group_id;
    const digest = digestOf(header.type, payload, ext);
    if (!this.live.has(groupId)) {
      // A closed (or unknown) group still answers a resend of an accepted message with its original ack.
      const original = await this.resend(groupId, by.id, header.message_id, digest);
      if (original) return original;
      throw await this.notOpen(groupId, by.id);
    }
    return this.run(groupId, async (live, batch) => {
      // Under the lock, so that a resend racing its original sees it.
      const original = await this.resend(groupId, by.id, header.message_id, digest);
      if (original) return original;
      const refusal = checkMessage(live.policy, by.id, header.type, payload, live.tasks);
      const event = refusal ? null : toEvent(envelope, by.id);
      if (refusal || (event && !live.actor.getSnapshot().can(event))) {
        const error = refusal ?? { code: ErrorCode.ILLEGAL_IN_STATE, message: `${header.type} is not allowed now` };
        if (live.policy.members.includes(by.id)) await this.refused(live, by.id, header.type, error);
        throw new ApiError(error.code, error.message);
      }
      return this.accept(live, batch, by.id, envelope, digest, event);
    });
  }

  /**
   * Team reorganisation: the coordinator adds or removes members during `discussion`; any member but the coordinator
   * may leave. Announced by a `system` message; a leaver's tasks stay for the coordinator to reassign or cancel.
   */
  async changeMembers(by: Principal, groupId: string, change: { add?: string; remove?: string }): Promise<GroupView> {
    if (change.add) await this.assertAgents([change.add]);
    if (!this.live.has(groupId)) throw await this.notOpen(groupId, by.id);
    return this.run(groupId, (live, batch) => {
      const { coordinator, members } = live.context;
      assertAllowed(by, { action: 'group.members', group: { members, coordinator }, remove: change.remove });
      const leaving = change.remove !== undefined && change.remove === by.id;
      if (!leaving && live.state !== 'discussion') throw new ApiError(ErrorCode.ILLEGAL_IN_STATE, `members change during discussion, not in ${live.state}`);
      if (change.remove === coordinator) throw new ApiError(ErrorCode.VALIDATION, 'the coordinator cannot leave or be removed; conclude or let the role pass on');
      if (change.remove && !members.includes(change.remove)) throw new ApiError(ErrorCode.NOT_FOUND, `${change.remove} is not a member`);
      if (change.add && members.includes(change.add)) throw new ApiError(ErrorCode.CONFLICT, `${change.add} is already a member`);
      const next = change.add ? [...members, change.add] : members.filter((m) => m !== change.remove);
      this.engine.send(live, batch, { type: 'SET_MEMBERS', members: next }, by.id);
      const what = change.add ? `${change.add} joined` : leaving ? `${by.id} left` : `${change.remove} was removed`;
      this.engine.system(live, batch, 'members_changed', what, { added: change.add ?? null, removed: change.remove ?? null, by: by.id, members: next });
      this.engine.audit(batch, by.id, 'members_changed', groupId, { add: change.add ?? null, remove: change.remove ?? null });
      return groupView(live.row, live.context.holders);
    });
  }

  /** Closes a group from outside the protocol (admin, goal cancellation, failed formation). */
  close(groupId: string, reason: 'closed_by_admin' | 'canceled' | 'failed', actor: string, note?: string): Promise<GroupView> {
    return this.run(groupId, (live, batch) => {
      this.engine.audit(batch, actor, 'group_close', groupId, { reason, note: note ?? null });
      this.engine.send(live, batch, { type: 'CLOSE', reason, note }, actor);
      return groupView(live.row, []);
    });
  }

  private accept(live: LiveGroup, batch: Batch, sender: string, env: SessionEnvelope, digest: string, event: SessionEvent | null): MessageAck {
    const { header, ext } = env;
    const now = this.clock.now();
    let stored: object = env.payload;
    let taskIds: string[] | null = null;
    if (env.type === 'task_assignment') {
      const { mode, tasks: specs } = env.payload;
      const tasks = specs.map((spec) => newTask(this.ids.next(), live.row.id, mode, spec, sender, now));
      const ids = tasks.map((t) => t.id);
      taskIds = ids;
      stored = { ...env.payload, tasks: specs.map((spec, i) => ({ task_id: ids[i], ...spec })) };
      for (const t of tasks) {
        live.tasks.set(t.id, t);
        batch.writeTask(t);
        batch.deliveries.push(() => this.engine.emitTask(live, t));
      }
      if (event?.type === 'ASSIGN') event.taskIds = mode === 'sync' ? ids : [];
    }
    const message = this.engine.append(live, batch, { type: env.type, sender, payload: stored as Record<string, unknown>, messageId: header.message_id, ext, digest, taskIds });
    if (env.type === 'conclusion') live.summary = env.payload.summary;
    if (isTaskMessage(env)) this.applyToTask(live, batch, env, sender, now);
    if (event) this.engine.send(live, batch, event, sender);
    return { seq: message.seq, message_id: message.messageId, ...(taskIds ? { task_ids: taskIds } : {}) };
  }

  private applyToTask(live: LiveGroup, batch: Batch, env: TaskEnvelope, sender: string, now: number): void {
    const task = live.tasks.get(env.payload.task_id);
    if (!task) return;
    const settled = applyTaskMessage(task, env, sender, now);
    batch.writeTask(task);
    batch.deliveries.push(() => this.engine.emitTask(live, task));
    if (settled) this.engine.send(live, batch, { type: 'TASK_SETTLED', taskId: task.id }, sender);
  }

  private async commit(live: LiveGroup, batch: Batch): Promise<void> {
    this.engine.snapshotIntoRow(live);
    try {
      await this.store.commit({ group: live.row, messages: batch.messages, tasks: [...batch.tasks.values()], audit: batch.audit }, { holder: this.holder });
    } catch (e) {
      // The in-memory group ran ahead of what was stored: reload it from the database rather than diverge.
      this.logger.error(`group ${live.row.id}: commit failed, reloading: ${(e as Error).message}`);
      await this.reload(live.row.id);
      throw e;
    }
    for (const deliver of batch.deliveries) deliver();
    for (const after of batch.afterDeliveries) after();
    const closed = live.row.state === 'closed';
    if (closed) {
      live.actor.stop();
      this.live.delete(live.row.id);
    }
    // The step is stored and delivered: a failing follower is logged, never turned into a refusal of the step.
    this.notify(live, 'committed');
    if (closed) this.notify(live, 'closed');
  }

  private notify(live: LiveGroup, event: 'committed' | 'closed'): void {
    try {
      this.events.emit(event, live);
    } catch (e) {
      this.logger.error(`group ${live.row.id}: a ${event} handler failed: ${(e as Error).stack ?? e}`);
    }
  }

  private async reload(groupId: string): Promise<void> {
    this.live.get(groupId)?.actor.stop();
    this.live.delete(groupId);
    const row = await this.store.get(groupId);
    if (!row || row.state === 'closed' || !row.snapshot) return;
    this.live.set(groupId, await this.load(row));
  }

  /** An open group from its stored row, with its tasks and the ids of its messages. */
  private async load(row: GroupEntity): Promise<LiveGroup> {
    const tasks = new Map((await this.store.tasksOf(row.id)).map((t) => [t.id, t]));
    const live = new LiveGroup(row, tasks, { snapshot: row.snapshot });
    live.knowMessageIds(await this.store.messageIds(row.id, MESSAGE_IDS_KEPT + 1));
    return live;
  }

  /** The original ack of an accepted message with this id, or a refusal if the id was used for other content. */
  private async resend(groupId: string, sender: string, messageId: string, digest: string): Promise<MessageAck | null> {
    if (this.live.get(groupId)?.isNewMessageId(sender, messageId)) return null;
    const existing = await this.store.findMessage(groupId, sender, messageId);
    if (!existing) return null;
    if (existing.digest !== digest) throw new ApiError(ErrorCode.DUPLICATE_MESSAGE_ID, `message_id ${messageId} was already used for other content`);
    return { seq: existing.seq, message_id: existing.messageId, ...(existing.taskIds ? { task_ids: existing.taskIds } : {}) };
  }

  private async refused(live: LiveGroup, sender: string, type: string, error: { code: ErrorCode; message: string }): Promise<void> {
    const batch = new Batch();
    this.engine.audit(batch, sender, 'refused', live.row.id, { type, code: error.code, message: error.message });
    await this.store.commit({ audit: batch.audit });
  }

  private async notOpen(groupId: string, sender: string): Promise<ApiError> {
    const row = await this.store.get(groupId);
    if (!row) return ApiError.notFound('group', groupId);
    if (!row.members.includes(sender)) return new ApiError(ErrorCode.NOT_MEMBER, 'you are not a member of this group');
    if (row.state === 'closed') return new ApiError(ErrorCode.GROUP_CLOSED, `the group is closed (${row.closeReason})`);
    return new ApiError(ErrorCode.UNAVAILABLE, 'the group could not be loaded on this server');
  }
}

function toEvent(env: SessionEnvelope, sender: string): SessionEvent | null {
  switch (env.type) {
    case 'discussion':
      return { type: 'DISCUSS', sender, nextSpeakers: [...new Set(env.payload.next_speaker)], nextState: env.payload.next_state };
    case 'task_assignment':
      return { type: 'ASSIGN', sender, mode: env.payload.mode, taskIds: [] };
    case 'pause_and_trigger':
      return { type: 'PAUSE', sender, triggers: [...new Set(env.payload.triggers)] };
    case 'conclusion':
      return { type: 'CONCLUDE', sender };
    default:
      return null;
  }
}
