import { createActor } from 'xstate';
import { type GroupState } from '@ioa/protocol';
import { sessionMachine, type SessionEvent } from './session.machine';
import { start, discuss, assign, pause, settle, conclude, close, state, actorIn, send, type SessionActor } from '../../../../../test/support/session-machine';

describe('session machine: membership, events per state, closing, persistence', () => {
  describe('membership changes', () => {
    it('drops a departing holder from the turn and keeps the others', () => {
      const actor = send(start(), discuss('c', ['a', 'b']), { type: 'SET_MEMBERS', members: ['c', 'b'] });
      expect(actor.getSnapshot().context).toMatchObject({ members: ['c', 'b'], holders: ['b'] });
      expect(actor.getSnapshot().can(discuss('a'))).toBe(false);
      expect(actor.getSnapshot().can(discuss('b'))).toBe(true);
    });

    it('leaves the turn unheld when the only holder departs, until TURN_TIMEOUT gives it to the coordinator', () => {
      const actor = send(start(), discuss('c', ['a']), { type: 'SET_MEMBERS', members: ['c', 'b'] });
      expect(actor.getSnapshot().context.holders).toEqual([]);
      send(actor, { type: 'TURN_TIMEOUT' });
      expect(actor.getSnapshot().context.holders).toEqual(['c']);
    });

    it('uses the new join order for hand-over', () => {
      const actor = send(start(), { type: 'SET_MEMBERS', members: ['c', 'a', 'b', 'd'] });
      send(actor, { type: 'COORDINATOR_TIMEOUT' }, { type: 'COORDINATOR_TIMEOUT' }, { type: 'COORDINATOR_TIMEOUT' });
      expect(actor.getSnapshot().context.coordinator).toBe('d');
    });

    it('applies in every open state without changing it', () => {
      for (const target of ['forming', 'sync_task_assignment', 'pause_and_trigger', 'conclusion'] as const) {
        const actor = send(actorIn(target), { type: 'SET_MEMBERS', members: ['c', 'a'] });
        expect([actor.getSnapshot().value, actor.getSnapshot().context.members]).toEqual([target, ['c', 'a']]);
      }
    });
  });

  describe('events per state', () => {
    const EVENTS: Record<SessionEvent['type'], SessionEvent> = {
      OPEN: { type: 'OPEN' },
      DISCUSS: discuss('c'),
      ASSIGN: assign('c', 'sync', ['t9']),
      PAUSE: pause('c', ['t9']),
      TASK_SETTLED: settle('t1'),
      CONCLUDE: conclude('c'),
      TURN_TIMEOUT: { type: 'TURN_TIMEOUT' },
      COORDINATOR_TIMEOUT: { type: 'COORDINATOR_TIMEOUT' },
      CONCLUSION_TIMEOUT: { type: 'CONCLUSION_TIMEOUT' },
      HOLD_AGAIN: { type: 'HOLD_AGAIN', pending: ['t9'], held: ['t9'] },
      SET_MEMBERS: { type: 'SET_MEMBERS', members: ['c', 'a', 'b'] },
      CLOSE: close('failed'),
    };
    const ACCEPTED: Record<Exclude<GroupState, 'async_task_assignment' | 'closed'>, SessionEvent['type'][]> = {
      forming: ['OPEN', 'SET_MEMBERS', 'CLOSE'],
      discussion: ['DISCUSS', 'ASSIGN', 'PAUSE', 'CONCLUDE', 'TURN_TIMEOUT', 'COORDINATOR_TIMEOUT', 'SET_MEMBERS', 'CLOSE', 'HOLD_AGAIN'],
      sync_task_assignment: ['TASK_SETTLED', 'SET_MEMBERS', 'CLOSE', 'HOLD_AGAIN'],
      pause_and_trigger: ['TASK_SETTLED', 'SET_MEMBERS', 'CLOSE'],
      conclusion: ['CONCLUDE', 'CONCLUSION_TIMEOUT', 'COORDINATOR_TIMEOUT', 'SET_MEMBERS', 'CLOSE'],
    };
    const rows = Object.entries(ACCEPTED).flatMap(([target, accepted]) =>
      Object.values(EVENTS).map((event) => [target as GroupState, event.type, accepted.includes(event.type)] as const),
    );

    it.each(rows)('in %s, %s is accepted: %s', (target, type, accepted) => {
      const actor = actorIn(target);
      const before = state(actor.getSnapshot());
      expect(actor.getSnapshot().can(EVENTS[type])).toBe(accepted);
      if (!accepted) expect(state(send(actor, EVENTS[type]).getSnapshot())).toEqual(before);
    });

    it('ignores every event once closed', () => {
      const actor = actorIn('closed');
      const before = state(actor.getSnapshot());
      send(actor, ...Object.values(EVENTS));
      expect(state(actor.getSnapshot())).toEqual(before);
      expect(before.context.closeReason).toBe('canceled');
      const stateEvents = Object.values(EVENTS).filter((e) => e.type !== 'CLOSE' && e.type !== 'SET_MEMBERS');
      expect(stateEvents.filter((e) => actor.getSnapshot().can(e))).toEqual([]);
    });

    // Bug: CLOSE and SET_MEMBERS are handled on the root, so `can` finds them from the final `closed` state even though
    // the done actor ignores them; the second line of defence says yes to events that do nothing.
    it('refuses CLOSE and SET_MEMBERS through snapshot.can once closed', () => {
      const snapshot = actorIn('closed').getSnapshot();
      expect([snapshot.can(EVENTS.CLOSE), snapshot.can(EVENTS.SET_MEMBERS)]).toEqual([false, false]);
    });
  });

  describe('CLOSE', () => {
    const rows = (['forming', 'discussion', 'sync_task_assignment', 'pause_and_trigger', 'conclusion'] as const).flatMap((target) =>
      (['failed', 'canceled', 'closed_by_admin'] as const).map((reason) => [target, reason] as const),
    );

    it.each(rows)('closes from %s with reason %s', (target, reason) => {
      const actor = send(actorIn(target), close(reason));
      expect(state(actor.getSnapshot())).toMatchObject({
        value: 'closed',
        status: 'done',
        context: { closeReason: reason, holders: [], pending: [] },
      });
    });
  });

  describe('persisted snapshot', () => {
    // Through JSON, as the service stores it. XState's types demand `input` for a machine with input even when restoring.
    const restore = (actor: SessionActor): SessionActor =>
      createActor(sessionMachine, { snapshot: JSON.parse(JSON.stringify(actor.getPersistedSnapshot())), input: undefined }).start();

    it.each<[string, () => SessionActor, SessionEvent[]]>([
      ['sync_task_assignment with one task pending', () => send(actorIn('sync_task_assignment'), settle('t1')), [settle('t1'), settle('t2'), discuss('c')]],
      ['pause_and_trigger with both triggers pending', () => actorIn('pause_and_trigger'), [settle('t2'), settle('t1'), discuss('c', ['b'])]],
      ['forming', () => actorIn('forming'), [{ type: 'OPEN' }, discuss('c', ['a'])]],
      ['discussion one turn short of max_turns', () => send(start({ maxTurns: 2 }), discuss('c', ['a', 'b'])), [discuss('c'), discuss('b')]],
      ['discussion after a hand-over', () => send(start(), { type: 'COORDINATOR_TIMEOUT' }), [assign('c', 'async', ['t1']), conclude('a')]],
      ['conclusion', () => actorIn('conclusion'), [conclude('a'), { type: 'CONCLUSION_TIMEOUT' }]],
    ])('continues identically after restoring in %s', (_where, build, events) => {
      const original = build();
      const restored = restore(original);
      expect(state(restored.getSnapshot())).toEqual(state(original.getSnapshot()));
      for (const event of events) {
        expect(restored.getSnapshot().can(event)).toBe(original.getSnapshot().can(event));
        send(original, event);
        send(restored, event);
        expect(state(restored.getSnapshot())).toEqual(state(original.getSnapshot()));
      }
    });

    it('returns to discussion with the coordinator holding the turn once the last pending task settles after a restore', () => {
      const restored = restore(send(actorIn('sync_task_assignment'), settle('t1')));
      expect(restored.getSnapshot().can(settle('t1'))).toBe(false);
      send(restored, settle('t2'));
      expect(state(restored.getSnapshot())).toMatchObject({ value: 'discussion', context: { holders: ['c'], pending: [] } });
    });
  });
});
