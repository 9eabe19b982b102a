import goals from '../../test/fixtures/goals.json';
import { FixtureRetrieval } from './retrieval-quality';

/**
 * Precision and recall of the team chosen for each goal of the frozen test split against its expected team, choosing
 * as team formation does: each need's best candidate not already chosen for an earlier need.
 */
export async function teamQuality(retrieval: FixtureRetrieval, use: 'lexical' | 'fused'): Promise<{ precision: number; recall: number; exact_teams: number }> {
  let chosenRight = 0;
  let chosen = 0;
  let expected = 0;
  let exact = 0;
  for (const g of goals.test) {
    const team: string[] = [];
    for (const need of g.needs) {
      const pick = (await retrieval.rank(need, use)).find((name) => !team.includes(name));
      if (pick) team.push(pick);
    }
    const right = team.filter((name) => g.expected_team.includes(name)).length;
    chosenRight += right;
    chosen += team.length;
    expected += g.expected_team.length;
    if (right === g.expected_team.length && team.length === right) exact++;
  }
  const r = (x: number) => Math.round(x * 1000) / 1000;
  return { precision: r(chosenRight / chosen), recall: r(chosenRight / expected), exact_teams: r(exact / goals.test.length) };
}
