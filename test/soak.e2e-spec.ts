import { soak } from '../bench/support/soak';

/** The short version of `npm run bench -- soak`: three SIGKILLs of a busy server, nothing lost, doubled or out of seq. */
describe('crash-safety soak (real server killed with SIGKILL while acks are in flight, real SQLite file)', () => {
  it('keeps every acknowledged message exactly once, under its acked seq, with no gap', async () => {
    const result = await soak({ kills: Number(process.env.IOA_SOAK_KILLS ?? 3), groups: 4 });
    expect(result).toMatchObject({ lost: 0, doubled: 0, gaps: 0, seq_mismatches: 0 });
    expect(result.acked).toBeGreaterThan(0);
    // Messages were in flight at the kills, so the resend path ran.
    expect(result.in_flight_at_kill).toBeGreaterThan(0);
  }, 120_000);
});
