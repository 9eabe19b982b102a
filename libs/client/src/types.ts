import type { AgentView, Envelope, GroupState, PAYLOAD_CLASSES, RegisterAgentDto, TaskView, UpdateAgentDto } from '@ioa/protocol';

/** The card an agent registers with (name, description, capabilities, …), as `POST /v1/agents` takes it. */
export type AgentCard = RegisterAgentDto;
/** A partial card for `PATCH /v1/agents/:id`. */
export type AgentCardPatch = UpdateAgentDto;

/** What a client needs to connect again later; persist it (`onCredentials`), since a refresh token works once. */
export interface Credentials {
  agent_id: string;
  token: string;
  refresh_token: string;
  expires_at?: string;
}

/** `POST /v1/agents` answer. */
export interface Registration {
  agent: AgentView;
  token: string;
  refresh_token: string;
  expires_at: string;
}

// The server's group and goal views are not in libs/protocol yet; these mirror apps/server (views.ts, goals.service.ts).
/** A group as `GET /v1/groups/:id` returns it. */
export interface GroupView {
  id: string;
  goal: string;
  state: GroupState;
  coordinator: string;
  members: string[];
  turn: { holders: string[]; deadline: string | null };
  turns_used: number;
  max_turns: number;
  seq: number;
  options: { turn_timeout_s: number; coordinator_timeout_s: number; conclusion_wait_s: number };
  created_by: string;
  close_reason: string | null;
  conclusion_deadline: string | null;
  created_at: string;
  updated_at: string;
}

/** A goal as `POST /v1/goals` and `GET /v1/goals/:id` return it (the latter adds `tree`). */
export interface GoalView {
  id: string;
  goal: string;
  status: 'pending' | 'running' | 'completed' | 'failed' | 'canceled';
  coordinator: string;
  coordinator_choice: Record<string, unknown>;
  max_turns: number;
  team_up_depth: number;
  root_group_id: string | null;
  result: string | null;
  reason: string | null;
  created_by: string;
  created_at: string;
  updated_at: string;
  tree?: unknown[];
}

/** A page of `GET /v1/groups/:id/messages`; `next_after_seq` is null on the last page. */
export interface MessagesPage {
  items: Envelope[];
  next_after_seq: number | null;
}

/** Message types a group member sends (`team_formation` has its own sender, `formTeam`). */
export type SessionMessageType = keyof typeof PAYLOAD_CLASSES;
/** The payload shape of a session message type, from the protocol's DTO classes. */
export type PayloadOf<T extends SessionMessageType> = InstanceType<(typeof PAYLOAD_CLASSES)[T]>;
/** One message to send into a group: a type and its payload. */
export type OutgoingMessage = { [T in SessionMessageType]: { type: T; payload: PayloadOf<T> } }[SessionMessageType];

export type TaskSpec = PayloadOf<'task_assignment'>['tasks'][number];
export type TaskOutcome = Omit<PayloadOf<'task_result'>, 'task_id'>;
export type { TaskView };
