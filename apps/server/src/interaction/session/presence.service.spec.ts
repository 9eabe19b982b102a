import type { AgentRegistry } from '../../data/registry/agent-registry.service';
import { GroupEntity } from '../../data/groups/group.entity';
import type { ConfigService } from '../../foundation/config/config.service';
import type { Emitter } from '../../foundation/network/emitter.port';
import type { IdGenerator } from '../../foundation/runtime/runtime.module';
import { ManualClock } from '../../../../../test/doubles/manual-time';
import { Batch, LiveGroup } from './live-group';
import { PresenceService } from './presence.service';
import { SessionEngine } from './session-engine';
import type { SessionService } from './session.service';
import { newTask } from './task-book';

/**
 * Presence over a real engine and machine; the session service (runs steps, commits nowhere) and the registry (which
 * holds back the writes the test chooses, as a slow database would) are named doubles.
 */
function harness() {
  const clock = new ManualClock();
  let n = 0;
  const engine = new SessionEngine(clock, { next: () => `id-${++n}` } as IdGenerator, { emit: () => undefined } as unknown as Emitter);
  const row = Object.assign(new GroupEntity(), { id: 'g', coordinator: 'c', members: ['c', 'a'], state: 'discussion', lastSeq: 0, options: {} });
  const live = new LiveGroup(row, new Map(), { input: { coordinator: 'c', members: ['c', 'a'], maxTurns: 50, forming: false } });
  const task = newTask('t', 'g', 'async', { task_desc: 'd', task_abstract: 'a', assignee: ['a'] }, 'c', clock.now());
  live.tasks.set(task.id, task);
  const sessions = {
    live: new Map([['g', live]]),
    loaded: Promise.resolve(),
    run: async <T>(_: string, step: (l: LiveGroup, b: Batch) => T) => step(live, new Batch()),
  };
  const held: Array<() => void> = [];
  let holding = false;
  const registry = {
    markPresence: () => (holding ? new Promise<void>((r) => held.push(r)) : Promise.resolve()),
  };
  const config = { values: { sessions: { suspendGraceS: 60 } } } as unknown as ConfigService;
  const presence = new PresenceService(sessions as unknown as SessionService, engine, registry as unknown as AgentRegistry, clock, config);
  return { presence, task, hold: (on: boolean) => (holding = on), release: () => held.splice(0).forEach((r) => r()) };
}

describe('PresenceService: one agent\'s presence changes apply in the order they happened', () => {
  it('a disconnect whose work is still in flight when the agent reconnects leaves its task running', async () => {
    const h = harness();
    await h.presence.connected('a');
    h.hold(true);
    const dropped = h.presence.disconnected('a');
    h.hold(false);
    const back = h.presence.connected('a');
    h.release();
    await Promise.all([dropped, back]);
    expect(h.presence.isOnline('a')).toBe(true);
    expect(h.task.state).toBe('submitted');
  });

  it('a reconnect followed by a disconnect ends suspended', async () => {
    const h = harness();
    await h.presence.connected('a');
    await h.presence.disconnected('a');
    h.hold(true);
    const back = h.presence.connected('a');
    h.hold(false);
    const dropped = h.presence.disconnected('a');
    h.release();
    await Promise.all([back, dropped]);
    expect(h.task.state).toBe('suspended');
  });
});
