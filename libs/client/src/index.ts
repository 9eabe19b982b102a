// The agent SDK of ioa: a typed socket + REST client and a runner for agents written as a few callbacks.
export { IoAClient } from './client';
export type { ClientEventMap, ConnectOptions } from './client';
export type { SendOptions } from './senders';
export type { SocketTuning } from './connection';
export { RestClient } from './rest';
export type { RestOptions } from './rest';
export { IoAError, isIoAError } from './errors';
export { ErrorCode } from '@ioa/protocol';
export { agentIdOf } from './credentials';
export { runAgent } from './agent';
export type { Agent, AgentRun, InviteDecision, RunOptions, TaskContext, TaskReporter, TeamFormed, TurnContext } from './agent';
export type {
  AgentCard, AgentCardPatch, Credentials, GoalView, GroupView, MessagesPage, OutgoingMessage, PayloadOf, Registration, SessionMessageType,
  TaskOutcome, TaskSpec, TaskView,
} from './types';
export * from './wrappers';
