import type { NeedRecord, TeamDecision } from '../../data/groups/group.entity';
import { needOf, nextCandidate } from './node-candidates';

const slot = (need: string | null, accepted: string[], candidates: string[], extra: Partial<NeedRecord> = {}): NeedRecord => ({
  need, count: 1, candidates: candidates.map((agent_id) => ({ agent_id, score: 0.5, matched: 'dense', contact: false })),
  invites: accepted.map((agent_id) => ({ invite_id: `inv-${agent_id}`, agent_id, status: 'accepted' as const, sent_at: 0, deadline: 1 })), ...extra,
});
const decision = (...needs: NeedRecord[]): TeamDecision => ({ requester: 'coord', needs, outcome: 'opened' });

describe('a reassigned graph node', () => {
  const translate = slot('translate into Spanish', ['t1'], ['t1', 'coord', 't2', 't3']);

  it.each<[string, TeamDecision | null, string[] | null, NeedRecord | null]>([
    ['its assignee joined for a need: that need', decision(slot('draw', ['d1'], ['d1']), translate), ['t1'], translate],
    ['its assignee was named: none', decision(slot(null, ['t1'], ['t1'])), ['t1'], null],
    ['an admin\'s group: none', null, ['t1'], null],
  ])('follows the need %s', (_, d, tried, expected) => {
    expect(needOf(d, { id: 'task-1', tried })).toBe(expected);
  });

  it('follows the latest slot opened for the node itself', () => {
    const forNode = slot('translate into Spanish', [], ['t1', 't2', 't3'], { task_id: 'task-1' });
    expect(needOf(decision(translate, forNode), { id: 'task-1', tried: ['t1', 't2'] })).toBe(forNode);
    expect(needOf(decision(translate, forNode), { id: 'task-2', tried: ['t1'] })).toBe(translate);
  });

  const invite = (agent_id: string, status: 'pending' | 'declined' | 'expired' | 'accepted') => ({ invite_id: agent_id, agent_id, status, sent_at: 0, deadline: 1 });

  it.each<[string, string[], Array<[string, 'pending' | 'declined' | 'expired' | 'accepted']>, string[], string | null]>([
    ['the next in rank, never the coordinator', ['t1'], [], ['coord', 't1'], 't2'],
    ['past those it had or was offered to', ['t1', 't2'], [], ['coord', 't1'], 't3'],
    ['past one with an invite pending', ['t1'], [['t2', 'pending']], ['coord', 't1'], 't3'],
    ['past one that declined the need before', ['t1'], [['t2', 'declined']], ['coord', 't1'], 't3'],
    ['past one that joined for the need and has left', ['t1'], [['t2', 'accepted']], ['coord', 't1'], 't3'],
    ['a member that joined for the need and stayed', ['t1'], [['t2', 'accepted']], ['coord', 't1', 't2'], 't2'],
    ['none when every candidate was tried', ['t1', 't2', 't3'], [], ['coord'], null],
  ])('offers it to %s', (_, tried, asked, members, expected) => {
    const need = { ...translate, invites: [...translate.invites, ...asked.map(([id, status]) => invite(id, status))] };
    expect(nextCandidate(need, { tried }, decision(need), { coordinator: 'coord', members })).toBe(expected);
  });
});
