import { sessionHost } from '../../../../../test/support/session-host';

const C = 'coord';
const A = 'alice';

type Harness = Awaited<ReturnType<typeof sessionHost>>;

/**
 * Several nodes over one database (a real SQLite file, the real migrations and committer; no Redis, so nothing is
 * forwarded): a group runs on one node, another takes it only once its node stops beating or lets it go, and the
 * node that lost it can no longer write to it (fencing).
 */
describe('one owner per group: leases by heartbeat, takeover, fencing', () => {
  let h: Harness;
  beforeEach(async () => (h = await sessionHost({}, { cluster: true })));
  afterEach(() => h.close());

  const held = async (id: string) => (await h.store.get(id))!;

  it('leaves a group to its node while it beats, takes it once the beat lapses, and fences the old node off', async () => {
    const first = h.host;
    const g = await h.open({ members: [C, A] });
    expect(await held(g.row.id)).toMatchObject({ heldBy: first.holder, fence: 1 });

    const second = await h.node(true, 'node-2');
    expect(second.host.isOpen(g.row.id)).toBe(false);
    expect(await held(g.row.id)).toMatchObject({ heldBy: first.holder, fence: 1 });

    // The first node stops beating (paused, cut off); past the lapse the second takes the group, token 2.
    h.clock.t += 11_000;
    await h.store.setAliveAt(second.host.holder, h.clock.now());
    expect((await second.host.adopt()).map((t) => t.id)).toEqual([g.row.id]);
    expect(await held(g.row.id)).toMatchObject({ heldBy: second.host.holder, fence: 2 });

    // The first node comes back and acts on its stale copy: refused by fencing, nothing stored, the group dropped.
    await expect(h.send(C, g.row.id, 'discussion', { content: 'late', next_speaker: [A] })).rejects.toMatchObject({ code: 'UNAVAILABLE' });
    expect(first.isOpen(g.row.id)).toBe(false);
    expect((await h.store.messages(g.row.id, 0, 10)).map((m) => m.seq)).toEqual([1]);

    // The new owner goes on from the stored history: the next seq follows without a gap.
    const ack = await second.host.execute({
      type: 'send_message', group_id: g.row.id, by: { role: 'agent', id: C, jti: null },
      envelope: { type: 'discussion', header: { type: 'discussion', message_id: 'on', group_id: g.row.id }, payload: { content: 'on', next_speaker: [A] } } as never, digest: 'd',
    });
    expect(ack).toEqual({ seq: 2, message_id: 'on' });
    expect(await held(g.row.id)).toMatchObject({ heldBy: second.host.holder, fence: 2 });
  });

  it('lets go of a group taken from it at its next heartbeat, even without a commit to find out', async () => {
    const first = h.host;
    const g = await h.open({ members: [C, A] });
    const second = await h.node(true, 'node-2');
    h.clock.t += 11_000;
    await h.store.setAliveAt(second.host.holder, h.clock.now());
    await second.host.adopt();
    expect(first.isOpen(g.row.id)).toBe(true);
    await first.adopt();
    expect(first.isOpen(g.row.id)).toBe(false);
    expect(second.host.isOpen(g.row.id)).toBe(true);
  });

  it('takes at once the groups a node released when it shut down, and those of an earlier boot of its own id', async () => {
    const first = h.host;
    const g = await h.open({ members: [C, A] });
    const second = await h.node(true, 'node-2');
    expect(await first.release()).toBe(1);
    expect(await held(g.row.id)).toMatchObject({ heldBy: null, fence: 1 });
    await expect(first.execute({ type: 'expire_deadlines', group_id: g.row.id })).rejects.toMatchObject({ code: 'UNAVAILABLE' });

    // Released: no lapse to wait for.
    expect((await second.host.adopt()).map((t) => t.id)).toEqual([g.row.id]);
    expect(await held(g.row.id)).toMatchObject({ heldBy: second.host.holder, fence: 2 });

    // node-2 restarts (a new boot under the same IOA_NODE_ID, its old boot's last beat just before): its groups are
    // its own at once, without waiting for the lapse.
    h.clock.t += 1000;
    const again = await h.node(true, 'node-2');
    expect(again.host.isOpen(g.row.id)).toBe(true);
    expect(await held(g.row.id)).toMatchObject({ heldBy: again.host.holder, fence: 3 });
  });

  it('never takes a group whose stored token moved since it read it: of two nodes taking at once, one wins', async () => {
    const g = await h.open({ members: [C, A] });
    const seen = await held(g.row.id);
    expect(await h.store.take(g.row.id, seen.fence, 'node-x/1')).toBe(2);
    expect(await h.store.take(g.row.id, seen.fence, 'node-y/1')).toBeNull();
    expect(await held(g.row.id)).toMatchObject({ heldBy: 'node-x/1', fence: 2 });
  });
});
