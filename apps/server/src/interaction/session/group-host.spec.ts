import { GoalEntity } from '../../data/goals/goal.entity';
import { agent, sessionHost } from '../../../../../test/support/session-host';
import { SubscriptionSink } from './commands';
import { REPLAY_PAGE, SessionReader } from './session-reader';

const C = 'coord';
const A = 'alice';
const B = 'bob';

type Harness = Awaited<ReturnType<typeof sessionHost>>;

/** The group host and one test per command handler, over the real engine, machine and a SQLite file. */
describe('GroupHost and its command handlers', () => {
  let h: Harness;
  beforeEach(async () => (h = await sessionHost()));
  afterEach(() => h.close());

  describe('send_message', () => {
    it('accepts a message, and answers a resend with the original ack and nothing new', async () => {
      const g = await h.open({ members: [C, A] });
      const ack = await h.send(C, g.row.id, 'discussion', { content: 'hi', next_speaker: [A] }, 'x1');
      expect(ack).toEqual({ seq: 2, message_id: 'x1' });
      expect(await h.send(C, g.row.id, 'discussion', { content: 'hi', next_speaker: [A] }, 'x1')).toEqual(ack);
      expect(g.row.lastSeq).toBe(2);
      await expect(h.send(C, g.row.id, 'discussion', { content: 'other', next_speaker: [A] }, 'x1')).rejects.toMatchObject({ code: 'DUPLICATE_MESSAGE_ID' });
    });

    it('refuses a member out of turn (audited) and a stranger (not audited); neither changes the group', async () => {
      const g = await h.open({ members: [C, A] });
      await expect(h.send(A, g.row.id, 'discussion', { content: 'me first', next_speaker: [C] })).rejects.toMatchObject({ code: 'NOT_YOUR_TURN' });
      await expect(h.send(B, g.row.id, 'discussion', { content: 'let me in', next_speaker: [C] })).rejects.toMatchObject({ code: 'NOT_MEMBER' });
      expect(g.row.lastSeq).toBe(1);
      expect((await h.store.messages(g.row.id, 0, 10)).length).toBe(1);
      const refused = await h.ds.query(`SELECT actor FROM audit WHERE action = 'refused'`);
      expect(refused).toEqual([{ actor: A }]);
    });
  });

  describe('change_members', () => {
    it('the coordinator adds and removes; a removed member\'s sockets leave the group\'s rooms after its last delivery', async () => {
      const g = await h.open({ members: [C, A] });
      await h.host.execute({ type: 'change_members', group_id: g.row.id, by: agent(C), add: B });
      await expect(h.host.execute({ type: 'change_members', group_id: g.row.id, by: agent(A), remove: B })).rejects.toMatchObject({ code: 'FORBIDDEN' });
      const view = await h.host.execute({ type: 'change_members', group_id: g.row.id, by: agent(C), remove: A });
      expect(view.members).toEqual([C, B]);
      expect(h.emitter.left).toEqual([{ of: `agent:${A}`, rooms: [`group:${g.row.id}`, `group:${g.row.id}:agent:${A}`] }]);
      expect((await h.store.get(g.row.id))?.members).toEqual([C, B]);
    });
  });

  describe('close', () => {
    it('cancels open tasks, posts group_closed, stores the group closed and takes it off the host', async () => {
      const g = await h.open({ members: [C, A] });
      const ack = await h.send(C, g.row.id, 'task_assignment', { mode: 'async', tasks: [{ task_desc: 'd', task_abstract: 'a', assignee: [A] }] });
      await h.host.execute({ type: 'close', group_id: g.row.id, reason: 'closed_by_admin', actor: 'admin', note: 'enough' });
      expect(h.host.isOpen(g.row.id)).toBe(false);
      expect(await h.store.get(g.row.id)).toMatchObject({ state: 'closed', closeReason: 'closed_by_admin' });
      expect((await h.store.tasksOf(g.row.id)).map((t) => [t.id, t.state])).toEqual([[ack.task_ids![0], 'canceled']]);
      await expect(h.host.execute({ type: 'close', group_id: g.row.id, reason: 'canceled', actor: 'admin' })).rejects.toMatchObject({ code: 'NOT_FOUND' });
    });
  });

  describe('settle_parent_task', () => {
    it('completes the parent\'s task with a concluded sub-team\'s summary; a second settle changes nothing', async () => {
      const g = await h.open({ members: [C, A] });
      const ack = await h.send(C, g.row.id, 'task_assignment', { mode: 'sync', tasks: [{ task_desc: 'd', task_abstract: 'a', assignee: [A] }] });
      const taskId = ack.task_ids![0];
      const settle = { type: 'settle_parent_task', group_id: g.row.id, task_id: taskId, subteam: 'sub', concluded: true, summary: 'done below', close_reason: 'concluded' } as const;
      await h.host.execute(settle);
      expect(h.host.get(g.row.id)?.tasks.get(taskId)).toMatchObject({ state: 'completed' });
      expect(h.host.get(g.row.id)?.state).toBe('discussion');
      const seq = h.host.get(g.row.id)?.row.lastSeq;
      await h.host.execute({ ...settle, concluded: false });
      expect(h.host.get(g.row.id)?.row.lastSeq).toBe(seq);
    });
  });

  describe('subscribe', () => {
    const sink = (out: unknown[]): SubscriptionSink => ({
      join: (r) => out.push(r), ack: (a) => out.push(a), send: (e) => out.push(e.header.seq), drained: async () => void out.push('drained'), replayed: (s) => out.push(`replayed ${s}`),
    });

    it('replays what came after after_seq without waiting on the socket, then joins the rooms, then says replayed; writes nothing', async () => {
      const g = await h.open({ members: [C, A] });
      await h.send(C, g.row.id, 'discussion', { content: 'one', next_speaker: [A] });
      const before = await h.store.get(g.row.id);
      const out: unknown[] = [];
      await h.host.execute({ type: 'subscribe', group_id: g.row.id, by: agent(A), after_seq: 1, sink: sink(out) });
      expect(out).toEqual([2, [`group:${g.row.id}`, `group:${g.row.id}:agent:${A}`], 'replayed 2']);
      expect((await h.store.get(g.row.id))?.updatedAt).toBe(before?.updatedAt);
      await expect(h.host.execute({ type: 'subscribe', group_id: g.row.id, by: agent(B), after_seq: 0, sink: sink([]) })).rejects.toMatchObject({ code: 'NOT_MEMBER' });
    });

    it('through the reader: acks, replays page by page as the socket drains, and ends under the lock', async () => {
      const g = await h.open({ members: [C, A], maxTurns: 1000 });
      for (let i = 0; i < REPLAY_PAGE + 30; i++) await h.send(C, g.row.id, 'discussion', { content: `m${i}`, next_speaker: [C] });
      const last = g.row.lastSeq;
      const out: unknown[] = [];
      await new SessionReader(h.host, h.store, null as never).subscribe(agent(A), g.row.id, 0, sink(out));
      expect(out[0]).toEqual({ group_id: g.row.id, state: 'discussion', seq: last });
      const seqs = out.filter((x): x is number => typeof x === 'number');
      expect(seqs).toEqual(Array.from({ length: last }, (_, i) => i + 1));
      // The first page went out and drained outside the lock; the rest came under it, unpaced, before the rooms.
      expect(out.indexOf('drained')).toBe(1 + REPLAY_PAGE);
      expect(out.slice(-2)).toEqual([[`group:${g.row.id}`, `group:${g.row.id}:agent:${A}`], `replayed ${last}`]);
    });
  });

  describe('team formation: start_forming, reply_invite, and the goal row in the same transaction', () => {
    const form = (goalId: string | null) => h.form(`team-${goalId ?? 'free'}`, [A, B], { goalId });
    const invites = (id: string) => h.host.get(id)!.row.decision!.needs[0].invites;
    const insertGoal = (id: string) => h.ds.getRepository(GoalEntity).insert({
      id, goal: 'g', createdBy: 'admin', coordinator: C, coordinatorChoice: {}, maxTurns: 10, teamUpDepth: 1, status: 'pending', rootGroupId: null, result: null, reason: null, createdAt: 1, updatedAt: 1,
    });

    it('a decline invites the next candidate; an accept opens the group, after which the decision is never rewritten', async () => {
      const id = await form(null);
      const [first] = invites(id);
      await expect(h.host.execute({ type: 'reply_invite', group_id: id, by: agent(B), invite_id: first.invite_id, accept: true, max_groups: 10 })).rejects.toMatchObject({ code: 'FORBIDDEN' });
      await h.host.execute({ type: 'reply_invite', group_id: id, by: agent(A), invite_id: first.invite_id, accept: false, reason: 'busy', max_groups: 10 });
      const second = invites(id)[1];
      expect(second).toMatchObject({ agent_id: B, status: 'pending' });
      await h.host.execute({ type: 'reply_invite', group_id: id, by: agent(B), invite_id: second.invite_id, accept: true, max_groups: 10 });
      expect(h.host.get(id)?.state).toBe('discussion');
      expect((await h.store.get(id))?.decision?.outcome).toBe('opened');
      // A step after the group opened leaves the stored decision alone.
      await h.ds.query(`UPDATE groups SET decision = '{"marker":true}' WHERE id = ?`, [id]);
      await h.send(C, id, 'discussion', { content: 'go', next_speaker: [B] });
      expect((await h.ds.query('SELECT decision FROM groups WHERE id = ?', [id]))[0].decision).toBe('{"marker":true}');
    });

    it('a goal\'s row moves with its root team\'s steps, in their transactions', async () => {
      await insertGoal('goal-1');
      const heal = await h.failCommits();
      // better-sqlite3's errors are not always Errors to Jest's realm (`rejects.toThrow` misses them): compare messages.
      expect(await form('goal-1').then(() => 'resolved', (e: Error) => e.message)).toBe('database unavailable');
      expect(await h.goal('goal-1')).toMatchObject({ status: 'pending', rootGroupId: null });
      await heal();
      const id = await form('goal-1');
      expect(await h.goal('goal-1')).toMatchObject({ status: 'running', rootGroupId: id });
      await h.host.execute({ type: 'reply_invite', group_id: id, by: agent(A), invite_id: invites(id)[0].invite_id, accept: true, max_groups: 10 });
      await h.send(C, id, 'conclusion', { summary: 'all done' });
      expect(await h.goal('goal-1')).toMatchObject({ status: 'completed', result: 'all done', reason: null });
    });

    it('a root team that fails in its first step (no candidate) fails its goal in that step', async () => {
      await insertGoal('goal-3');
      const id = await h.form('team-lonely', [], { goalId: 'goal-3' });
      expect(h.host.isOpen(id)).toBe(false);
      expect(await h.goal('goal-3')).toMatchObject({ status: 'failed', rootGroupId: id, reason: 'root team failed to form: every candidate declined or did not answer' });
    });

    it('only the goal\'s own root team moves it: a second team formed for it changes nothing', async () => {
      await insertGoal('goal-4');
      const first = await h.form('team-first', [A], { goalId: 'goal-4' });
      const second = await h.form('team-second', [B], { goalId: 'goal-4' });
      expect(await h.goal('goal-4')).toMatchObject({ status: 'running', rootGroupId: first });
      await h.host.execute({ type: 'reply_invite', group_id: second, by: agent(B), invite_id: invites(second)[0].invite_id, accept: true, max_groups: 10 });
      await h.send(C, second, 'conclusion', { summary: 'not mine to give' });
      expect(await h.goal('goal-4')).toMatchObject({ status: 'running', result: null });
    });

    it('invite_member: an invite never outlives what it was sent for — an admin\'s add or remove, or the group closing', async () => {
      const admin = { role: 'admin', id: 'admin', jti: null } as const;
      const g = await h.open({ members: [C, A] });
      const id = g.row.id;
      const invite = (to: string) => h.host.execute({ type: 'invite_member', group_id: id, by: agent(C), agent_id: to });
      const reply = (who: string, inviteId: string, max = 10) => h.host.execute({ type: 'reply_invite', group_id: id, by: agent(who), invite_id: inviteId, accept: true, max_groups: max });
      const toB = await invite(B);
      await expect(invite(B)).rejects.toMatchObject({ code: 'CONFLICT' });
      await h.host.execute({ type: 'change_members', group_id: id, by: admin, add: B });
      await h.host.execute({ type: 'change_members', group_id: id, by: admin, remove: B });
      // Removed after an admin added it: the old invite does not let it back in.
      await expect(reply(B, toB.invite_id)).rejects.toMatchObject({ code: 'CONFLICT', message: 'this invite is already withdrawn' });
      // One open group already (a group of its own): an agent allowed one group cannot accept another.
      await h.open({ members: ['dave'] });
      const toDave = await invite('dave');
      await expect(reply('dave', toDave.invite_id, 1)).rejects.toMatchObject({ code: 'CONFLICT', message: expect.stringContaining('max_concurrent_groups (1)') });
      expect(h.host.get(id)?.members).toEqual([C, A]);
      await h.host.execute({ type: 'close', group_id: id, reason: 'closed_by_admin', actor: 'admin' });
      const stored = (await h.store.get(id))!.decision!.needs.map((n) => [n.invites[0].agent_id, n.invites[0].status, n.invites[0].reason]);
      expect(stored).toEqual([[B, 'withdrawn', 'added by admin'], ['dave', 'withdrawn', 'group closed']]);
    });

    it('start_forming is a forming group\'s first step only', async () => {
      const id = await form(null);
      await expect(h.host.execute({ type: 'start_forming', group_id: id, by: C, payload: { goal: 'g', team_members: [] } as never, message_id: 'again', digest: 'd' }))
        .rejects.toMatchObject({ code: 'CONFLICT' });
    });

    it('start_subteam creates the sub-team and announces it in the parent, for an open task only', async () => {
      const parent = await h.open({ members: [C, A] });
      const ack = await h.send(C, parent.row.id, 'task_assignment', { mode: 'async', tasks: [{ task_desc: 'd', task_abstract: 'a', assignee: [A] }] });
      const task = ack.task_ids![0];
      await h.formSubteam('sub-1', { group: parent.row.id, task }, A, [B]);
      expect(h.host.get('sub-1')).toMatchObject({ state: 'forming', row: { parentGroupId: parent.row.id, parentTaskId: task } });
      expect(await h.system(parent.row.id)).toEqual(['goal@0', 'subteam_formed@0']);
      await h.host.execute({ type: 'settle_parent_task', group_id: parent.row.id, task_id: task, subteam: 'sub-1', concluded: true, summary: 'done', close_reason: 'concluded' });
      await expect(h.formSubteam('sub-2', { group: parent.row.id, task }, A, [B])).rejects.toMatchObject({ code: 'FORBIDDEN' });
      expect(h.host.isOpen('sub-2')).toBe(false);
    });

    it('a canceled goal keeps its cancellation when its root team closes', async () => {
      await insertGoal('goal-2');
      const id = await form('goal-2');
      await h.ds.getRepository(GoalEntity).update({ id: 'goal-2' }, { status: 'canceled' });
      await h.host.execute({ type: 'close', group_id: id, reason: 'canceled', actor: 'admin' });
      expect(await h.goal('goal-2')).toMatchObject({ status: 'canceled' });
    });
  });
});
