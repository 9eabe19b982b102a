import 'reflect-metadata';
import { ErrorCode } from '@ioa/protocol';
import type { Principal } from '../../foundation/security/principal';
import { Access, addsMembersDirectly, refusal } from './access';

/** `c` coordinates group `g` (goal `G`, created by `c`) with member `m`; `x` is a stranger. */
const WHO: Record<string, Principal> = {
  admin: { role: 'admin', id: 'admin', jti: null },
  coordinator: { role: 'agent', id: 'c', jti: 'j1' },
  member: { role: 'agent', id: 'm', jti: 'j2' },
  stranger: { role: 'agent', id: 'x', jti: 'j3' },
  'observer of all': { role: 'observer', id: 'o1', jti: 'o1', scope: { all: true } },
  'observer of the group': { role: 'observer', id: 'o2', jti: 'o2', scope: { groups: ['g'] } },
  'observer of the goal': { role: 'observer', id: 'o3', jti: 'o3', scope: { goals: ['G'] } },
  'observer of another': { role: 'observer', id: 'o4', jti: 'o4', scope: { groups: ['other'], goals: ['other'] } },
  'participant of the goal': { role: 'participant', id: 'p1', jti: 'p1', scope: { goals: ['G'] } },
  'participant named': { role: 'participant', id: 'p2', jti: 'p2', scope: { groups: ['g'] } },
  'participant named, elsewhere': { role: 'participant', id: 'p2', jti: 'p2b', scope: { groups: ['other'] } },
  'participant of another': { role: 'participant', id: 'p3', jti: 'p3', scope: { groups: ['other'], goals: ['other'] } },
  'person who is a member': { role: 'participant', id: 'm', jti: 'p4', scope: { groups: ['other'] } },
  'client that submitted G': { role: 'client', id: 'c', jti: 'k1' },
  'another client': { role: 'client', id: 'k', jti: 'k2' },
  enrollment: { role: 'enrollment', id: 'e', jti: 'e' },
};
const group = { id: 'g', members: ['c', 'm'], goalId: 'G', coordinator: 'c' };

const ACCESS: Record<string, Access> = {
  'group.read': { action: 'group.read', group },
  'group.send': { action: 'group.send' },
  'group.create (coordinated by c)': { action: 'group.create', coordinator: 'c' },
  'group.members (add)': { action: 'group.members', group },
  'group.members (m leaves)': { action: 'group.members', group, remove: 'm' },
  'team.form': { action: 'team.form' },
  'goal.read': { action: 'goal.read', goal: { id: 'G', coordinator: 'c', createdBy: 'c' } },
  'decision.read': { action: 'decision.read', requester: 'c', group },
  'contacts.read (of m)': { action: 'contacts.read', agentId: 'm' },
  'agent.change (of m)': { action: 'agent.change', agentId: 'm' },
  'approval.decide (naming nobody)': { action: 'approval.decide', approvers: null, group },
  'approval.decide (naming p2)': { action: 'approval.decide', approvers: ['p2'], group },
  'goal.cancel': { action: 'goal.cancel', goal: { createdBy: 'c' } },
  'goal.message': { action: 'goal.message', goal: { createdBy: 'c' } },
};

const ok = null;
const F = ErrorCode.FORBIDDEN;
const N = ErrorCode.NOT_MEMBER;
/** Expected outcome: a row per principal, a column per access, in the order of WHO and ACCESS. */
const TABLE: Record<string, Array<ErrorCode | null>> = {
  //                       read send create add leave form goal dec  cont agent appr named cancel msg
  admin:                  [ok,  F,   ok,   ok,  ok,   F,   ok,  ok,  ok,  ok,  ok,  ok, ok, ok],
  coordinator:            [ok,  ok,  ok,   ok,  ok,   ok,  ok,  ok,  F,   F,   F,   F, F, ok],
  member:                 [ok,  ok,  F,    F,   ok,   ok,  F,   F,   ok,  ok,  F,   F, F, F],
  stranger:               [N,   ok,  F,    N,   N,    ok,  F,   F,   F,   F,   F,   F, F, F],
  'observer of all':      [ok,  F,   F,    F,   F,    F,   ok,  ok,  F,   F,   F,   F, F, F],
  'observer of the group': [ok, F,   F,    F,   F,    F,   F,   ok,  F,   F,   F,   F, F, F],
  'observer of the goal': [ok,  F,   F,    F,   F,    F,   ok,  ok,  F,   F,   F,   F, F, F],
  'observer of another':  [F,   F,   F,    F,   F,    F,   F,   F,   F,   F,   F,   F, F, F],
  'participant of the goal': [ok, ok, F,    F,   F,    F,   ok,  ok,  F,   F,   ok,  F, F, F],
  'participant named':    [ok,  ok,  F,    F,   F,    F,   F,   ok,  F,   F,   ok,  ok, F, F],
  'participant named, elsewhere': [F, ok, F,  F,   F,    F,   F,   F,   F,   F,   F,   F, F, F],
  'participant of another': [F,  ok,  F,    F,   F,    F,   F,   F,   F,   F,   F,   F, F, F],
  'person who is a member': [ok, ok,  F,    F,   ok,   F,   F,   F,   F,   F,   F,   F, F, F],
  'client that submitted G': [F, F,  F,    F,   F,    F,   ok,  F,   F,   F,   F,   F,   ok, ok],
  'another client':       [F,   F,   F,    F,   F,    F,   F,   F,   F,   F,   F,   F,   F, F],
  enrollment:             [F,   F,   F,    F,   F,    F,   F,   F,   F,   F,   F,   F, F, F],
};

describe('access: who may read or do what', () => {
  const cases = Object.entries(TABLE).flatMap(([who, row]) => Object.keys(ACCESS).map((what, i) => [who, what, row[i]] as const));

  it('has a row per principal and a cell per access', () => {
    expect(Object.keys(TABLE)).toEqual(Object.keys(WHO));
    for (const row of Object.values(TABLE)) expect(row).toHaveLength(Object.keys(ACCESS).length);
  });

  it.each(cases)('%s → %s: %s', (who, what, expected) => {
    expect(refusal(WHO[who], ACCESS[what])?.code ?? null).toBe(expected);
  });

  it('an agent creating a group without naming a coordinator coordinates it', () => {
    expect(refusal(WHO.member, { action: 'group.create' })).toBeNull();
  });

  it('only an admin makes other agents members without inviting them', () => {
    expect(Object.entries(WHO).filter(([, p]) => addsMembersDirectly(p)).map(([who]) => who)).toEqual(['admin']);
  });

  it('a group without a goal is not in any goal scope', () => {
    const orphan = { action: 'group.read', group: { ...group, goalId: null } } as const;
    expect(refusal(WHO['observer of the goal'], orphan)?.code).toBe(F);
  });
});
