import { type SessionEvent } from './session.machine';
import { start, discuss, assign, pause, settle, conclude, state, actorIn, send, type SessionActor, type SessionSnapshot } from '../../../../../test/support/session-machine';

describe('session machine', () => {
  describe('a rollback holding a sync assignment again', () => {
    const holdAgain = (pending: string[], held: string[]): SessionEvent => ({ type: 'HOLD_AGAIN', pending, held });

    it('returns from discussion into sync_task_assignment until the restored tasks settle, then posts all of them', () => {
      const actor = send(start(), holdAgain(['t2'], ['t1', 't2']));
      expect(state(actor.getSnapshot())).toMatchObject({ value: 'sync_task_assignment', context: { pending: ['t2'], held: ['t1', 't2'], holders: [] } });
      const emitted: unknown[] = [];
      actor.on('*', (e) => emitted.push(e));
      send(actor, settle('t2'));
      expect(actor.getSnapshot().value).toBe('discussion');
      expect(emitted).toContainEqual({ type: 'tasks_settled', from: 'sync_task_assignment', taskIds: ['t1', 't2'] });
    });

    it('replaces what a sync assignment waits for, and is refused where a rollback may not start', () => {
      expect(send(actorIn('sync_task_assignment'), holdAgain(['t1'], ['t1'])).getSnapshot().context.pending).toEqual(['t1']);
      for (const target of ['pause_and_trigger', 'conclusion', 'closed'] as const) expect(actorIn(target).getSnapshot().can(holdAgain(['t1'], ['t1']))).toBe(false);
    });
  });

  describe('opening', () => {
    it('opens in discussion with the coordinator holding the first turn', () => {
      const { value, context } = start().getSnapshot();
      expect(value).toBe('discussion');
      expect(context).toMatchObject({ coordinator: 'c', holders: ['c'], turnsUsed: 0, pending: [], proposal: null, closeReason: null });
    });

    it('puts a coordinator missing from the members first in join order', () => {
      expect(start({ members: ['a', 'b'] }).getSnapshot().context.members).toEqual(['c', 'a', 'b']);
    });

    it('waits in forming with nobody holding the turn until OPEN gives it to the coordinator', () => {
      const actor = start({ forming: true });
      expect(state(actor.getSnapshot())).toMatchObject({ value: 'forming', context: { holders: [] } });
      send(actor, { type: 'OPEN' });
      expect(state(actor.getSnapshot())).toMatchObject({ value: 'discussion', context: { holders: ['c'], turnsUsed: 0 } });
    });
  });

  describe('turns in discussion', () => {
    it('lets a holder speak, counts the turn and passes it to the named next speakers', () => {
      const actor = send(start(), discuss('c', ['a', 'b'], 'sync_task_assignment'));
      expect(actor.getSnapshot().context).toMatchObject({ holders: ['a', 'b'], turnsUsed: 1, proposal: 'sync_task_assignment' });
    });

    it('gives the turn to the coordinator when no next speaker is named, and forgets an old proposal', () => {
      const actor = send(start(), discuss('c', ['a'], 'conclusion'), discuss('a'));
      expect(actor.getSnapshot().context).toMatchObject({ holders: ['c'], turnsUsed: 2, proposal: null });
    });

    it('lets any one of several next speakers take the turn, after which the others no longer hold it', () => {
      const actor = send(start(), discuss('c', ['a', 'b']));
      expect(actor.getSnapshot().can(discuss('a'))).toBe(true);
      send(actor, discuss('b', ['a']));
      expect(actor.getSnapshot().context.holders).toEqual(['a']);
      expect(actor.getSnapshot().can(discuss('b'))).toBe(false);
    });

    it.each([
      ['a member without the turn', 'a'],
      ['the coordinator without the turn', 'c'],
      ['a stranger', 'x'],
    ])('refuses discussion from %s', (_who, sender) => {
      const actor = send(start(), discuss('c', ['b']));
      const before = state(actor.getSnapshot());
      expect(before.context.holders).toEqual(['b']);
      expect(actor.getSnapshot().can(discuss(sender))).toBe(false);
      expect(state(send(actor, discuss(sender)).getSnapshot())).toEqual(before);
    });

    it('moves to conclusion with the coordinator holding the turn when a discussion message uses the last turn', () => {
      const actor = send(start({ maxTurns: 2 }), discuss('c', ['a']));
      expect(actor.getSnapshot().value).toBe('discussion');
      send(actor, discuss('a', ['b']));
      expect(state(actor.getSnapshot())).toMatchObject({ value: 'conclusion', context: { turnsUsed: 2, holders: ['c'] } });
    });

    it('does not count coordinator transitions as turns', () => {
      const actor = send(start({ maxTurns: 1 }), assign('c', 'async', ['t1']), pause('c', []), assign('c', 'sync', []));
      expect(state(actor.getSnapshot())).toMatchObject({ value: 'discussion', context: { turnsUsed: 0 } });
    });

    it('gives the turn to the coordinator on TURN_TIMEOUT', () => {
      const actor = send(start(), discuss('c', ['a', 'b']), { type: 'TURN_TIMEOUT' });
      expect(state(actor.getSnapshot())).toMatchObject({ value: 'discussion', context: { holders: ['c'], turnsUsed: 1 } });
    });
  });

  describe('coordinator transitions', () => {
    it.each([
      ['sync task_assignment', assign('a', 'sync', ['t1'])],
      ['async task_assignment', assign('a', 'async', ['t1'])],
      ['pause_and_trigger', pause('a', ['t1'])],
      ['conclusion', conclude('a')],
    ])('refuses %s from a member who holds the turn but is not the coordinator', (_what, event) => {
      const actor = send(start(), discuss('c', ['a']));
      const before = state(actor.getSnapshot());
      expect(actor.getSnapshot().can(event)).toBe(false);
      expect(state(send(actor, event).getSnapshot())).toEqual(before);
    });

    it('lets the coordinator make transitions without holding the turn', () => {
      const actor = send(start(), discuss('c', ['a']));
      expect(actor.getSnapshot().can(assign('c', 'sync', ['t1']))).toBe(true);
      expect(actor.getSnapshot().can(pause('c', ['t1']))).toBe(true);
      expect(actor.getSnapshot().can(conclude('c'))).toBe(true);
    });

    it('holds sync_task_assignment open, with nobody speaking, until every pending task is settled', () => {
      const actor = send(start(), discuss('c', ['a']), assign('c', 'sync', ['t1', 't2']));
      expect(state(actor.getSnapshot())).toMatchObject({ value: 'sync_task_assignment', context: { holders: [], pending: ['t1', 't2'] } });
      expect(actor.getSnapshot().can(settle('t3'))).toBe(false);
      send(actor, settle('t1'));
      expect(state(actor.getSnapshot())).toMatchObject({ value: 'sync_task_assignment', context: { pending: ['t2'] } });
      expect(actor.getSnapshot().can(settle('t1'))).toBe(false);
      send(actor, settle('t2'));
      expect(state(actor.getSnapshot())).toMatchObject({ value: 'discussion', context: { holders: ['c'], pending: [] } });
    });

    it('holds pause_and_trigger open until every trigger task is settled, then gives the coordinator the turn', () => {
      const actor = send(start(), pause('c', ['t1', 't2']));
      expect(state(actor.getSnapshot())).toMatchObject({ value: 'pause_and_trigger', context: { holders: [], pending: ['t1', 't2'] } });
      expect(actor.getSnapshot().can(settle('t3'))).toBe(false);
      send(actor, settle('t2'), settle('t1'));
      expect(state(actor.getSnapshot())).toMatchObject({ value: 'discussion', context: { holders: ['c'], pending: [] } });
    });

    it.each([
      ['a sync assignment', assign('c', 'sync', [])],
      ['a pause', pause('c', [])],
    ])('returns straight to discussion from %s with no tasks', (_what, event) => {
      expect(state(send(start(), event).getSnapshot())).toMatchObject({ value: 'discussion', context: { holders: ['c'] } });
    });

    it('passes through async_task_assignment straight back to discussion with the coordinator holding the turn', () => {
      const visited: unknown[] = [];
      const actor = start({}, (e) => {
        if (e.type === '@xstate.microstep') visited.push((e.snapshot as SessionSnapshot).value);
      });
      send(actor, discuss('c', ['a']));
      visited.length = 0;
      send(actor, assign('c', 'async', ['t1', 't2']));
      expect(visited).toEqual(['async_task_assignment', 'discussion']);
      expect(state(actor.getSnapshot())).toMatchObject({ value: 'discussion', context: { holders: ['c'], pending: [], turnsUsed: 1 } });
    });

    it('closes as concluded when the coordinator concludes from discussion', () => {
      const actor = send(start(), conclude('c'));
      expect(state(actor.getSnapshot())).toMatchObject({ value: 'closed', status: 'done', context: { closeReason: 'concluded', holders: [] } });
    });
  });

  describe('conclusion', () => {
    it('closes as concluded when the coordinator writes the summary', () => {
      const actor = actorIn('conclusion');
      expect(actor.getSnapshot().can(conclude('a'))).toBe(false);
      send(actor, conclude('c'));
      expect(state(actor.getSnapshot())).toMatchObject({ value: 'closed', status: 'done', context: { closeReason: 'concluded' } });
    });

    it('closes with reason max_turns on CONCLUSION_TIMEOUT', () => {
      const actor = send(actorIn('conclusion'), { type: 'CONCLUSION_TIMEOUT' });
      expect(state(actor.getSnapshot())).toMatchObject({ value: 'closed', status: 'done', context: { closeReason: 'max_turns', holders: [] } });
    });
  });

  describe('coordinator hand-over', () => {
    const timeout: SessionEvent = { type: 'COORDINATOR_TIMEOUT' };
    const coordinators = (actor: SessionActor, times: number) =>
      Array.from({ length: times }, () => send(actor, timeout).getSnapshot().context).map((c) => [c.coordinator, c.holders]);

    it('passes the role and the turn along join order and wraps around', () => {
      expect(coordinators(start(), 3)).toEqual([
        ['a', ['a']],
        ['b', ['b']],
        ['c', ['c']],
      ]);
    });

    it('starts from the coordinator’s own place in join order', () => {
      expect(coordinators(start({ members: ['a', 'c', 'b'] }), 3)).toEqual([
        ['b', ['b']],
        ['a', ['a']],
        ['c', ['c']],
      ]);
    });

    it('hands over in conclusion, and the new coordinator may conclude', () => {
      const actor = send(actorIn('conclusion'), timeout);
      expect(state(actor.getSnapshot())).toMatchObject({ value: 'conclusion', context: { coordinator: 'a', holders: ['a'] } });
      expect(actor.getSnapshot().can(conclude('c'))).toBe(false);
      expect(send(actor, conclude('a')).getSnapshot().context.closeReason).toBe('concluded');
    });

    it('refuses COORDINATOR_TIMEOUT in a group of one, which has no successor', () => {
      const actor = start({ members: ['c'] });
      const before = state(actor.getSnapshot());
      expect(actor.getSnapshot().can(timeout)).toBe(false);
      expect(state(send(actor, timeout).getSnapshot())).toEqual(before);
    });

    it('passes over the members it is told to skip (people), and has no successor when only they are left', () => {
      const skipA: SessionEvent = { type: 'COORDINATOR_TIMEOUT', skip: ['a'] };
      expect(send(start(), skipA).getSnapshot().context).toMatchObject({ coordinator: 'b', holders: ['b'] });
      expect(start({ members: ['c', 'a'] }).getSnapshot().can(skipA)).toBe(false);
    });

    it('refuses COORDINATOR_TIMEOUT once every other member has left', () => {
      const actor = send(start(), { type: 'SET_MEMBERS', members: ['c'] });
      expect(actor.getSnapshot().can(timeout)).toBe(false);
    });

    it('hands over to the first member by join order when the coordinator has left', () => {
      const actor = send(start({ members: ['a', 'c', 'b'] }), { type: 'SET_MEMBERS', members: ['a', 'b'] }, timeout);
      expect(actor.getSnapshot().context).toMatchObject({ coordinator: 'a', holders: ['a'] });
    });
  });
});
