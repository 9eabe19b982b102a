"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.sessionMachine = exports.SESSION_MACHINE_VERSION = void 0;
const xstate_1 = require("xstate");
/** Bump when states, context or events change shape; persisted snapshots of another version are migrated or refused. */
exports.SESSION_MACHINE_VERSION = 1;
const entered = (state) => ({ type: 'entered', params: { state } });
/**
 * One group's session (pure: no I/O, no clocks). The server's policy function gives the precise refusal; this
 * machine is the second line of defence (`snapshot.can(event)`) and the record of where the group is.
 * Timeouts arrive as events from the server's scheduler, since delayed transitions are not restored from snapshots.
 */
exports.sessionMachine = (0, xstate_1.setup)({
    types: { context: {}, events: {}, input: {}, emitted: {} },
    guards: {
        isHolder: ({ context, event }) => 'sender' in event && context.holders.includes(event.sender),
        isCoordinator: ({ context, event }) => 'sender' in event && event.sender === context.coordinator,
        isSyncAssignment: ({ event }) => event.type === 'ASSIGN' && event.mode === 'sync',
        turnsExhausted: ({ context }) => context.turnsUsed >= context.maxTurns,
        nothingPending: ({ context }) => context.pending.length === 0,
        isPendingTask: ({ context, event }) => event.type === 'TASK_SETTLED' && context.pending.includes(event.taskId),
        hasSuccessor: ({ context }) => context.members.some((m) => m !== context.coordinator),
    },
    actions: {
        entered: (0, xstate_1.emit)((_, params) => ({ type: 'entered', state: params.state })),
        takeTurn: (0, xstate_1.assign)(({ context, event }) => {
            if (event.type !== 'DISCUSS')
                return {};
            return {
                turnsUsed: context.turnsUsed + 1,
                holders: event.nextSpeakers.length > 0 ? [...event.nextSpeakers] : [context.coordinator],
                proposal: event.nextState ?? null,
            };
        }),
        giveTurnToCoordinator: (0, xstate_1.assign)({ holders: ({ context }) => [context.coordinator] }),
        clearTurn: (0, xstate_1.assign)({ holders: [] }),
        holdTasks: (0, xstate_1.assign)(({ event }) => {
            const ids = event.type === 'ASSIGN' ? [...event.taskIds] : event.type === 'PAUSE' ? [...event.triggers] : [];
            return { pending: ids, held: [...ids] };
        }),
        settleTask: (0, xstate_1.assign)({
            pending: ({ context, event }) => context.pending.filter((id) => event.type !== 'TASK_SETTLED' || id !== event.taskId),
        }),
        handOverCoordinator: (0, xstate_1.assign)(({ context }) => {
            const i = context.members.indexOf(context.coordinator);
            const order = [...context.members.slice(i + 1), ...context.members.slice(0, Math.max(i, 0))];
            const next = order.find((m) => m !== context.coordinator) ?? context.coordinator;
            return { coordinator: next, holders: [next] };
        }),
        setMembers: (0, xstate_1.assign)(({ context, event }) => {
            if (event.type !== 'SET_MEMBERS')
                return {};
            const members = [...event.members];
            return { members, holders: context.holders.filter((h) => members.includes(h)) };
        }),
        recordClose: (0, xstate_1.assign)({ closeReason: ({ event }) => (event.type === 'CLOSE' ? event.reason : null), holders: [], pending: [] }),
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
                    { guard: (0, xstate_1.and)(['isCoordinator', 'isSyncAssignment']), target: 'sync_task_assignment', actions: 'holdTasks' },
                    { guard: 'isCoordinator', target: 'async_task_assignment' },
                ],
                PAUSE: { guard: 'isCoordinator', target: 'pause_and_trigger', actions: 'holdTasks' },
                CONCLUDE: { guard: 'isCoordinator', target: 'closed', actions: (0, xstate_1.assign)({ closeReason: 'concluded', holders: [] }) },
                TURN_TIMEOUT: { actions: 'giveTurnToCoordinator' },
                COORDINATOR_TIMEOUT: { guard: 'hasSuccessor', actions: 'handOverCoordinator' },
            },
        },
        sync_task_assignment: {
            entry: [entered('sync_task_assignment'), 'clearTurn'],
            always: { guard: 'nothingPending', target: 'discussion', actions: 'giveTurnToCoordinator' },
            on: { TASK_SETTLED: { guard: 'isPendingTask', actions: 'settleTask' } },
        },
        // Passed through: the assignment is recorded in this state and the group returns to discussion at once.
        async_task_assignment: {
            entry: entered('async_task_assignment'),
            always: { target: 'discussion', actions: 'giveTurnToCoordinator' },
        },
        pause_and_trigger: {
            entry: [entered('pause_and_trigger'), 'clearTurn'],
            always: { guard: 'nothingPending', target: 'discussion', actions: 'giveTurnToCoordinator' },
            on: { TASK_SETTLED: { guard: 'isPendingTask', actions: 'settleTask' } },
        },
        conclusion: {
            entry: [entered('conclusion'), 'giveTurnToCoordinator'],
            on: {
                CONCLUDE: { guard: 'isCoordinator', target: 'closed', actions: (0, xstate_1.assign)({ closeReason: 'concluded', holders: [] }) },
                CONCLUSION_TIMEOUT: { target: 'closed', actions: (0, xstate_1.assign)({ closeReason: 'max_turns', holders: [] }) },
                COORDINATOR_TIMEOUT: { guard: 'hasSuccessor', actions: 'handOverCoordinator' },
            },
        },
        // Root-level CLOSE and SET_MEMBERS are shadowed here, so that `can()` refuses them once the group is closed.
        closed: { type: 'final', entry: entered('closed'), on: { CLOSE: {}, SET_MEMBERS: {} } },
    },
});
//# sourceMappingURL=session.machine.js.map