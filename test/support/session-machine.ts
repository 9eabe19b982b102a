/** Shorthands for the session machine's unit tests: its events, and actors driven to a state. */
import { createActor, type Actor, type InspectionEvent, type SnapshotFrom } from 'xstate';
import type { CloseReason, GroupState, ProposableState } from '@ioa/protocol';
import { sessionMachine, type SessionEvent, type SessionInput } from '../../apps/server/src/interaction/session/session.machine';

export type SessionActor = Actor<typeof sessionMachine>;
export type SessionSnapshot = SnapshotFrom<typeof sessionMachine>;

export const start = (input: Partial<SessionInput> = {}, inspect?: (e: InspectionEvent) => void): SessionActor =>
  createActor(sessionMachine, { input: { coordinator: 'c', members: ['c', 'a', 'b'], maxTurns: 10, ...input }, inspect }).start();

export const discuss = (sender: string, nextSpeakers: string[] = [], nextState?: ProposableState): SessionEvent => ({
  type: 'DISCUSS',
  sender,
  nextSpeakers,
  nextState,
});
export const assign = (sender: string, mode: 'sync' | 'async', taskIds: string[]): SessionEvent => ({ type: 'ASSIGN', sender, mode, taskIds });
export const pause = (sender: string, triggers: string[]): SessionEvent => ({ type: 'PAUSE', sender, triggers });
export const settle = (taskId: string): SessionEvent => ({ type: 'TASK_SETTLED', taskId });
export const conclude = (sender: string): SessionEvent => ({ type: 'CONCLUDE', sender });
export const close = (reason: CloseReason): SessionEvent => ({ type: 'CLOSE', reason });

/** The part of a snapshot that must survive persistence and that refused events must leave alone. */
export const state = (s: SessionSnapshot) => ({ value: s.value, status: s.status, context: s.context });

/** An actor resting in `target`, driven there through ordinary events; sync and pause hold t1 and t2 open. */
export function actorIn(target: GroupState): SessionActor {
  const drive: Record<GroupState, () => SessionActor> = {
    forming: () => start({ forming: true }),
    discussion: () => start(),
    sync_task_assignment: () => send(start(), assign('c', 'sync', ['t1', 't2'])),
    async_task_assignment: () => {
      throw new Error('async_task_assignment is passed through, never rested in');
    },
    pause_and_trigger: () => send(start(), pause('c', ['t1', 't2'])),
    conclusion: () => send(start({ maxTurns: 1 }), discuss('c')),
    closed: () => send(start(), close('canceled')),
  };
  const actor = drive[target]();
  expect(actor.getSnapshot().value).toBe(target);
  return actor;
}

export function send(actor: SessionActor, ...events: SessionEvent[]): SessionActor {
  events.forEach((e) => actor.send(e));
  return actor;
}
