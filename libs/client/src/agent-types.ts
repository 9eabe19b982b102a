// What an agent written for `runAgent` implements and is given: its callbacks, their contexts, the run.
import type { Envelope, GoalEvent, GroupState, InviteEvent, TaskView, TeamFormationAck, TeamFormationPayload } from '@ioa/protocol';
import type { IoAClient } from './client';
import type { AgentCard, GroupView, OutgoingMessage, TaskOutcome } from './types';

/** What an agent knows when it holds the turn in a group. */
export interface TurnContext {
  client: IoAClient;
  /** This agent's id. */
  me: string;
  /** The group as the server reported it when the turn was taken up. */
  group: GroupView;
  goal: string;
  state: GroupState;
  isCoordinator: boolean;
  members: string[];
  /** Who may speak now (this agent among them). */
  holders: string[];
  /** The group's most recent messages in this agent's view, oldest first (at most `historyLimit`). */
  messages: Envelope[];
  /** Every task of the group, `task_desc` where this agent may read it. */
  tasks: TaskView[];
  /** The tasks assigned to this agent. */
  myTasks: TaskView[];
}

/** `true`/`false`, or an answer with a reason the inviter can read. */
export type InviteDecision = boolean | { accept: boolean; reason?: string };

/** Given to `onTask` to report progress while it works. */
export interface TaskReporter {
  /** Reports progress (0 to 1) with a short note. */
  progress(progress: number, note?: string): Promise<void>;
}

/** What `onTask` gets besides the task: progress reports, the client, and the task's group. */
export interface TaskContext extends TaskReporter {
  client: IoAClient;
  /** This agent's id. */
  me: string;
  /** The task's group as the server reports it at the moment of the call (goal, state, members, coordinator). */
  group(): Promise<GroupView>;
}

/** The server accepted the team an `onGoal` asked for. */
export interface TeamFormed {
  goal: GoalEvent;
  /** The `team_formation` payload as sent (`goal_id` filled in from the goal). */
  team: TeamFormationPayload;
  /** The ack: the new group's id (it opens once the invitees answered) and the candidates invited per need. */
  ack: TeamFormationAck;
}

type Maybe<T> = T | Promise<T>;

/**
 * The shape of an agent for `runAgent`: a card and a few callbacks. Only `onTurn` is required.
 */
export interface Agent {
  /**
   * The card it registers with (used for enrolment; `accepting_invites: false` declines invites by default). Its
   * `coordinates` follows `onGoal`: `runAgent` declares the agent a coordinator exactly when it has `onGoal` (unless
   * the card says `coordinates: false`).
   */
  card: AgentCard;
  /** Whether to join a group it is invited into (forming or open). Default: accept, unless the card says `accepting_invites: false`. */
  onInvite?(invite: InviteEvent): Maybe<InviteDecision>;
  /** Called when a `turn` event names this agent; returns the message to send, or null to stay silent. */
  onTurn(ctx: TurnContext): Maybe<OutgoingMessage | null>;
  /**
   * Does a task assigned to this agent; `ctx` reports progress and reaches the client and the group. Without it,
   * tasks are rejected. A throw settles the task as failed.
   */
  onTask?(task: TaskView, ctx: TaskContext): Maybe<TaskOutcome>;
  /** This agent was chosen to coordinate a goal: returns the team to form (sent as `team_formation`), or null. */
  onGoal?(goal: GoalEvent): Maybe<TeamFormationPayload | null>;
  /**
   * The team `onGoal` returned was accepted: `formed.ack.group_id` is the new group. A refused formation goes to
   * `RunOptions.onError` (event `goal`) instead.
   */
  onTeamFormed?(formed: TeamFormed): Maybe<void>;
}

export interface RunOptions {
  /** Messages kept per group for `TurnContext.messages` (default 50). */
  historyLimit?: number;
  /** Failures of callbacks and sends (none once `stop()` was called); default: `console.error`. */
  onError?(error: unknown, where: { event: string; group_id?: string; task_id?: string }): void;
  /** An event this agent has no callback for (a goal without `onGoal`, a task without `onTask`); default: `console.warn`. */
  onWarning?(message: string): void;
}

export interface AgentRun {
  /** Groups this agent has joined (subscribed to). */
  readonly groups: ReadonlySet<string>;
  /**
   * Settles once the agent's card on the server says whether it coordinates (`coordinates`, from `onGoal`), so that
   * a goal submitted after it can choose this agent.
   */
  readonly ready: Promise<void>;
  /** Stops reacting to events; the client stays open. */
  stop(): void;
}
