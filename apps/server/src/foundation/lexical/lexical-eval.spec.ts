import agents from '../../../../../test/fixtures/agents.json';
import queries from '../../../../../test/fixtures/queries.json';
import { LexicalIndex, LexicalIndexOptions } from './lexical-index';
import { WordNetExpander } from './wordnet';

// Retrieval quality of the lexical retriever alone, the way the server indexes cards: one document for the
// description (with the name's words and the skills, which carry the card's key nouns) and one per
// capability. Agents rank by their best document. Parameters are tuned on `dev` only; `test` is reported.

type Split = Array<{ query: string; expected: string }>;

function buildIndex(options: LexicalIndexOptions): LexicalIndex {
  const index = new LexicalIndex(options);
  for (const card of agents) {
    const skills = card.skills.join(', ');
    index.add(`${card.name}#description`, `${card.name.replace(/-/g, ' ')}. ${card.description} ${skills}`);
    card.capabilities.forEach((c, i) => index.add(`${card.name}#capability:${i}`, `${c.name}: ${c.description}`));
  }
  return index;
}

function rankAgents(index: LexicalIndex, query: string): string[] {
  const ranked: string[] = [];
  for (const hit of index.search(query, index.size)) {
    const agent = hit.docId.slice(0, hit.docId.indexOf('#'));
    if (!ranked.includes(agent)) ranked.push(agent);
  }
  return ranked;
}

function evaluate(index: LexicalIndex, split: Split): { top1: number; top5: number } {
  let top1 = 0;
  let top5 = 0;
  for (const q of split) {
    const rank = rankAgents(index, q.query).indexOf(q.expected);
    if (rank === 0) top1++;
    if (rank >= 0 && rank < 5) top5++;
  }
  return { top1: top1 / split.length, top5: top5 / split.length };
}

const pct = (x: number): string => `${(100 * x).toFixed(1)}%`;

// The project's target for lexical retrieval alone is test Top-1 >= 60%. WordNet expansion as built here
// measures 43.4% (plain BM25: 35.4%), so the assertion guards against regression from the measured value
// rather than claiming the target; the gap is printed with every run.
const TARGET_TEST_TOP1 = 0.6;
const FLOOR_TEST_TOP1 = 0.42;

describe('lexical retrieval on the agent fixtures', () => {
  let expander: WordNetExpander;
  beforeAll(() => {
    expander = WordNetExpander.fromPackage();
  }, 30_000);

  it('reports plain BM25 and BM25 with WordNet expansion on dev and test', () => {
    const configs: Array<[string, LexicalIndex]> = [
      ['plain BM25', buildIndex({})],
      ['BM25 + WordNet', buildIndex({ expander })],
    ];
    const results = configs.map(([name, index]) => {
      const dev = evaluate(index, queries.dev);
      const test = evaluate(index, queries.test);
      return { name, dev, test };
    });
    console.log(
      results
        .map(({ name, dev, test }) =>
          [
            name.padEnd(16),
            `dev top1 ${pct(dev.top1)} top5 ${pct(dev.top5)}`,
            `test top1 ${pct(test.top1)} top5 ${pct(test.top5)}`,
          ].join(' | '),
        )
        .join('\n') + `\ntarget: test top1 ${pct(TARGET_TEST_TOP1)}`,
    );
    const [plain, expanded] = results;
    expect(expanded.dev.top1).toBeGreaterThan(plain.dev.top1);
    expect(expanded.test.top1).toBeGreaterThan(plain.test.top1);
    expect(expanded.test.top1).toBeGreaterThanOrEqual(FLOOR_TEST_TOP1);
  });
});
