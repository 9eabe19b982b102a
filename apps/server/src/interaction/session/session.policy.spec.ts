// @ioa/protocol's index loads class-validator DTOs, whose decorators need the Reflect polyfill before they run.
import 'reflect-metadata';
import { ErrorCode, GROUP_STATES, MESSAGE_TYPES, TASK_STATES, type GroupState, type MessageType, type TaskState } from '@ioa/protocol';
import { checkMessage, type PolicyGroup, type PolicyTask } from './session.policy';

/** `c` coordinates, `a` is the assignee of every task, `b` is a plain member, `x` is a stranger. */
const group = (state: GroupState, holders: string[] = ['c']): PolicyGroup => ({ state, coordinator: 'c', members: ['c', 'a', 'b'], holders });

const taskIn = (state: TaskState, id = `t_${state}`): PolicyTask => ({ id, assignee: ['a'], state });
const TASKS = new Map(TASK_STATES.map((s) => [`t_${s}`, taskIn(s)]));

type ClientType = Exclude<MessageType, 'system' | 'team_formation'>;

/** A payload that passes every reference check, and the sender who may legitimately send it. */
const LEGAL: Record<ClientType, { sender: string; payload: Record<string, unknown> }> = {
  discussion: { sender: 'c', payload: { content: 'hi', next_speaker: ['a', 'b'] } },
  task_assignment: { sender: 'c', payload: { mode: 'sync', tasks: [{ content: 'do', assignee: ['a'] }, { content: 'do', assignee: ['b', 'c'] }] } },
  pause_and_trigger: { sender: 'c', payload: { triggers: ['t_running', 't_submitted'] } },
  conclusion: { sender: 'c', payload: { summary: 'done' } },
  task_reply: { sender: 'a', payload: { task_id: 't_submitted', accept: true } },
  task_progress: { sender: 'a', payload: { task_id: 't_running', content: 'half' } },
  task_result: { sender: 'a', payload: { task_id: 't_running', content: 'done' } },
  task_cancel: { sender: 'c', payload: { task_id: 't_running' } },
  task_reassign: { sender: 'c', payload: { task_id: 't_running', assignee: ['b'] } },
  checkpoint: { sender: 'c', payload: {} },
  rollback: { sender: 'c', payload: { checkpoint_id: 'cp-1' } },
};
const CLIENT_TYPES = Object.keys(LEGAL) as ClientType[];
const COORDINATOR_ONLY: ClientType[] = ['task_assignment', 'task_cancel', 'task_reassign', 'pause_and_trigger', 'conclusion', 'checkpoint', 'rollback'];
const TASK_TYPES = ['task_reply', 'task_progress', 'task_result', 'task_cancel', 'task_reassign'] as const;

const check = (g: PolicyGroup, type: MessageType, sender?: string, payload?: Record<string, unknown>, tasks = TASKS) => {
  const legal = LEGAL[type as ClientType] ?? { sender: 'c', payload: {} };
  return checkMessage(g, sender ?? legal.sender, type, payload ?? legal.payload, tasks);
};
const codeOf = (...args: Parameters<typeof check>) => check(...args)?.code ?? null;

describe('session policy', () => {
  describe('membership and closure come first', () => {
    it.each(GROUP_STATES.flatMap((s) => MESSAGE_TYPES.map((t) => [t, s] as const)))('refuses %s in %s from a non-member', (type, state) => {
      expect(codeOf(group(state, ['x']), type, 'x')).toBe(ErrorCode.NOT_MEMBER);
    });

    it.each(MESSAGE_TYPES.flatMap((t) => ['c', 'a'].map((sender) => [t, sender] as const)))(
      'refuses %s from member %s once the group is closed',
      (type, sender) => {
        expect(codeOf(group('closed', [sender]), type, sender)).toBe(ErrorCode.GROUP_CLOSED);
      },
    );

    it.each(MESSAGE_TYPES.flatMap((t) => ['c', 'a'].map((sender) => [t, sender] as const)))(
      'refuses %s from member %s while an operator has the group paused',
      (type, sender) => {
        expect(codeOf({ ...group('discussion', [sender]), paused: true }, type, sender)).toBe(ErrorCode.GROUP_PAUSED);
      },
    );
  });

  describe('roles', () => {
    it('refuses system messages from anyone, the coordinator included', () => {
      expect(check(group('discussion'), 'system', 'c')).toEqual({ code: ErrorCode.FORBIDDEN, message: expect.any(String) });
    });

    it('refuses team_formation as out of the session layer', () => {
      expect(codeOf(group('discussion'), 'team_formation', 'c')).toBe(ErrorCode.ILLEGAL_IN_STATE);
    });

    it.each(COORDINATOR_ONLY.flatMap((t) => (['discussion', 'sync_task_assignment', 'conclusion', 'forming'] as const).map((s) => [t, s] as const)))(
      'refuses %s in %s from a member who is not the coordinator, before state and turn',
      (type, state) => {
        const refusal = check(group(state, ['c']), type, 'a');
        expect(refusal).toEqual({ code: ErrorCode.FORBIDDEN, message: expect.stringContaining(type) });
      },
    );

    it('refuses a non-coordinator’s task_assignment as FORBIDDEN even when the sender also lacks the turn', () => {
      expect(codeOf(group('discussion', ['c']), 'task_assignment', 'b')).toBe(ErrorCode.FORBIDDEN);
    });
  });

  describe('states', () => {
    const LEGAL_STATES: Record<ClientType, GroupState[]> = {
      discussion: ['discussion'],
      task_assignment: ['discussion'],
      pause_and_trigger: ['discussion'],
      conclusion: ['discussion', 'conclusion'],
      task_reply: ['discussion', 'sync_task_assignment', 'pause_and_trigger', 'conclusion'],
      task_progress: ['discussion', 'sync_task_assignment', 'pause_and_trigger', 'conclusion'],
      task_result: ['discussion', 'sync_task_assignment', 'pause_and_trigger', 'conclusion'],
      task_cancel: ['discussion', 'sync_task_assignment', 'pause_and_trigger', 'conclusion'],
      task_reassign: ['discussion', 'sync_task_assignment', 'pause_and_trigger'],
      checkpoint: ['discussion', 'sync_task_assignment'],
      rollback: ['discussion', 'sync_task_assignment'],
    };
    const rows = CLIENT_TYPES.flatMap((type) =>
      GROUP_STATES.filter((s) => s !== 'closed').map((s) => [type, s, LEGAL_STATES[type].includes(s) ? null : ErrorCode.ILLEGAL_IN_STATE] as const),
    );

    it.each(rows)('answers %s in %s from its legitimate sender with %s', (type, state, expected) => {
      expect(codeOf(group(state, [LEGAL[type].sender]), type)).toBe(expected);
    });

    it('refuses discussion in sync_task_assignment as ILLEGAL_IN_STATE even from a non-holder', () => {
      expect(codeOf(group('sync_task_assignment', []), 'discussion', 'a')).toBe(ErrorCode.ILLEGAL_IN_STATE);
    });

    it('checks the state before references', () => {
      expect(codeOf(group('sync_task_assignment'), 'pause_and_trigger', 'c', { triggers: ['nope'] })).toBe(ErrorCode.ILLEGAL_IN_STATE);
      expect(codeOf(group('conclusion'), 'task_reassign', 'c', { task_id: 'nope', assignee: ['x'] })).toBe(ErrorCode.ILLEGAL_IN_STATE);
    });
  });

  describe('turns', () => {
    it.each([
      ['a member without the turn', 'a', ['b'], 'b'],
      ['the coordinator without the turn', 'c', ['a', 'b'], 'a, b'],
      ['anyone when nobody holds the turn', 'c', [], 'nobody'],
    ])('refuses discussion from %s', (_who, sender, holders, named) => {
      expect(check(group('discussion', holders), 'discussion', sender)).toEqual({
        code: ErrorCode.NOT_YOUR_TURN,
        message: expect.stringContaining(named),
      });
    });

    it('accepts discussion from any one of several holders', () => {
      expect(codeOf(group('discussion', ['a', 'b']), 'discussion', 'b')).toBeNull();
    });

    it('checks the turn before next_speaker', () => {
      expect(codeOf(group('discussion', ['b']), 'discussion', 'a', { content: 'hi', next_speaker: ['x'] })).toBe(ErrorCode.NOT_YOUR_TURN);
    });

    it.each(CLIENT_TYPES.filter((t) => t !== 'discussion'))('does not ask for the turn to send %s', (type) => {
      expect(codeOf(group('discussion', ['b']), type)).toBeNull();
    });
  });

  describe('references', () => {
    it.each([
      ['discussion next_speaker', 'discussion', { content: 'hi', next_speaker: ['a', 'x', 'y'] }, 'x, y'],
      ['task_assignment assignee', 'task_assignment', { tasks: [{ assignee: ['a'] }, { assignee: ['b', 'x'] }] }, 'x'],
      ['task_reassign assignee', 'task_reassign', { task_id: 't_running', assignee: ['x'] }, 'x'],
      ['task_reassign assignee before the task', 'task_reassign', { task_id: 'nope', assignee: ['x'] }, 'x'],
    ] as const)('refuses a non-member as %s with VALIDATION', (_what, type, payload, named) => {
      expect(check(group('discussion'), type, 'c', payload)).toEqual({ code: ErrorCode.VALIDATION, message: expect.stringContaining(named) });
    });

    it("lets only the coordinator of a goal's root team ask the requester", () => {
      const ask = { content: 'which city?', next_speaker: [], ask_requester: true };
      const root = { ...group('discussion', ['c', 'a']), root: true };
      expect(codeOf(root, 'discussion', 'c', ask)).toBeNull();
      expect(codeOf(root, 'discussion', 'a', ask)).toBe(ErrorCode.FORBIDDEN);
      expect(codeOf(group('discussion'), 'discussion', 'c', ask)).toBe(ErrorCode.FORBIDDEN);
    });

    it('accepts an empty next_speaker, which means the coordinator', () => {
      expect(codeOf(group('discussion', ['a']), 'discussion', 'a', { content: 'hi', next_speaker: [] })).toBeNull();
    });

    it('refuses a trigger that is not a task of the group with NOT_FOUND', () => {
      expect(check(group('discussion'), 'pause_and_trigger', 'c', { triggers: ['t_running', 'nope'] })).toEqual({
        code: ErrorCode.NOT_FOUND,
        message: expect.stringContaining('nope'),
      });
    });

    it.each(TASK_STATES.map((s) => [s, ['completed', 'canceled', 'rejected', 'failed'].includes(s) ? ErrorCode.ILLEGAL_IN_STATE : null] as const))(
      'answers a %s trigger with %s',
      (state, expected) => {
        expect(codeOf(group('discussion'), 'pause_and_trigger', 'c', { triggers: [`t_${state}`] })).toBe(expected);
      },
    );

    it('accepts a pause with no triggers', () => {
      expect(codeOf(group('discussion'), 'pause_and_trigger', 'c', { triggers: [] })).toBeNull();
    });

    it.each(TASK_TYPES)('refuses %s about a task that is not in the group with NOT_FOUND', (type) => {
      expect(codeOf(group('discussion'), type, undefined, { ...LEGAL[type].payload, task_id: 'nope' })).toBe(ErrorCode.NOT_FOUND);
    });

    it.each((['task_reply', 'task_progress', 'task_result'] as const).flatMap((t) => ['b', 'c'].map((sender) => [t, sender] as const)))(
      'refuses %s from non-assignee %s with FORBIDDEN',
      (type, sender) => {
        expect(codeOf(group('discussion'), type, sender)).toBe(ErrorCode.FORBIDDEN);
      },
    );

    it('checks the assignee before the task state', () => {
      expect(codeOf(group('discussion'), 'task_result', 'b', { task_id: 't_completed' })).toBe(ErrorCode.FORBIDDEN);
    });

    it('accepts task_result from any one of several assignees', () => {
      const tasks = new Map([['t', { id: 't', assignee: ['a', 'b'], state: 'running' as const }]]);
      expect(codeOf(group('discussion'), 'task_result', 'b', { task_id: 't' }, tasks)).toBeNull();
    });

    const TASK_LEGAL_IN: Record<(typeof TASK_TYPES)[number], TaskState[]> = {
      task_reply: ['submitted'],
      task_progress: ['running'],
      task_result: ['submitted', 'running'],
      task_cancel: ['submitted', 'running', 'suspended'],
      task_reassign: ['submitted', 'running', 'suspended', 'rejected'],
    };
    const rows = TASK_TYPES.flatMap((type) =>
      TASK_STATES.map((s) => [type, s, TASK_LEGAL_IN[type].includes(s) ? null : ErrorCode.ILLEGAL_IN_STATE] as const),
    );

    it.each(rows)('answers %s on a %s task with %s', (type, state, expected) => {
      expect(codeOf(group('discussion'), type, undefined, { ...LEGAL[type].payload, task_id: `t_${state}` })).toBe(expected);
    });

    it('refuses task_reply on a running task, naming the task state', () => {
      expect(check(group('discussion'), 'task_reply', 'a', { task_id: 't_running', accept: true })).toEqual({
        code: ErrorCode.ILLEGAL_IN_STATE,
        message: expect.stringContaining('running'),
      });
    });
  });

  describe('task graphs', () => {
    const node = (nodeState: PolicyTask['nodeState'], state: TaskState = 'submitted'): PolicyTask => ({ id: 'n', assignee: ['a'], state, graphId: 'g-1', nodeKey: 'k', nodeState });
    const on = (type: (typeof TASK_TYPES)[number], n: PolicyTask) => check(group('discussion'), type, undefined, { ...LEGAL[type].payload, task_id: 'n' }, new Map([['n', n]]));

    it.each<[(typeof TASK_TYPES)[number], PolicyTask['nodeState'], TaskState, string | null]>([
      ['task_reply', 'pending', 'submitted', 'waits for the tasks it depends on'],
      ['task_result', 'pending', 'submitted', 'waits for the tasks it depends on'],
      ['task_progress', 'pending', 'running', 'waits for the tasks it depends on'],
      ['task_reply', 'dispatched', 'submitted', null],
      ['task_cancel', 'pending', 'submitted', null],
      ['task_reassign', 'pending', 'submitted', null],
      ['task_reassign', 'settled', 'rejected', 'is settled in its graph'],
      ['task_reassign', 'skipped', 'rejected', 'is skipped in its graph'],
      // Waiting to run again, or for its next assignee: the coordinator may end the wait, the assignee may not act.
      ['task_cancel', 'ready', 'failed', null],
      ['task_reassign', 'ready', 'rejected', null],
      ['task_result', 'ready', 'failed', 'not allowed on a failed task'],
    ])('answers %s on a %s node (task %s) with %p', (type, nodeState, state, refusal) => {
      expect(on(type, node(nodeState, state))).toEqual(refusal === null ? null : { code: ErrorCode.ILLEGAL_IN_STATE, message: expect.stringContaining(refusal) });
    });

    const graph = (message_id: string, tasks: Map<string, PolicyTask>) =>
      checkMessage(group('discussion'), 'c', 'task_assignment', { mode: 'sync', tasks: [{ key: 'a', depends_on: [], assignee: ['a'] }, { key: 'b', depends_on: ['a'], assignee: ['b'] }] }, tasks, message_id);

    it('refuses a graph whose message_id already names one of the group, and a malformed one, with VALIDATION', () => {
      const existing = new Map([['n', node('settled', 'completed')]]);
      expect(graph('g-1', existing)).toEqual({ code: ErrorCode.VALIDATION, message: 'message_id g-1 already names a task graph of this group' });
      expect(graph('g-2', existing)).toBeNull();
      const cycle = checkMessage(group('discussion'), 'c', 'task_assignment', { mode: 'sync', tasks: [{ key: 'a', depends_on: ['a'], assignee: ['a'] }] }, TASKS, 'm');
      expect(cycle).toEqual({ code: ErrorCode.VALIDATION, message: 'depends_on forms a cycle through "a"' });
    });
  });

  describe('acceptance', () => {
    it.each(CLIENT_TYPES)('accepts a legal %s', (type) => {
      expect(check(group('discussion'), type)).toBeNull();
    });

    it('accepts the coordinator’s summary in conclusion and task traffic while tasks run', () => {
      expect(codeOf(group('conclusion'), 'conclusion')).toBeNull();
      expect(codeOf(group('sync_task_assignment', []), 'task_progress')).toBeNull();
      expect(codeOf(group('pause_and_trigger', []), 'task_result')).toBeNull();
    });
  });
});
