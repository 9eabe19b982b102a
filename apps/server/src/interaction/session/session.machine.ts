import { and, assign, emit, setup } from 'xstate';
import type { CloseReason, ProposableState } from '@ioa/protocol';

/** Bump when states, context or events change shape; persisted snapshots of another version are migrated or refused. */
export const SESSION_MACHINE_VERSION = 1;

export interface SessionContext {
  coordinator: string;
  /** In join order; the coordinator role passes along this order when a coordinator goes silent. */
  members: string[];
  /** Who may post `discussion` now; any one of them takes the turn. */
  holders: string[];
  turnsUsed: number;
  maxTurns: number;
  /** Task ids that hold `sync_task_assignment` or `pause_and_trigger` open until each is settled. */
  pending: string[];
  /** Every task id of the current assignment or pause, settled or not: whose results are posted when it ends. */
  held: string[];
  /** The last speaker's proposal of the next state, for the coordinator to act on. */
  proposal: ProposableState | null;
  closeReason: CloseReason | null;
}

export interface SessionInput {
  coordinator: string;
  members: string[];
  maxTurns: number;
  /** Start in `forming` (team formation) rather than `discussion`. */
  forming?: boolean;
}

/**
 * What the machine tells the server about a step, in the order it happened: `entered` for each state entered (states
 * passed through within one step included), and the domain events the server turns into system messages.
 */
export type SessionEmitted =
  | { type: 'entered'; state: string }
  | { type: 'coordinator_changed'; previous: string; coordinator: string }
  /** `max_turns` was reached: the coordinator owes the conclusion. */
  | { type: 'turns_exhausted'; maxTurns: number }
  /** Every task that held `sync_task_assignment` or `pause_and_trigger` has settled: their results go to the group. */
  | { type: 'tasks_settled'; from: 'sync_task_assignment' | 'pause_and_trigger'; taskIds: string[] };

export type SessionEvent =
  | { type: 'OPEN' }
  | { type: 'DISCUSS'; sender: string; nextSpeakers: string[]; nextState?: ProposableState }
  | { type: 'ASSIGN'; sender: string; mode: 'sync' | 'async'; taskIds: string[] }
  | { type: 'PAUSE'; sender: string; triggers: string[] }
  | { type: 'TASK_SETTLED'; taskId: string }
  | { type: 'CONCLUDE'; sender: string }
  | { type: 'TURN_TIMEOUT' }
  /** `skip`: members who may not coordinate (people), passed over as successors. */
  | { type: 'COORDINATOR_TIMEOUT'; skip?: string[] }
  | { type: 'CONCLUSION_TIMEOUT' }
  | { type: 'SET_MEMBERS'; members: string[] }
  /** A rollback to a checkpoint taken during a sync assignment: these tasks hold it again (`held`: all of it). */
  | { type: 'HOLD_AGAIN'; pending: string[]; held: string[] }
  | { type: 'CLOSE'; reason: CloseReason; note?: string };

const entered = (state: string) => ({ type: 'entered', params: { state } }) as const;
const tasksSettled = (from: 'sync_task_assignment' | 'pause_and_trigger') => ({ type: 'tasksSettled', params: { from } }) as const;

/** Who coordinates after a silent coordinator: the next member in join order who may coordinate (not in `skip`). */
function successor(context: SessionContext, event: SessionEvent): string {
  const skip = event.type === 'COORDINATOR_TIMEOUT' ? event.skip ?? [] : [];
  const i = context.members.indexOf(context.coordinator);
  const order = [...context.members.slice(i + 1), ...context.members.slice(0, Math.max(i, 0))];
  return order.find((m) => m !== context.coordinator && !skip.includes(m)) ?? context.coordinator;
}

/**
 * One group's session (pure: no I/O, no clocks). The server's policy function gives the precise refusal; this
 * machine is the second line of defence (`snapshot.can(event)`) and the record of where the group is.
 * Timeouts arrive as events from the server's scheduler, since delayed transitions are not restored from snapshots.
 */
export const sessionMachine = setup({
  types: { context: {} as SessionContext, events: {} as SessionEvent, input: {} as SessionInput, emitted: {} as SessionEmitted },
  guards: {
    isHolder: ({ context, event }) => 'sender' in event && context.holders.includes(event.sender),
    isCoordinator: ({ context, event }) => 'sender' in event && event.sender === context.coordinator,
    isSyncAssignment: ({ event }) => event.type === 'ASSIGN' && event.mode === 'sync',
    turnsExhausted: ({ context }) => context.turnsUsed >= context.maxTurns,
    nothingPending: ({ context }) => context.pending.length === 0,
    isPendingTask: ({ context, event }) => event.type === 'TASK_SETTLED' && context.pending.includes(event.taskId),
    hasSuccessor: ({ context, event }) => successor(context, event) !== context.coordinator,
  },
  actions: {
    entered: emit((_, params: { state: string }) => ({ type: 'entered', state: params.state }) as SessionEmitted),
    tasksSettled: emit(({ context }, params: { from: 'sync_task_assignment' | 'pause_and_trigger' }) =>
      ({ type: 'tasks_settled', from: params.from, taskIds: [...context.held] }) as SessionEmitted),
    announceTurnsExhausted: emit(({ context }) => ({ type: 'turns_exhausted', maxTurns: context.maxTurns }) as SessionEmitted),
    announceHandOver: emit(({ context, event }) => ({ type: 'coordinator_changed', previous: context.coordinator, coordinator: successor(context, event) }) as SessionEmitted),
    takeTurn: assign(({ context, event }) => {
      if (event.type !== 'DISCUSS') return {};
      return {
        turnsUsed: context.turnsUsed + 1,
        holders: event.nextSpeakers.length > 0 ? [...event.nextSpeakers] : [context.coordinator],
        proposal: event.nextState ?? null,
      };
    }),
    giveTurnToCoordinator: assign({ holders: ({ context }) => [context.coordinator] }),
    clearTurn: assign({ holders: [] }),
    holdTasks: assign(({ event }) => {
      const ids = event.type === 'ASSIGN' ? [...event.taskIds] : event.type === 'PAUSE' ? [...event.triggers] : [];
      return { pending: ids, held: [...ids] };
    }),
    settleTask: assign({
      pending: ({ context, event }) => context.pending.filter((id) => event.type !== 'TASK_SETTLED' || id !== event.taskId),
    }),
    handOverCoordinator: assign(({ context, event }) => {
      const next = successor(context, event);
      return { coordinator: next, holders: [next] };
    }),
    setMembers: assign(({ context, event }) => {
      if (event.type !== 'SET_MEMBERS') return {};
      const members = [...event.members];
      return { members, holders: context.holders.filter((h) => members.includes(h)) };
    }),
    holdAgain: assign(({ event }) => (event.type === 'HOLD_AGAIN' ? { pending: [...event.pending], held: [...event.held] } : {})),
    recordClose: assign({ closeReason: ({ event }) => (event.type === 'CLOSE' ? event.reason : null), holders: [], pending: [] }),
  },
}).createMachine({
  id: 'session',
  context: ({ input }) => ({
    coordinator: input.coordinator,
    members: input.members.includes(input.coordinator) ? [...input.members] : [input.coordinator, ...input.members],
    holders: input.forming ? [] : [input.coordinator],
    turnsUsed: 0,
    maxTurns: input.maxTurns,
    pending: [],
    held: [],
    proposal: null,
    closeReason: null,
  }),
  initial: 'init',
  on: {
    CLOSE: { target: '.closed', actions: 'recordClose' },
    SET_MEMBERS: { actions: 'setMembers' },
  },
  states: {
    init: { always: [{ guard: ({ context }) => context.holders.length === 0, target: 'forming' }, { target: 'discussion' }] },
    forming: {
      entry: entered('forming'),
      on: { OPEN: { target: 'discussion', actions: 'giveTurnToCoordinator' } },
    },
    discussion: {
      entry: entered('discussion'),
      always: { guard: 'turnsExhausted', target: 'conclusion' },
      on: {
        DISCUSS: { guard: 'isHolder', actions: 'takeTurn' },
        ASSIGN: [
          { guard: and(['isCoordinator', 'isSyncAssignment']), target: 'sync_task_assignment', actions: 'holdTasks' },
          { guard: 'isCoordinator', target: 'async_task_assignment' },
        ],
        PAUSE: { guard: 'isCoordinator', target: 'pause_and_trigger', actions: 'holdTasks' },
        CONCLUDE: { guard: 'isCoordinator', target: 'closed', actions: assign({ closeReason: 'concluded', holders: [] }) },
        TURN_TIMEOUT: { actions: 'giveTurnToCoordinator' },
        COORDINATOR_TIMEOUT: { guard: 'hasSuccessor', actions: ['announceHandOver', 'handOverCoordinator'] },
        HOLD_AGAIN: { target: 'sync_task_assignment', actions: 'holdAgain' },
      },
    },
    sync_task_assignment: {
      entry: [entered('sync_task_assignment'), 'clearTurn'],
      always: { guard: 'nothingPending', target: 'discussion', actions: [tasksSettled('sync_task_assignment'), 'giveTurnToCoordinator'] },
      on: { TASK_SETTLED: { guard: 'isPendingTask', actions: 'settleTask' }, HOLD_AGAIN: { actions: 'holdAgain' } },
    },
    // Passed through: the assignment is recorded in this state and the group returns to discussion at once.
    async_task_assignment: {
      entry: entered('async_task_assignment'),
      always: { target: 'discussion', actions: 'giveTurnToCoordinator' },
    },
    pause_and_trigger: {
      entry: [entered('pause_and_trigger'), 'clearTurn'],
      always: { guard: 'nothingPending', target: 'discussion', actions: [tasksSettled('pause_and_trigger'), 'giveTurnToCoordinator'] },
      on: { TASK_SETTLED: { guard: 'isPendingTask', actions: 'settleTask' } },
    },
    // Entered only from discussion once max_turns is reached.
    conclusion: {
      entry: [entered('conclusion'), 'announceTurnsExhausted', 'giveTurnToCoordinator'],
      on: {
        CONCLUDE: { guard: 'isCoordinator', target: 'closed', actions: assign({ closeReason: 'concluded', holders: [] }) },
        CONCLUSION_TIMEOUT: { target: 'closed', actions: assign({ closeReason: 'max_turns', holders: [] }) },
        COORDINATOR_TIMEOUT: { guard: 'hasSuccessor', actions: ['announceHandOver', 'handOverCoordinator'] },
      },
    },
    // Root-level CLOSE and SET_MEMBERS are shadowed here, so that `can()` refuses them once the group is closed.
    closed: { type: 'final', entry: entered('closed'), on: { CLOSE: {}, SET_MEMBERS: {} } },
  },
});
