import type { GroupState, TaskState } from '@ioa/protocol';
import { GroupEntity, InviteRecord } from '../../data/groups/group.entity';
import { TaskEntity } from '../../data/tasks/task.entity';
import { Deadline, DeadlineSubject, deadlinesOf, dueAt, goalAcceptAfterStart, goalAcceptDeadline, nextDue, shiftDeadlines, socketAuthDeadlines } from './deadlines';

const C = 'coord';
const task = (id: string, state: TaskState, deadline: number | null, graceDeadline: number | null = null) =>
  Object.assign(new TaskEntity(), { id, state, deadline, graceDeadline });
const invite = (invite_id: string, status: InviteRecord['status'], deadline: number): InviteRecord =>
  ({ invite_id, agent_id: `agent-${invite_id}`, status, sent_at: 0, deadline });

const acks = (waiting: string[], deadline: number): NonNullable<GroupEntity['rollbackAcks']> =>
  ({ checkpoint_id: 'c1', deadline, waiting, late: [], suspended: [], view: { group_id: 'g', checkpoint_id: 'c1', at_seq: 1, invalidated: [], restored: [], canceled: [] } });

function group(state: GroupState, row: Partial<GroupEntity> = {}, holders: string[] = [], tasks: TaskEntity[] = []): DeadlineSubject & { row: GroupEntity; tasks: TaskEntity[] } {
  const full = Object.assign(new GroupEntity(), {
    state, coordinator: C, turnDeadline: null, conclusionDeadline: null, formingDeadline: null, decision: null, ...row,
  });
  return { row: full, state, holders, tasks };
}

describe('deadlines: every kind, when it is due', () => {
  it.each<[string, ReturnType<typeof group>, Deadline[]]>([
    ['a member holds the turn', group('discussion', { turnDeadline: 10 }, ['alice']), [{ kind: 'turn', at: 10 }]],
    ['several members hold the turn', group('discussion', { turnDeadline: 10 }, ['alice', C]), [{ kind: 'turn', at: 10 }]],
    ['a person holds the turn', group('discussion', { turnDeadline: 10, humans: ['hana'] }, ['hana']), [{ kind: 'human_turn', at: 10 }]],
    ['a person and an agent hold the turn', group('discussion', { turnDeadline: 10, humans: ['hana'] }, ['alice', 'hana']), [{ kind: 'human_turn', at: 10 }]],
    ['members owe a rollback acknowledgement', group('discussion', { rollbackAcks: acks(['a1'], 20) }), [{ kind: 'rollback_ack', at: 20 }]],
    ['every acknowledgement is in (or late)', group('discussion', { rollbackAcks: { ...acks([], 20), late: ['a1'] } }), []],
    ['an approval waits', group('sync_task_assignment', {}, [], [Object.assign(task('a1', 'submitted', 12), { kind: 'approval' })]), [{ kind: 'approval', at: 12, taskId: 'a1' }]],
    ['the coordinator holds the turn', group('discussion', { turnDeadline: 10 }, [C]), [{ kind: 'coordinator', at: 10 }]],
    ['conclusion waits for the summary', group('conclusion', { conclusionDeadline: 20, turnDeadline: 5 }, [C]), [{ kind: 'conclusion', at: 20 }]],
    ['forming: pending invites, then the forming deadline', group('forming', {
      formingDeadline: 30,
      decision: { requester: C, outcome: 'forming', needs: [{ need: 'x', count: 2, candidates: [], invites: [invite('i1', 'pending', 12), invite('i2', 'declined', 3), invite('i3', 'pending', 14)] }] },
    }), [{ kind: 'invite', at: 12, inviteId: 'i1' }, { kind: 'invite', at: 14, inviteId: 'i3' }, { kind: 'forming', at: 30 }]],
    ['an invite into an open group waits in any open state; a forming deadline left on the row does not', group('sync_task_assignment', {
      formingDeadline: 30,
      decision: { requester: C, outcome: 'opened', needs: [{ need: null, count: 1, candidates: [], invites: [invite('i1', 'pending', 12), invite('i2', 'accepted', 3)] }] },
    }), [{ kind: 'invite', at: 12, inviteId: 'i1' }]],
    ['open tasks (deadline, and grace while suspended) come first; settled tasks have none', group('sync_task_assignment', {}, [], [
      task('t1', 'running', 40), task('t2', 'suspended', 50, 45), task('t3', 'completed', 1), task('t4', 'submitted', null), task('t5', 'failed', null, 2),
    ]), [{ kind: 'task', at: 40, taskId: 't1' }, { kind: 'task', at: 50, taskId: 't2' }, { kind: 'task_grace', at: 45, taskId: 't2' }]],
    ['a graph node failed under retry waits for its next run; a pending node has no deadline yet', group('sync_task_assignment', {}, [], [
      Object.assign(task('n1', 'failed', null), { nodeState: 'ready', retryAt: 70 }), Object.assign(task('n2', 'submitted', null), { nodeState: 'pending', retryAt: null }),
      Object.assign(task('n3', 'failed', null), { nodeState: 'settled', retryAt: 80 }),
    ]), [{ kind: 'node_retry', at: 70, taskId: 'n1' }]],
    ['a deadline column of another state is ignored', group('pause_and_trigger', { turnDeadline: 10, conclusionDeadline: 10, formingDeadline: 10 }), []],
    ['a time that is not a finite number (a damaged row) is no deadline', group('discussion', { turnDeadline: NaN }, ['alice']), []],
    ['a closed group waits on nothing', group('closed', { turnDeadline: 10 }, [], [task('t1', 'running', 40)]), []],
    ['a paused group waits on nothing: its resume moves every deadline on', group('discussion', { turnDeadline: 10, pause: { at: 5, by: 'admin', note: null } }, ['alice'], [task('t1', 'running', 40)]), []],
  ])('%s', (_, g, expected) => {
    expect(deadlinesOf(g)).toEqual(expected);
    expect(nextDue(g)).toBe(expected.length ? Math.min(...expected.map((d) => d.at)) : null);
  });

  it('lists what is due at a time, in the order expiries apply', () => {
    const g = group('discussion', { turnDeadline: 10 }, ['alice'], [task('t1', 'running', 10), task('t2', 'running', 11)]);
    expect(dueAt(g, 9)).toEqual([]);
    expect(dueAt(g, 10)).toEqual([{ kind: 'task', at: 10, taskId: 't1' }, { kind: 'turn', at: 10 }]);
    expect(dueAt(g, 99).map((d) => d.kind)).toEqual(['task', 'task', 'turn']);
  });
});

describe('shiftDeadlines: downtime counts against nobody', () => {
  it('moves every open deadline and leaves history alone', () => {
    const g = group('forming', {
      turnDeadline: 10, conclusionDeadline: null, formingDeadline: 30,
      decision: { requester: C, outcome: 'forming', needs: [{ need: 'x', count: 1, candidates: [], invites: [invite('i1', 'pending', 12), invite('i2', 'expired', 3)] }] },
      rollbackAcks: acks(['a1'], 20),
    }, [], [task('t1', 'suspended', 40, 45), task('t2', 'completed', 5, null)]);
    shiftDeadlines(g.row, g.tasks, 1000);
    expect(g.row).toMatchObject({ turnDeadline: 1010, conclusionDeadline: null, formingDeadline: 1030, rollbackAcks: { deadline: 1020 } });
    expect(g.row.decision!.needs[0].invites.map((i) => i.deadline)).toEqual([1012, 3]);
    expect(g.tasks.map((t) => [t.deadline, t.graceDeadline])).toEqual([[1040, 1045], [5, null]]);
  });

  it.each([0, -5])('does nothing for a downtime of %i ms, nor to a closed group', (ms) => {
    const open = group('discussion', { turnDeadline: 10 });
    shiftDeadlines(open.row, [], ms);
    const closed = group('closed', { turnDeadline: 10 });
    shiftDeadlines(closed.row, [], 1000);
    expect([open.row.turnDeadline, closed.row.turnDeadline]).toEqual([10, 10]);
  });
});

describe('socketAuthDeadlines: a socket is warned before its token expires and closed after the grace', () => {
  const MIN = 60_000;
  it.each([
    ['a long-lived token: warned a minute before expiry', 0, 60 * MIN, { warnAt: 59 * MIN, closeAt: 61 * MIN }],
    ['two minutes left: still a minute before', 0, 2 * MIN, { warnAt: MIN, closeAt: 3 * MIN }],
    ['less left: at half the remaining life, never in a loop of renewals', 0, 3_000, { warnAt: 1_500, closeAt: 63_000 }],
    ['already expired: at once (the close still waits for the grace)', 10_000, 4_000, { warnAt: 7_000, closeAt: 64_000 }],
  ])('%s', (_, now, expiresAt, expected) => {
    expect(socketAuthDeadlines(expiresAt, MIN, now)).toEqual(expected);
  });
});

describe('goal accept deadlines', () => {
  const goal = (status: 'pending' | 'running' | 'failed', rootGroupId: string | null, acceptDeadline: number | null) => ({ status, rootGroupId, acceptDeadline, acceptTimeoutS: 120 });

  it('a goal waits on its coordinator only while pending without a root team', () => {
    expect(goalAcceptDeadline(goal('pending', null, 5_000))).toBe(5_000);
    expect(goalAcceptDeadline(goal('pending', 'g-1', 5_000))).toBeNull();
    expect(goalAcceptDeadline(goal('running', null, 5_000))).toBeNull();
    expect(goalAcceptDeadline(goal('pending', null, null))).toBeNull();
  });

  it('at start-up a deadline gets at least a full timeout from now (everyone reconnects first); a later one stays', () => {
    expect(goalAcceptAfterStart(goal('pending', null, 5_000), 10_000)).toBe(130_000);
    expect(goalAcceptAfterStart(goal('pending', null, null), 10_000)).toBe(130_000);
    expect(goalAcceptAfterStart(goal('pending', null, 50_000), 10_000)).toBe(130_000);
    expect(goalAcceptAfterStart(goal('pending', null, 500_000), 10_000)).toBe(500_000);
  });
});
