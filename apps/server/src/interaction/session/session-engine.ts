import { Injectable } from '@nestjs/common';
import { createHash } from 'node:crypto';
import { GroupState, MessageType } from '@ioa/protocol';
import { AuditEntity } from '../../data/audit/audit.entity';
import { GroupEntity } from '../../data/groups/group.entity';
import { MessageEntity } from '../../data/groups/message.entity';
import { TaskEntity } from '../../data/tasks/task.entity';
import { Emitter, ROOM } from '../../foundation/network/emitter.port';
import { Clock, IdGenerator } from '../../foundation/runtime/runtime.module';
import { Batch, LiveGroup } from './live-group';
import { SESSION_MACHINE_VERSION, SessionEvent } from './session.machine';
import { SessionEvents } from './session-events';
import { goalProgress } from './goal-progress';
import { deadlineBase, humanTurn, humanTurnTimeoutS } from './deadlines';
import { withdrawInvites } from './invites';
import { announceCanceled, openGraphs, rerun, stepGraph } from './graph-steps';
import { endTask, GROUP_CLOSED, isPendingNode, isSettled, wasDispatched } from './task-book';
import { messageView, SYSTEM, taskView, turnEvent } from './views';

export interface NewMessage {
  type: MessageType;
  sender: string;
  payload: Record<string, unknown>;
  messageId?: string;
  ext?: Record<string, unknown> | null;
  digest?: string;
  taskIds?: string[] | null;
}

/** The content hash that tells a resend (same id, same content) from a conflicting reuse of an id; key order is ignored. */
export function digestOf(type: string, payload: unknown, ext: unknown): string {
  return createHash('sha256').update(JSON.stringify(canonical([type, payload, ext ?? null]))).digest('hex');
}

/** `value` with every object's keys sorted, so that equal content serialises to equal JSON. */
export function canonical(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(canonical);
  if (value === null || typeof value !== 'object') return value;
  return Object.fromEntries(Object.keys(value).sort().map((k) => [k, canonical((value as Record<string, unknown>)[k])]));
}

/**
 * The effects of a session step on one live group, collected into a batch: stamping messages, driving the machine,
 * keeping deadlines as data, writing the transition log, and queueing deliveries to run after the commit.
 */
@Injectable()
export class SessionEngine {
  constructor(private readonly clock: Clock, private readonly ids: IdGenerator, private readonly emitter: Emitter, readonly events: SessionEvents) {}

  append(live: LiveGroup, batch: Batch, m: NewMessage): MessageEntity {
    const row = live.row;
    const message = Object.assign(new MessageEntity(), {
      groupId: row.id, seq: ++row.lastSeq, messageId: m.messageId ?? this.ids.next(), sender: m.sender, type: m.type,
      state: live.state, payload: m.payload, ext: m.ext ?? null, digest: m.digest ?? digestOf(m.type, m.payload, m.ext),
      taskIds: m.taskIds ?? null, timestamp: this.clock.now(),
    });
    batch.messages.push(message);
    if (m.messageId) live.accepted(message.sender, message.messageId);
    batch.deliveries.push(() => this.deliver(live, message));
    return message;
  }

  system(live: LiveGroup, batch: Batch, event: string, text: string, data: Record<string, unknown> = {}): void {
    this.append(live, batch, { type: 'system', sender: SYSTEM, payload: { event, text, ...data } });
  }

  audit(batch: Batch, actor: string, action: string, groupId: string | null, detail: Record<string, unknown>): void {
    batch.audit.push(this.auditRow(actor, action, groupId, detail));
  }

  auditRow(actor: string, action: string, groupId: string | null, detail: Record<string, unknown>): AuditEntity {
    return Object.assign(new AuditEntity(), { at: this.clock.now(), actor, action, groupId, detail });
  }

  /**
   * A task changed in this step: stored with it, and shown to its assignees and the coordinator after the commit (once
   * per step, as it is then); a task stored `canceled` is announced for its sub-teams to close.
   */
  writeTask(live: LiveGroup, batch: Batch, task: TaskEntity): void {
    if (!batch.tasks.has(task.id)) {
      batch.deliveries.push(() => {
        this.emitTask(live, task);
        if (task.state === 'canceled') this.events.emit('subteamsAbandoned', live.row.id, task.id, `parent task ${task.id} canceled`);
        if (task.kind === 'approval') this.events.emit('approvalChanged', live, task);
      });
    }
    batch.writeTask(task);
  }

  /**
   * A task settled in this step. A graph node's graph steps first (nodes dispatched, skipped or canceled, announced);
   * then the machine hears of every task that settled, so a sync assignment ends only when its whole graph has (a
   * settled node makes the step end with a checkpoint: `endStep`).
   */
  settleTask(live: LiveGroup, batch: Batch, task: TaskEntity, actor: string): void {
    const settled = task.graphId ? stepGraph(this, live, batch, task.graphId, this.clock.now()) : [task];
    for (const t of settled) this.send(live, batch, { type: 'TASK_SETTLED', taskId: t.id }, t === task ? actor : 'system');
    this.noteSettledNodes(batch, settled);
  }

  /** A graph's first step, at its assignment: its roots are dispatched. */
  startGraph(live: LiveGroup, batch: Batch, graphId: string): void {
    this.settledByGraph(live, batch, stepGraph(this, live, batch, graphId, this.clock.now()));
  }

  /** A node waiting under `retry` runs again (its delay passed). */
  rerunNode(live: LiveGroup, batch: Batch, task: TaskEntity): void {
    this.settledByGraph(live, batch, rerun(this, live, batch, task, this.clock.now()));
  }

  private settledByGraph(live: LiveGroup, batch: Batch, tasks: TaskEntity[]): void {
    for (const t of tasks) this.send(live, batch, { type: 'TASK_SETTLED', taskId: t.id }, 'system');
    this.noteSettledNodes(batch, tasks);
  }

  private noteSettledNodes(batch: Batch, tasks: TaskEntity[]): void {
    for (const t of tasks) if (t.graphId && t.nodeState === 'settled') batch.settledGraphs.add(t.graphId);
  }

  /** Sends an event to the machine and turns what changed into deadlines, system messages, log lines and deliveries. */
  send(live: LiveGroup, batch: Batch, event: SessionEvent, actor: string): void {
    const before = { state: live.state, ...live.context };
    live.emitted.length = 0;
    live.actor.send(event);
    const after = live.context;
    const state = live.state;
    const now = this.clock.now();
    const row = live.row;

    // What the machine says happened, in order: transitions for the log, domain events for the group.
    let from = before.state;
    for (const e of live.emitted.splice(0)) {
      switch (e.type) {
        case 'entered':
          if (e.state === 'init' || e.state === from) break;
          this.audit(batch, actor, 'transition', row.id, { from, to: e.state, event: event.type });
          from = e.state as GroupState;
          if (e.state === 'closed') this.onClosed(live, batch, actor, event.type === 'CLOSE' ? event.note : undefined);
          break;
        case 'coordinator_changed':
          this.system(live, batch, 'coordinator_changed', `coordinator ${e.previous} was silent; ${e.coordinator} now coordinates`, {
            previous: e.previous, coordinator: e.coordinator,
          });
          break;
        case 'turns_exhausted':
          this.system(live, batch, 'max_turns', `max_turns (${e.maxTurns}) reached: the coordinator writes the conclusion`);
          break;
        case 'tasks_settled':
          this.postResults(live, batch, e.taskIds, e.from);
          break;
      }
    }

    row.state = state;
    row.coordinator = after.coordinator;
    row.members = after.members;
    row.turnsUsed = after.turnsUsed;
    row.closeReason = after.closeReason;
    const base = deadlineBase(row, now);
    row.conclusionDeadline = state === 'conclusion' ? row.conclusionDeadline ?? base + row.options.conclusion_wait_s * 1000 : null;
    // A new turn, a new state, or a holder acting restarts the silence deadline.
    const holderActed = 'sender' in event && before.holders.includes(event.sender);
    const holdersChanged = before.holders.join() !== after.holders.join() || event.type === 'TURN_TIMEOUT' || holderActed;
    if (holdersChanged || state !== before.state) {
      row.turnDeadline = state === 'discussion' && after.holders.length ? base + turnTimeoutS(row, after.holders, after.coordinator) * 1000 : null;
      if (after.holders.length) batch.deliveries.push(() => this.emitTurn(live));
      batch.deliveries.push(() => this.emitGroupTurn(live));
    }
    if (state !== before.state) {
      batch.deliveries.push(() => this.emitter.emit({ rooms: [ROOM.group(row.id)] }, 'group_state', { group_id: row.id, state, seq: row.lastSeq }));
    }
    // After everything this step delivers (a leaver still gets its `members_changed`): who may no longer read the
    // group stops receiving it at once.
    for (const m of before.members.filter((x) => !after.members.includes(x))) {
      batch.afterDeliveries.push(() => this.emitter.leave(ROOM.agent(m), [ROOM.group(row.id), ROOM.member(row.id, m)]));
    }
    if (state === 'closed' && before.state !== 'closed') {
      const rooms = [ROOM.group(row.id), ROOM.admins(row.id), ...after.members.map((m) => ROOM.member(row.id, m))];
      batch.afterDeliveries.push(() => this.emitter.leave(ROOM.group(row.id), rooms));
    }
  }

  /** Opens a group for discussion: the goal is its first system message and the coordinator holds the first turn. */
  open(live: LiveGroup, batch: Batch): void {
    const { goal, members, coordinator } = { ...live.row, ...live.context };
    this.system(live, batch, 'goal', goal, { goal, coordinator, members });
    live.row.formingDeadline = null;
    // From forming, OPEN gives the coordinator the turn; a group created open already has it, and TURN_TIMEOUT arms its deadline.
    this.send(live, batch, live.state === 'forming' ? { type: 'OPEN' } : { type: 'TURN_TIMEOUT' }, 'system');
  }

  /**
   * The end of a step, before its commit: a checkpoint if graph nodes settled or approvals began to wait in it (one,
   * of where the whole step left the group), then the machine's persisted snapshot into the group row, for the commit to store with it.
   */
  endStep(live: LiveGroup, batch: Batch): void {
    if (batch.settledGraphs.size || batch.openedApprovals.length) this.events.emit('graphsMoved', live, batch);
    this.snapshotIntoRow(live);
  }

  private snapshotIntoRow(live: LiveGroup): void {
    live.row.snapshot = live.actor.getPersistedSnapshot();
    live.row.machineVersion = SESSION_MACHINE_VERSION;
    live.row.updatedAt = this.clock.now();
  }

  /**
   * A task to its assignees still in the group and the coordinator. A graph node never dispatched goes to the
   * coordinator only: its assignees hear of it when it is dispatched, and not at all if it is skipped before.
   */
  emitTask(live: LiveGroup, task: TaskEntity): void {
    const assignees = wasDispatched(task) ? task.assignee.filter((a) => live.members.includes(a)) : [];
    const rooms = [...new Set([...assignees, live.row.coordinator])].map(ROOM.agent);
    this.emitter.emit({ rooms }, 'task', taskView(task, live.row, { role: 'admin', id: 'admin' }, live.tasks));
  }

  /** The holders are offered their turn again with a fresh deadline: what they waited for arrived (the requester's answer). */
  offerTurnAgain(live: LiveGroup, batch: Batch): void {
    const { row, context } = live;
    if (row.state !== 'discussion' || !context.holders.length) return;
    row.turnDeadline = deadlineBase(row, this.clock.now()) + turnTimeoutS(row, context.holders, context.coordinator) * 1000;
    batch.deliveries.push(() => this.emitTurn(live));
  }

  private emitTurn(live: LiveGroup): void {
    // `seq` is read when delivered, as for `group_state`: the group's last seq after the step that gave the turn.
    this.emitter.emit({ rooms: live.context.holders.map(ROOM.agent) }, 'turn', turnEvent({ row: live.row, holders: live.context.holders }));
  }

  /** Who holds the turn, to everyone following the group: observers see it move without reading the group again. */
  private emitGroupTurn(live: LiveGroup): void {
    const { row, context } = live;
    this.emitter.emit({ rooms: [ROOM.group(row.id)] }, 'group_turn', { ...turnEvent({ row, holders: context.holders }), turns_used: row.turnsUsed, max_turns: row.maxTurns });
  }

  /** A task assignment is delivered in up to three views: full, each assignee's own, and the abstracts only. */
  private deliver(live: LiveGroup, m: MessageEntity): void {
    const group = live.row;
    const full = [ROOM.admins(group.id), ROOM.member(group.id, group.coordinator)];
    if (m.type !== 'task_assignment') {
      this.emitter.emit({ rooms: [ROOM.group(group.id)] }, 'message', messageView(m, group, null));
      return;
    }
    this.emitter.emit({ rooms: full }, 'message', messageView(m, group, { role: 'admin', id: 'admin' }));
    const assignees = [...new Set((m.payload.tasks as { assignee: string[] }[]).flatMap((t) => t.assignee))].filter((a) => a !== group.coordinator);
    for (const a of assignees) {
      this.emitter.emit({ rooms: [ROOM.member(group.id, a)], except: full }, 'message', messageView(m, group, { role: 'agent', id: a }));
    }
    this.emitter.emit({ rooms: [ROOM.group(group.id)], except: [...full, ...assignees.map((a) => ROOM.member(group.id, a))] }, 'message', messageView(m, group, null));
  }

  private postResults(live: LiveGroup, batch: Batch, taskIds: string[], from: GroupState): void {
    const results = taskIds.map((id) => live.tasks.get(id)).filter((t): t is TaskEntity => !!t).map((t) => ({
      task_id: t.id, state: t.state, task_abstract: t.result?.task_abstract ?? t.abstract, reason: t.reason,
      ...(t.nodeKey ? { key: t.nodeKey, node_state: t.nodeState } : {}),
    }));
    const what = from === 'pause_and_trigger' ? 'triggers settled' : 'all assigned tasks settled';
    this.system(live, batch, 'tasks_settled', `${what}; discussion resumes`, { results });
  }

  /** A closing group cancels what is still open, so nothing waits on a group that no longer exists. */
  private onClosed(live: LiveGroup, batch: Batch, actor: string, note?: string): void {
    const now = this.clock.now();
    const graphs = openGraphs(live);
    for (const t of live.tasks.values()) {
      if (t.nodeState === 'ready') {
        // Waiting to run again, or for its next assignee: its last run's failure is where it ends.
        Object.assign(t, { nodeState: 'settled', retryAt: null });
        this.writeTask(live, batch, t);
      }
      if (isSettled(t)) continue;
      if (t.nodeState) t.nodeState = isPendingNode(t) ? 'skipped' : 'settled';
      endTask(t, 'canceled', GROUP_CLOSED, now);
      this.writeTask(live, batch, t);
    }
    announceCanceled(this, live, batch, graphs);
    if (withdrawInvites(live.row, 'group closed', now).length) batch.decisionChanged = true;
    // A closed group is no longer paused (its waiting senders get GROUP_CLOSED).
    live.row.pause = null;
    const reason = live.context.closeReason;
    this.system(live, batch, 'group_closed', `group closed: ${reason}${note ? ` (${note})` : ''}`, { reason, by: actor, ...(note ? { note } : {}) });
    // `row.closeReason` is set from the machine only after this event's effects: the goal reads the machine's.
    const change = goalProgress.closed({ ...live.row, closeReason: reason }, live.summary, now);
    if (change) batch.goals.push(change);
  }
}

/** How long a turn held by `holders` lasts: the coordinator's own, a person's, or an agent's. */
function turnTimeoutS(row: GroupEntity, holders: readonly string[], coordinator: string): number {
  if (holders.length === 1 && holders[0] === coordinator) return row.options.coordinator_timeout_s;
  return humanTurn(row, holders) ? humanTurnTimeoutS(row) : row.options.turn_timeout_s;
}
