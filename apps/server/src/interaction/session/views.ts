import { Envelope, GroupView, PROTOCOL_VERSION, SESSION_DEFAULTS, TaskView, TurnEvent } from '@ioa/protocol';
import { GroupEntity } from '../../data/groups/group.entity';
import { MessageEntity } from '../../data/groups/message.entity';
import { TaskEntity } from '../../data/tasks/task.entity';
import { iso } from '../../foundation/runtime/time';
import { Principal } from '../../foundation/security/principal';

/** Who is looking: admins and the coordinator see every task's full text; an assignee sees its own tasks'. */
export interface Viewer {
  role: Principal['role'];
  id: string;
}

export const SYSTEM = 'system';

/** The `turn` event of a group as it is now: its holders, their deadline, and the group's last seq. */
export function turnEvent(g: { row: Pick<GroupEntity, 'id' | 'turnDeadline' | 'lastSeq'>; holders: readonly string[] }): TurnEvent {
  return { group_id: g.row.id, holders: [...g.holders], deadline: iso(g.row.turnDeadline), seq: g.row.lastSeq };
}

export function seesTaskText(viewer: Viewer, group: Pick<GroupEntity, 'coordinator'>, assignee: string[]): boolean {
  const member = viewer.role === 'agent' || viewer.role === 'participant';
  return viewer.role === 'admin' || (member && (viewer.id === group.coordinator || assignee.includes(viewer.id)));
}

/** A stored message as `viewer` may see it: `task_desc` of tasks it may not read is left out (context minimisation). */
export function messageView(m: MessageEntity, group: Pick<GroupEntity, 'coordinator'>, viewer: Viewer | null): Envelope {
  let payload = m.payload;
  if (m.type === 'task_assignment') {
    const tasks = payload.tasks as { assignee: string[]; task_desc?: string }[];
    payload = {
      ...payload,
      tasks: tasks.map(({ task_desc, ...rest }) => (viewer && seesTaskText(viewer, group, rest.assignee) ? { task_desc, ...rest } : rest)),
    };
  }
  return {
    header: {
      protocol: PROTOCOL_VERSION, message_id: m.messageId, group_id: m.groupId, type: m.type, sender: m.sender,
      state: m.state, seq: m.seq, timestamp: iso(m.timestamp) as string,
    },
    payload,
    ...(m.ext ? { ext: m.ext } : {}),
  };
}

/**
 * A task as `viewer` may see it. A graph node adds its graph fields; with the group's `tasks`, a dispatched or settled
 * node also carries `inputs`, its predecessors' results, for those who see its text.
 */
export function taskView(t: TaskEntity, group: Pick<GroupEntity, 'coordinator'>, viewer: Viewer | null, tasks?: ReadonlyMap<string, TaskEntity>): TaskView {
  const seesText = !!viewer && seesTaskText(viewer, group, t.assignee);
  return {
    id: t.id, group_id: t.groupId, state: t.state, mode: t.mode, task_abstract: t.abstract,
    ...(seesText ? { task_desc: t.description } : {}),
    assignee: t.assignee, progress: t.progress, deadline: iso(t.deadline), result: t.result, reason: t.reason,
    history: t.history.map((h) => ({ at: iso(h.at) as string, state: h.state, by: h.by, ...(h.note ? { note: h.note } : {}) })),
    created_at: iso(t.createdAt) as string, updated_at: iso(t.updatedAt) as string,
    ...(t.graphId ? nodeView(t, seesText ? tasks : undefined) : {}),
  };
}

type NodeFields = 'graph_id' | 'key' | 'depends_on' | 'when' | 'policy' | 'node_state' | 'retries_left' | 'retry_at' | 'inputs' | 'kind' | 'approvers';

function nodeView(t: TaskEntity, tasks?: ReadonlyMap<string, TaskEntity>): Pick<TaskView, NodeFields> {
  const edges = t.edges ?? [];
  const when = Object.fromEntries(edges.filter((e) => e.when).map((e) => [e.key, e.when as string]));
  const view = {
    graph_id: t.graphId as string, key: t.nodeKey as string, depends_on: edges.map((e) => e.key), ...(Object.keys(when).length ? { when } : {}),
    policy: t.policy ?? 'fail', node_state: t.nodeState ?? 'pending',
    ...(t.policy === 'retry' ? { retries_left: t.retriesLeft ?? 0, retry_at: iso(t.retryAt) } : {}),
    ...(t.policy === 'reassign' ? { retries_left: t.retriesLeft ?? 0 } : {}),
    ...(t.kind === 'approval' ? { kind: t.kind, approvers: t.approvers } : {}),
  };
  if (!tasks || t.nodeState === 'pending' || t.nodeState === 'skipped') return view;
  const nodes = new Map([...tasks.values()].filter((x) => x.graphId === t.graphId).map((x) => [x.nodeKey, x]));
  const inputs = edges.flatMap((e) => {
    const from = nodes.get(e.key);
    return from ? [{ key: e.key, task_id: from.id, state: from.state, task_abstract: from.result?.task_abstract ?? null, task_conclusion: from.result?.task_conclusion ?? null }] : [];
  });
  return { ...view, inputs };
}

export type { GroupView };

export function groupView(g: GroupEntity, holders: readonly string[]): GroupView {
  return {
    id: g.id, goal: g.goal, state: g.state, coordinator: g.coordinator, members: g.members, humans: (g.humans ?? []).filter((h) => g.members.includes(h)),
    turn: { holders: [...holders], deadline: iso(g.turnDeadline) }, turns_used: g.turnsUsed, max_turns: g.maxTurns, seq: g.lastSeq,
    options: { ...g.options, human_turn_timeout_s: g.options.human_turn_timeout_s ?? SESSION_DEFAULTS.human_turn_timeout_s }, created_by: g.createdBy, close_reason: g.closeReason, conclusion_deadline: iso(g.conclusionDeadline),
    paused: g.pause ? { paused_at: iso(g.pause.at) as string, by: g.pause.by, note: g.pause.note } : null,
    created_at: iso(g.createdAt) as string, updated_at: iso(g.updatedAt) as string,
  };
}
