import { ErrorCode, graphProblem, GraphSpec, isGraph, GroupState, MessageType, NodeKind, NodeState, SETTLED_TASK_STATES, TaskState } from '@ioa/protocol';

import { PAUSED } from './group-errors';

export interface PolicyGroup {
  state: GroupState;
  coordinator: string;
  members: string[];
  holders: string[];
  /** An operator paused the group: members' messages wait for its resume. */
  paused?: boolean;
  /** The root team of a goal: its coordinator may ask the goal's requester (`ask_requester`). */
  root?: boolean;
}

export interface PolicyTask {
  id: string;
  assignee: string[];
  state: TaskState;
  /** Set on a node of a task graph. */
  graphId?: string | null;
  nodeKey?: string | null;
  nodeState?: NodeState | null;
  /** `approval`: people decide it (`POST /v1/approvals/:id`), not agents. */
  kind?: NodeKind | null;
}

export interface Refusal {
  code: ErrorCode;
  message: string;
}

const COORDINATOR_ONLY: ReadonlySet<MessageType> = new Set(['task_assignment', 'task_cancel', 'task_reassign', 'pause_and_trigger', 'conclusion', 'checkpoint', 'rollback']);
const TASK_MESSAGES: ReadonlySet<MessageType> = new Set(['task_reply', 'task_progress', 'task_result', 'task_cancel', 'task_reassign']);

/** States in which each message type is legal. */
const LEGAL_IN: Record<Exclude<MessageType, 'system' | 'team_formation'>, readonly GroupState[]> = {
  discussion: ['discussion'],
  task_assignment: ['discussion'],
  pause_and_trigger: ['discussion'],
  conclusion: ['discussion', 'conclusion'],
  task_reply: ['discussion', 'sync_task_assignment', 'pause_and_trigger', 'conclusion'],
  task_progress: ['discussion', 'sync_task_assignment', 'pause_and_trigger', 'conclusion'],
  task_result: ['discussion', 'sync_task_assignment', 'pause_and_trigger', 'conclusion'],
  task_cancel: ['discussion', 'sync_task_assignment', 'pause_and_trigger', 'conclusion'],
  task_reassign: ['discussion', 'sync_task_assignment', 'pause_and_trigger'],
  // Where a rollback may return to.
  checkpoint: ['discussion', 'sync_task_assignment'],
  rollback: ['discussion', 'sync_task_assignment'],
};

/** Task states in which each task message is legal. */
const TASK_LEGAL_IN: Partial<Record<MessageType, readonly TaskState[]>> = {
  task_reply: ['submitted'],
  task_progress: ['running'],
  task_result: ['submitted', 'running'],
  task_cancel: ['submitted', 'running', 'suspended'],
  task_reassign: ['submitted', 'running', 'suspended', 'rejected'],
};

const refuse = (code: ErrorCode, message: string): Refusal => ({ code, message });

/**
 * Who may send what, and the precise reason when not. Checks run in a fixed order (membership → closed → role →
 * state → turn → references) so that answers are predictable; the session machine is the second line of defence.
 * `payload` has already passed its DTO.
 */
export function checkMessage(
  group: PolicyGroup,
  sender: string,
  type: MessageType,
  payload: object,
  tasks: ReadonlyMap<string, PolicyTask>,
  messageId?: string,
): Refusal | null {
  if (!group.members.includes(sender)) return refuse(ErrorCode.NOT_MEMBER, 'you are not a member of this group');
  if (group.state === 'closed') return refuse(ErrorCode.GROUP_CLOSED, 'the group is closed');
  if (group.paused) return refuse(ErrorCode.GROUP_PAUSED, PAUSED);
  if (type === 'system') return refuse(ErrorCode.FORBIDDEN, 'system messages are written by the server');
  if (type === 'team_formation') return refuse(ErrorCode.ILLEGAL_IN_STATE, 'team_formation is not handled by the session layer');
  if (COORDINATOR_ONLY.has(type) && sender !== group.coordinator) {
    return refuse(ErrorCode.FORBIDDEN, `only the coordinator may send ${type}`);
  }
  if (!LEGAL_IN[type].includes(group.state)) return refuse(ErrorCode.ILLEGAL_IN_STATE, `${type} is not allowed in state ${group.state}`);
  if (type === 'discussion' && !group.holders.includes(sender)) {
    return refuse(ErrorCode.NOT_YOUR_TURN, `the turn is held by ${group.holders.join(', ') || 'nobody'}`);
  }
  // The payload has passed its type's DTO; the reference checks read its fields by name.
  return checkReferences(group, sender, type, payload as Record<string, unknown>, tasks, messageId);
}

function checkReferences(
  group: PolicyGroup,
  sender: string,
  type: MessageType,
  payload: Record<string, unknown>,
  tasks: ReadonlyMap<string, PolicyTask>,
  messageId?: string,
): Refusal | null {
  const notMembers = (ids: string[]) => ids.filter((id) => !group.members.includes(id));
  if (type === 'discussion') {
    if (payload.ask_requester && (sender !== group.coordinator || !group.root)) return refuse(ErrorCode.FORBIDDEN, "only the coordinator of a goal's root team asks its requester");
    return outsiders('next_speaker', notMembers(payload.next_speaker as string[]));
  }
  if (type === 'task_assignment') {
    const specs = payload.tasks as GraphSpec[];
    const problem = graphProblem(specs);
    // A graph is named by its assignment's message_id, unique per sender only: a new coordinator might reuse one.
    const clash = isGraph(specs) && [...tasks.values()].some((t) => t.graphId === messageId);
    return outsiders('assignee', notMembers(specs.flatMap((t) => t.assignee ?? [])))
      ?? (problem ? refuse(ErrorCode.VALIDATION, problem) : null)
      ?? (clash ? refuse(ErrorCode.VALIDATION, `message_id ${messageId} already names a task graph of this group`) : null);
  }
  if (type === 'task_reassign') {
    const bad = outsiders('assignee', notMembers(payload.assignee as string[]));
    if (bad) return bad;
  }
  if (type === 'pause_and_trigger') {
    for (const id of payload.triggers as string[]) {
      const task = tasks.get(id);
      if (!task) return refuse(ErrorCode.NOT_FOUND, `task ${id} is not a task of this group`);
      if (SETTLED_TASK_STATES.includes(task.state)) return refuse(ErrorCode.ILLEGAL_IN_STATE, `task ${id} is already ${task.state}`);
    }
    return null;
  }
  if (!TASK_MESSAGES.has(type)) return null;
  const task = tasks.get(payload.task_id as string);
  if (!task) return refuse(ErrorCode.NOT_FOUND, `task ${String(payload.task_id)} is not a task of this group`);
  const byAssignee = type === 'task_reply' || type === 'task_progress' || type === 'task_result';
  if (task.kind === 'approval' && (byAssignee || type === 'task_reassign')) {
    return refuse(ErrorCode.FORBIDDEN, `task ${task.id} is an approval: people decide it (POST /v1/approvals/${task.id}); the coordinator may only cancel it`);
  }
  if (byAssignee && !task.assignee.includes(sender)) return refuse(ErrorCode.FORBIDDEN, `you are not an assignee of task ${task.id}`);
  // A node waiting to run again or for its next assignee keeps its failed task; the coordinator may still end the wait.
  const waitingNode = task.nodeState === 'ready' && (type === 'task_cancel' || type === 'task_reassign');
  if (!waitingNode && !TASK_LEGAL_IN[type]?.includes(task.state)) return refuse(ErrorCode.ILLEGAL_IN_STATE, `${type} is not allowed on a ${task.state} task`);
  return checkNode(type, task);
}

/** A graph node waiting for its predecessors is not the assignees' yet; one its graph settled or skipped is done. */
function checkNode(type: MessageType, task: PolicyTask): Refusal | null {
  const node = `task ${task.id} (node "${task.nodeKey}")`;
  if (task.nodeState === 'pending' && (type === 'task_reply' || type === 'task_progress' || type === 'task_result')) {
    return refuse(ErrorCode.ILLEGAL_IN_STATE, `${node} waits for the tasks it depends on`);
  }
  if ((task.nodeState === 'settled' || task.nodeState === 'skipped') && type === 'task_reassign') {
    return refuse(ErrorCode.ILLEGAL_IN_STATE, `${node} is ${task.nodeState} in its graph`);
  }
  return null;
}

function outsiders(field: string, ids: string[]): Refusal | null {
  return ids.length ? refuse(ErrorCode.VALIDATION, `${field} ${ids.join(', ')} is not a member of this group`) : null;
}
