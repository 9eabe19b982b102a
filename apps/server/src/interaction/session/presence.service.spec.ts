import type { AgentRegistry } from '../../data/registry/agent-registry.service';
import { sessionHost } from '../../../../../test/support/session-host';
import { PresenceService } from './presence.service';

type Harness = Awaited<ReturnType<typeof sessionHost>>;

/**
 * Presence over the real host and handlers (SQLite file); the registry is a named double that holds back the
 * presence writes the test chooses, as a slow database would.
 */
async function harness(h: Harness) {
  const g = await h.open({ members: ['c', 'a'] });
  const ack = await h.send('c', g.row.id, 'task_assignment', { mode: 'async', tasks: [{ task_desc: 'd', task_abstract: 'a', assignee: ['a'] }] });
  const task = () => h.host.get(g.row.id)!.tasks.get(ack.task_ids![0])!;
  const held: Array<() => void> = [];
  let holding = false;
  const registry = { markPresence: () => (holding ? new Promise<void>((r) => held.push(r)) : Promise.resolve()) };
  const presence = new PresenceService(h.host, registry as unknown as AgentRegistry, h.emitter, h.config, h.store, h.clock);
  return { presence, task, hold: (on: boolean) => (holding = on), release: () => held.splice(0).forEach((r) => r()) };
}

describe('PresenceService: members come and go in the open of their groups', () => {
  let h: Harness;
  beforeEach(async () => (h = await sessionHost()));
  afterEach(() => h.close());

  it('tells the subscribers of each open group an agent is a member of when it connects and when it leaves', async () => {
    const p = await harness(h);
    const other = await h.open({ members: ['x', 'a'] });
    await h.open({ members: ['x', 'y'] });
    h.emitter.sent.length = 0;
    await p.presence.connected('a');
    await p.presence.connected('a'); // a second socket: no news
    await p.presence.disconnected('a');
    await p.presence.disconnected('a');
    const seen = h.emitter.sent.filter((e) => e.event === 'member_presence').map((e) => ({ rooms: (e.target as { rooms: string[] }).rooms, ...(e.args[0] as { group_id: string; online: boolean }) }));
    const first = [...h.host.groups()].find((g) => g.row.members.includes('c'))!.row.id;
    const byGroup = (id: string) => seen.filter((e) => e.group_id === id).map((e) => e.online);
    expect([byGroup(first), byGroup(other.row.id), seen.length]).toEqual([[true, false], [true, false], 4]);
    for (const e of seen) expect(e.rooms).toEqual([`group:${e.group_id}`]);
  });
});

describe('PresenceService: one agent\'s presence changes apply in the order they happened', () => {
  let h: Harness;
  beforeEach(async () => (h = await sessionHost()));
  afterEach(() => h.close());

  it('a disconnect whose work is still in flight when the agent reconnects leaves its task running', async () => {
    const p = await harness(h);
    await p.presence.connected('a');
    p.hold(true);
    const dropped = p.presence.disconnected('a');
    p.hold(false);
    const back = p.presence.connected('a');
    p.release();
    await Promise.all([dropped, back]);
    expect(p.presence.isOnline('a')).toBe(true);
    expect(p.task().state).toBe('submitted');
  });

  it('a reconnect followed by a disconnect ends suspended, and the suspension is stored', async () => {
    const p = await harness(h);
    await p.presence.connected('a');
    await p.presence.disconnected('a');
    p.hold(true);
    const back = p.presence.connected('a');
    p.hold(false);
    const dropped = p.presence.disconnected('a');
    p.release();
    await Promise.all([back, dropped]);
    expect(p.task().state).toBe('suspended');
    expect((await h.store.tasksOf(p.task().groupId))[0].state).toBe('suspended');
  });
});
