import { soak } from './support/soak';

/**
 * `npm run bench -- soak`: crash safety under load, `IOA_SOAK_KILLS` (default 30) SIGKILLs of a server whose
 * `IOA_SOAK_GROUPS` (default 10) groups are sending with acks in flight. Lost, doubled, gaps and seq mismatches
 * must be 0; a short version runs in the test suite (`test/soak.e2e-spec.ts`).
 */
export async function run() {
  const kills = Number(process.env.IOA_SOAK_KILLS ?? 30);
  const groups = Number(process.env.IOA_SOAK_GROUPS ?? 10);
  const result = await soak({ kills, groups });
  const clean = result.lost === 0 && result.doubled === 0 && result.gaps === 0 && result.seq_mismatches === 0;
  return { name: 'soak', ...result, target: { lost: 0, doubled: 0, gaps: 0, seq_mismatches: 0 }, met: clean };
}
