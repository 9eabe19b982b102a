import { ManualClock } from '../../../../../test/doubles/manual-time';
import { InviteBudgets } from './forming-steps';

describe('InviteBudgets: per requester → agent, per requester, per agent, each named when spent', () => {
  it('names the budget an invite ran into, and refills each over a minute', () => {
    const clock = new ManualClock();
    const budgets = new InviteBudgets(3, 1, () => clock.now());
    expect(budgets.take('r', 'a')).toBeNull();
    expect(budgets.take('r', 'a')).toBe('requester → agent');
    expect([budgets.take('r', 'b'), budgets.take('r', 'c'), budgets.take('r', 'd')]).toEqual([null, null, 'requester']);
    // An agent receives at most ten times the requester budget (30) from everyone.
    const senders = Array.from({ length: 31 }, (_, i) => budgets.take(`s${i}`, 'popular'));
    expect(senders.slice(0, 30).every((x) => x === null)).toBe(true);
    expect(senders[30]).toBe('agent');
    clock.t += 60_000;
    expect([budgets.take('r', 'a'), budgets.take('s30', 'popular')]).toEqual([null, null]);
  });
});
