import { agent, sessionHost } from '../../../../../test/support/session-host';

const C = 'coord';
const A = 'alice';
const B = 'bob';
const S = 1000;
const OPTIONS = { turn_timeout_s: 10, coordinator_timeout_s: 30, conclusion_wait_s: 20 };

type Harness = Awaited<ReturnType<typeof sessionHost>>;

/** Every deadline kind through the real host, handlers and SQLite file; time moves only when the test says so. */
describe('SessionTimers: each deadline kind fires once, when due, through the scheduler', () => {
  let h: Harness;
  beforeEach(async () => (h = await sessionHost({ IOA_SUSPEND_GRACE_S: '7', IOA_INVITE_TIMEOUT_S: '5', IOA_FORMING_TIMEOUT_S: '12' })));
  afterEach(() => h.close());

  it('coordinator: a silent coordinator hands the role on after coordinator_timeout_s', async () => {
    const g = await h.open({ members: [C, A], options: OPTIONS });
    await h.scheduler.advance(30 * S - 1);
    expect(await h.system(g.row.id)).toEqual(['goal@0']);
    await h.scheduler.advance(1);
    expect(await h.system(g.row.id)).toEqual(['goal@0', `coordinator_changed@${30 * S}`]);
    expect(h.host.get(g.row.id)).toMatchObject({ row: { coordinator: A }, holders: [A] });
  });

  it('turn: a silent member loses the turn after turn_timeout_s; a holder speaking moves the deadline', async () => {
    const g = await h.open({ members: [C, A], options: OPTIONS });
    await h.send(C, g.row.id, 'discussion', { content: 'alice?', next_speaker: [A] });
    await h.scheduler.advance(5 * S);
    // Alice passes the turn to herself: her deadline is 10 s from now, the armed wake-up (at 10 s) comes early and re-arms.
    await h.send(A, g.row.id, 'discussion', { content: 'still me', next_speaker: [A] });
    await h.scheduler.advance(10 * S - 1);
    expect(await h.system(g.row.id)).toEqual(['goal@0']);
    await h.scheduler.advance(1);
    expect(await h.system(g.row.id)).toEqual(['goal@0', `turn_timeout@${15 * S}`]);
    expect(h.host.get(g.row.id)?.holders).toEqual([C]);
  });

  it('conclusion: max_turns reached and no summary closes the group after conclusion_wait_s', async () => {
    const g = await h.open({ members: [C, A], options: OPTIONS, maxTurns: 1 });
    await h.send(C, g.row.id, 'discussion', { content: 'done', next_speaker: [] });
    expect(g.state).toBe('conclusion');
    await h.scheduler.advance(20 * S);
    expect(await h.system(g.row.id)).toEqual(['goal@0', 'max_turns@0', `group_closed@${20 * S}`]);
    expect(await h.store.get(g.row.id)).toMatchObject({ state: 'closed', closeReason: 'max_turns' });
    expect(h.host.isOpen(g.row.id)).toBe(false);
    expect(h.scheduler.pending).toEqual([]);
  });

  it('task and task_grace: an open task fails at its deadline, a suspended one when its grace ends', async () => {
    const g = await h.open({ members: [C, A, B], options: OPTIONS });
    const ack = await h.send(C, g.row.id, 'task_assignment', {
      mode: 'async', tasks: [{ task_desc: 'd', task_abstract: 'late', assignee: [A], deadline_s: 5 }, { task_desc: 'd', task_abstract: 'lost', assignee: [B] }],
    });
    await h.host.execute({ type: 'assignee_presence', group_id: g.row.id, agent_id: B, online: false, why: 'disconnected' });
    await h.scheduler.advance(8 * S);
    expect(await h.system(g.row.id)).toEqual(['goal@0', 'task_suspended@0', `task_failed@${5 * S}`, `task_failed@${7 * S}`]);
    const [late, lost] = (ack.task_ids ?? []).map((id) => g.tasks.get(id));
    expect([late?.reason, lost?.reason]).toEqual(['deadline passed', 'assignee did not reconnect in time']);
  });

  it('invite: an unanswered invite expires after the invite timeout and the next candidate is asked; none left fails the group', async () => {
    const id = await h.form('forming-1', [A, B], { formingMs: 12 * S });
    const invited = () => h.emitter.sent.filter((e) => e.event === 'invite').map((e) => e.target.rooms[0]);
    expect(invited()).toEqual([`agent:${A}`]);
    await h.scheduler.advance(5 * S);
    expect(invited()).toEqual([`agent:${A}`, `agent:${B}`]);
    await h.scheduler.advance(5 * S);
    const row = await h.store.get(id);
    expect(row).toMatchObject({ state: 'closed', closeReason: 'failed', decision: { outcome: 'failed', reason: 'every candidate declined or did not answer' } });
    expect(row?.decision?.needs[0].invites.map((i) => i.status)).toEqual(['expired', 'expired']);
    expect(await h.system(id)).toEqual([`group_closed@${10 * S}`]);
  });

  it('forming: the forming deadline ends a formation whose invites are still pending', async () => {
    const id = await h.form('forming-2', [A], { formingMs: 3 * S });
    await h.scheduler.advance(3 * S - 1);
    expect(h.host.isOpen(id)).toBe(true);
    await h.scheduler.advance(1);
    expect(await h.store.get(id)).toMatchObject({ state: 'closed', decision: { reason: 'forming timed out with no member besides the coordinator' } });
  });

  it('invite into an open group: an answer joins in whatever state the group is in, silence expires announced, across a restart', async () => {
    const g = await h.open({ members: [C, A], options: OPTIONS });
    const id = g.row.id;
    const toB = await h.host.execute({ type: 'invite_member', group_id: id, by: agent(C), agent_id: B });
    await h.host.execute({ type: 'invite_member', group_id: id, by: agent(C), agent_id: 'dave' });
    await h.send(C, id, 'task_assignment', { mode: 'sync', tasks: [{ task_desc: 'd', task_abstract: 'x', assignee: [A] }] });
    await h.scheduler.advance(2 * S);
    await h.restart();
    await h.host.execute({ type: 'reply_invite', group_id: id, by: agent(B), invite_id: toB.invite_id, accept: true, max_groups: 10 });
    expect(h.host.get(id)).toMatchObject({ state: 'sync_task_assignment', members: [C, A, B] });
    await h.scheduler.advance(3 * S - 1);
    expect(await h.system(id)).toEqual(['goal@0', 'member_invited@0', 'member_invited@0', `members_changed@${2 * S}`]);
    await h.scheduler.advance(1);
    expect((await h.system(id)).at(-1)).toBe(`invite_declined@${5 * S}`);
    expect((await h.store.get(id))?.decision?.needs.map((n) => n.invites[0].status)).toEqual(['accepted', 'expired']);
  });

  it('tries a failed deadline step again instead of leaving the group waiting', async () => {
    const g = await h.open({ members: [C, A], options: OPTIONS });
    const heal = await h.failCommits();
    await h.scheduler.advance(31 * S);
    expect(await h.system(g.row.id)).toEqual(['goal@0']);
    // The failed step was rolled back in memory too: the group is as stored.
    expect(h.host.get(g.row.id)?.row.coordinator).toBe(C);
    await heal();
    await h.scheduler.advance(1 * S);
    expect(await h.system(g.row.id)).toEqual(['goal@0', `coordinator_changed@${32 * S}`]);
    expect(h.host.get(g.row.id)?.row.coordinator).toBe(A);
  });

  it('arms the groups loaded at start-up once they are loaded, however the start-up hooks interleave', async () => {
    const g = await h.open({ members: [C, A], options: OPTIONS });
    const deadline = g.row.turnDeadline;
    const node = await h.restart(false);
    // Nest may run the timers' hook before the host has loaded anything.
    const timers = node.timers.onApplicationBootstrap();
    await node.host.onApplicationBootstrap();
    await timers;
    expect(h.scheduler.pending).toEqual([deadline]);
    expect(node.host.get(g.row.id)?.row.heldBy).toBe(node.host.holder);
  });

});
