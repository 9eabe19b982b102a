import { RateLimiter } from './rate-limiter';

describe('RateLimiter', () => {
  let now = 0;
  const limiter = () => new RateLimiter(2, 3, () => now);

  beforeEach(() => (now = 0));

  it('allows a burst, then the sustained rate', () => {
    const l = limiter();
    expect([l.take('a'), l.take('a'), l.take('a'), l.take('a')]).toEqual([true, true, true, false]);
    now += 500;
    expect([l.take('a'), l.take('a')]).toEqual([true, false]);
    expect(l.take('b')).toBe(true);
  });

  it('drops the buckets of keys idle long enough to have refilled, so memory follows the active keys', () => {
    const l = limiter();
    for (let i = 0; i < 1000; i++) l.take(`agent-${i}`);
    expect(l.size).toBe(1000);
    now += 60_000;
    l.take('busy');
    expect(l.size).toBe(1);
  });
});
