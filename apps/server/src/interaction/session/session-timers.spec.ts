import { GroupEntity, InviteRecord } from '../../data/groups/group.entity';
import type { GroupStore } from '../../data/groups/group-store';
import type { ConfigService } from '../../foundation/config/config.service';
import type { Emitter } from '../../foundation/network/emitter.port';
import type { IdGenerator } from '../../foundation/runtime/runtime.module';
import { ManualClock, ManualScheduler } from '../../../../../test/doubles/manual-time';
import type { Deadline } from './deadlines';
import { Batch, LiveGroup } from './live-group';
import { SessionEngine } from './session-engine';
import { SessionEvents } from './session-events';
import { SessionTimers } from './session-timers';
import type { SessionService } from './session.service';
import { newTask, suspendTask } from './task-book';

const C = 'coord';
const A = 'alice';
const S = 1000;

/** Session timers over a real engine and real machines; the session service is a named double that commits nowhere. */
function harness() {
  const clock = new ManualClock();
  const scheduler = new ManualScheduler(clock);
  let n = 0;
  const ids = { next: () => `id-${++n}` } as IdGenerator;
  const engine = new SessionEngine(clock, ids, { emit: () => undefined } as unknown as Emitter);
  const live = new Map<string, LiveGroup>();
  const system: Array<{ group: string; event: string; at: number }> = [];
  const sessions = {
    live,
    loaded: Promise.resolve(),
    /** Whether steps announce their commit (the session service loading groups at start-up does not step). */
    announce: true,
    // What team formation does with the deadlines it is given, reduced to ending each wait.
    formingDue: jest.fn((l: LiveGroup, _b: Batch, due: Deadline[]) => {
      const expired = new Set(due.map((d) => (d.kind === 'invite' ? d.inviteId : null)));
      for (const i of l.row.decision?.needs.flatMap((n) => n.invites) ?? []) if (expired.has(i.invite_id)) i.status = 'expired';
      if (due.some((d) => d.kind === 'forming')) l.row.formingDeadline = null;
    }),
    /** Steps to fail as a failed commit would (nothing stored, the group as it was). */
    failNext: 0,
    async run<T>(id: string, step: (l: LiveGroup, b: Batch) => T): Promise<T> {
      if (sessions.failNext > 0 && sessions.failNext--) throw new Error('database unavailable');
      const l = live.get(id)!;
      const batch = new Batch();
      const result = await step(l, batch);
      for (const m of batch.messages) if (m.type === 'system') system.push({ group: id, event: m.payload.event as string, at: clock.now() });
      if (sessions.announce) bus.emit('committed', l);
      return result;
    },
  };
  const config = { values: { nodeId: 'node', sessions: { heartbeatMs: 60 * S } } } as unknown as ConfigService;
  const bus = new SessionEvents();
  bus.on('formingDue', sessions.formingDue);
  const store = { setAliveAt: async () => undefined } as unknown as GroupStore;
  const timers = new SessionTimers(sessions as unknown as SessionService, engine, store, clock, scheduler, config, bus);

  async function open(id: string, o: { maxTurns?: number; forming?: number } = {}): Promise<LiveGroup> {
    const row = Object.assign(new GroupEntity(), {
      id, goal: 'g', coordinator: C, members: [C, A], state: o.forming ? 'forming' : 'discussion', lastSeq: 0, turnsUsed: 0, maxTurns: o.maxTurns ?? 50,
      options: { turn_timeout_s: 10, coordinator_timeout_s: 30, conclusion_wait_s: 20 }, turnDeadline: null, conclusionDeadline: null,
      formingDeadline: o.forming ? clock.now() + o.forming : null, decision: null,
    });
    const l = new LiveGroup(row, new Map(), { input: { coordinator: C, members: o.forming ? [C] : [C, A], maxTurns: row.maxTurns, forming: !!o.forming } });
    live.set(id, l);
    await sessions.run(id, (g, b) => (o.forming ? timers.arm(g) : engine.open(g, b)));
    return l;
  }
  const step = (id: string, fn: (l: LiveGroup, b: Batch) => void) => sessions.run(id, fn);
  const events = (id: string) => system.filter((s) => s.group === id).map((s) => `${s.event}@${s.at - start}`);
  const start = clock.now();
  return { clock, scheduler, engine, sessions, timers, open, step, events, start };
}

describe('SessionTimers: each deadline kind fires once, when due, through the scheduler', () => {
  it('coordinator: a silent coordinator hands the role on after coordinator_timeout_s', async () => {
    const h = harness();
    const g = await h.open('g');
    await h.scheduler.advance(30 * S - 1);
    expect(h.events('g')).toEqual(['goal@0']);
    await h.scheduler.advance(1);
    expect(h.events('g')).toEqual(['goal@0', `coordinator_changed@${30 * S}`]);
    expect(g.context).toMatchObject({ coordinator: A, holders: [A] });
  });

  it('turn: a silent member loses the turn after turn_timeout_s; a holder speaking moves the deadline', async () => {
    const h = harness();
    const g = await h.open('g');
    await h.step('g', (l, b) => h.engine.send(l, b, { type: 'DISCUSS', sender: C, nextSpeakers: [A] }, C));
    await h.scheduler.advance(5 * S);
    // Alice passes the turn to herself: her deadline is 10 s from now, the armed wake-up (at 10 s) comes early and re-arms.
    await h.step('g', (l, b) => h.engine.send(l, b, { type: 'DISCUSS', sender: A, nextSpeakers: [A] }, A));
    await h.scheduler.advance(10 * S - 1);
    expect(h.events('g')).toEqual(['goal@0']);
    await h.scheduler.advance(1);
    expect(h.events('g')).toEqual(['goal@0', `turn_timeout@${15 * S}`]);
    expect(g.context.holders).toEqual([C]);
  });

  it('conclusion: max_turns reached and no summary closes the group after conclusion_wait_s', async () => {
    const h = harness();
    const g = await h.open('g', { maxTurns: 1 });
    await h.step('g', (l, b) => h.engine.send(l, b, { type: 'DISCUSS', sender: C, nextSpeakers: [] }, C));
    expect(g.state).toBe('conclusion');
    await h.scheduler.advance(20 * S);
    expect(h.events('g')).toEqual(['goal@0', 'max_turns@0', `group_closed@${20 * S}`]);
    expect(g.row).toMatchObject({ state: 'closed', closeReason: 'max_turns' });
    expect(h.scheduler.pending).toEqual([]);
  });

  it('task and task_grace: an open task fails at its deadline, a suspended one when its grace ends', async () => {
    const h = harness();
    const g = await h.open('g');
    const late = newTask('late', 'g', 'async', { task_desc: 'd', task_abstract: 'a', assignee: [A], deadline_s: 5 }, C, h.clock.now());
    const lost = newTask('lost', 'g', 'async', { task_desc: 'd', task_abstract: 'a', assignee: [A] }, C, h.clock.now());
    suspendTask(lost, 7 * S, h.clock.now());
    await h.step('g', () => [late, lost].forEach((t) => g.tasks.set(t.id, t)));
    await h.scheduler.advance(8 * S);
    expect(h.events('g')).toEqual(['goal@0', `task_failed@${5 * S}`, `task_failed@${7 * S}`]);
    expect([late.reason, lost.reason]).toEqual(['deadline passed', 'assignee did not reconnect in time']);
  });

  it('forming and invite: team formation decides, given exactly the invite or forming deadlines that passed', async () => {
    const h = harness();
    const f = await h.open('f', { forming: 12 * S });
    const invite: InviteRecord = { invite_id: 'i1', agent_id: A, status: 'pending', sent_at: h.clock.now(), deadline: h.clock.now() + 5 * S };
    await h.step('f', (l) => void (l.row.decision = { requester: C, outcome: 'forming', needs: [{ need: 'x', count: 1, candidates: [], invites: [invite] }] }));
    await h.scheduler.advance(5 * S);
    expect(h.sessions.formingDue).toHaveBeenLastCalledWith(f, expect.any(Batch), [{ kind: 'invite', at: invite.deadline, inviteId: 'i1' }]);
    await h.scheduler.advance(7 * S - 1);
    expect(h.sessions.formingDue).toHaveBeenCalledTimes(1);
    await h.scheduler.advance(1);
    expect(h.sessions.formingDue).toHaveBeenLastCalledWith(f, expect.any(Batch), [{ kind: 'forming', at: h.clock.now() }]);
  });

  it('tries a failed deadline step again instead of leaving the group waiting', async () => {
    const h = harness();
    const g = await h.open('g');
    h.sessions.failNext = 2;
    await h.scheduler.advance(30 * S);
    expect(h.events('g')).toEqual(['goal@0']);
    await h.scheduler.advance(2 * S);
    expect(h.events('g')).toEqual(['goal@0', `coordinator_changed@${32 * S}`]);
    expect(g.context.coordinator).toBe(A);
  });

  it('arms the groups loaded at start-up once they are loaded, however the start-up hooks interleave', async () => {
    const h = harness();
    let loaded!: () => void;
    h.sessions.loaded = new Promise<void>((r) => (loaded = r));
    const booting = h.timers.onApplicationBootstrap();
    // The session service loads groups concurrently, without a step (so nothing arms them on commit).
    h.sessions.announce = false;
    const g = await h.open('g');
    h.sessions.announce = true;
    loaded();
    await booting;
    expect(h.scheduler.pending).toEqual([g.row.turnDeadline]);
    await h.timers.onApplicationShutdown();
  });
});
