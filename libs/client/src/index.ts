// The agent SDK of ioa: a typed socket + REST client and a runner for agents written as a few callbacks.
export { IoAClient } from './client';
export type { ClientEventMap, ConnectOptions } from './client';
export type { SendOptions } from './senders';
export type { SocketTuning } from './connection';
export { RestClient } from './rest';
export type { RestOptions } from './rest';
export { ConnectionFailed, IoAError, isIoAError } from './errors';
export { ErrorCode } from '@ioa/protocol';
export { agentIdOf } from './credentials';
export { runAgent } from './agent';
export { TaskGraph } from './task-graph';
export type { After, GraphOptions } from './task-graph';
export type { Agent, AgentRun, InviteDecision, RunOptions, TaskContext, TaskReporter, TeamFormed, TurnContext } from './agent';
export type {
  AgentCard, AgentCardPatch, Credentials, Envelope, GoalEvent, GoalView, GroupState, GroupView, InviteEvent, MessageAck, MessagesPage,
  OutgoingMessage, PayloadOf, Registration, SessionMessageType, SubscribeAck, TaskOutcome, TaskSpec, TaskView, TeamFormationAck,
  TeamFormationPayload, TurnEvent,
} from './types';
export * from './wrappers';
export { GoalWatcher } from './watch/goal-watcher';
export { bar } from './watch/message-lines';
export type { GoalWatcherOptions } from './watch/goal-watcher';
export { clip, Timeline } from './watch/timeline';
