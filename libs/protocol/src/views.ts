import type { EnvelopeView } from './envelope.dto';
import type { Page } from './agents.dto';
import type { GroupState } from './session';
import type { TaskView } from './events';

// Response shapes are classes (not interfaces) so that the OpenAPI document describes them: the Nest swagger plugin
// reads their fields at build time (nest-cli.json). They carry no decorators, so clients import them as types.

/** A group as `GET /v1/groups/:id` returns it. */
export class GroupView {
  id: string;
  goal: string;
  state: GroupState;
  coordinator: string;
  members: string[];
  /** The members who are people (`POST /v1/people`), every other member being an agent. Added within `ioa/1`. */
  humans: string[];
  turn: { holders: string[]; deadline: string | null };
  turns_used: number;
  max_turns: number;
  seq: number;
  options: { turn_timeout_s: number; coordinator_timeout_s: number; conclusion_wait_s: number; human_turn_timeout_s: number };
  created_by: string;
  close_reason: string | null;
  conclusion_deadline: string | null;
  /** Set while an operator has the group paused: every deadline frozen, members' messages refused (`GROUP_PAUSED`). */
  paused: GroupPauseView | null;
  created_at: string;
  updated_at: string;
}

/** Who paused a group, when, and why. */
export class GroupPauseView {
  paused_at: string;
  by: string;
  note: string | null;
}

/** The `group_pause` event: a group was paused or resumed by an operator. Added within `ioa/1`. */
export class GroupPauseEvent {
  group_id: string;
  paused: boolean;
  by: string;
  note: string | null;
  seq: number;
}

export const GOAL_STATUSES = ['pending', 'running', 'completed', 'failed', 'canceled'] as const;
export type GoalStatus = (typeof GOAL_STATUSES)[number];

/** A goal as `POST /v1/goals` and `GET /v1/goals/:id` return it (the latter adds `tree`). */
export class GoalView {
  id: string;
  goal: string;
  status: GoalStatus;
  coordinator: string;
  coordinator_choice: Record<string, unknown>;
  max_turns: number;
  team_up_depth: number;
  root_group_id: string | null;
  result: string | null;
  reason: string | null;
  /** While `pending`: when the coordinator's time to form the root team ends. */
  accept_deadline: string | null;
  accept_timeout_s: number;
  /** Each time the goal passed from a coordinator that did not form its team in time to the next one. */
  handovers: GoalHandover[];
  created_by: string;
  created_at: string;
  updated_at: string;
  /** `GET /v1/goals/:id` only: the goal's team tree. */
  tree?: TreeNode[];
}

export class GoalHandover {
  from: string;
  to: string;
  at: string;
  reason: string;
}

/** `GET /v1/groups`: a page of the groups the caller may read, newest first. */
export class GroupPage implements Page<GroupView> {
  items: GroupView[];
  total: number;
  limit: number;
  offset: number;
}

/** `GET /v1/goals`: a page of the goals the caller may read, newest first. */
export class GoalPage implements Page<GoalView> {
  items: GoalView[];
  total: number;
  limit: number;
  offset: number;
}

/** A page of `GET /v1/groups/:id/messages`; `next_after_seq` is null on the last page. */
export class MessagesPage {
  items: EnvelopeView[];
  next_after_seq: number | null;
}

/** A group in a goal's team tree (`GET /v1/goals/:id`, `GET /v1/teams/:id/tree`), with its sub-teams as children. */
export class TreeNode {
  group_id: string;
  goal: string;
  state: GroupState;
  level: number;
  team_up_depth: number;
  coordinator: string;
  members: string[];
  parent_task_id: string | null;
  close_reason: string | null;
  tasks: TaskView[];
  children: TreeNode[];
}

/** A past collaborator of an agent (`GET /v1/agents/:id/contacts`). */
export class ContactView {
  agent_id: string;
  groups: number;
  completed_tasks: number;
  failed_tasks: number;
  last_goal: string;
  last_at: string;
}

/** An audit log entry (`GET /v1/audit`). */
export class AuditView {
  id: number;
  at: string;
  actor: string;
  action: string;
  group_id: string | null;
  detail: Record<string, unknown>;
}

/** `GET /v1/groups/:id/graphs/:message_id`: a task graph, named by its assignment's message_id. */
export class GraphView {
  graph_id: string;
  group_id: string;
  mode: 'sync' | 'async';
  /** `running` until every node is settled or skipped; `canceled` if the group closed first. */
  outcome: 'running' | 'completed' | 'failed' | 'canceled';
  /** Each node's task, as the reader may see it (with `key`, `node_state`, `inputs`). */
  nodes: TaskView[];
  edges: GraphEdgeView[];
}

/** An edge of a task graph: `to` waits for `from`, on `when` if given. */
export class GraphEdgeView {
  from: string;
  to: string;
  when?: string;
}
