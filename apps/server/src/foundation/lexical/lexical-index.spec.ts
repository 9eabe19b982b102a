import { LexicalIndex } from './lexical-index';
import { QueryExpander } from './wordnet';

/** A named double for WordNet: a fixed table of analyzed (stemmed) terms. */
class TableExpander implements QueryExpander {
  constructor(private readonly table: Record<string, Array<{ term: string; weight: number }>>) {}
  expand(term: string): Array<{ term: string; weight: number }> {
    return this.table[term] ?? [];
  }
}

const ids = (index: LexicalIndex, query: string, k = 10): string[] => index.search(query, k).map((h) => h.docId);

describe('LexicalIndex (BM25)', () => {
  it('ranks documents containing the query terms, best first, with positive scores', () => {
    const index = new LexicalIndex();
    index.add('weather', 'Predicts rain, temperature and wind for any city.');
    index.add('chess', 'Analyzes your chess games and suggests better moves.');
    index.add('music', 'Suggests songs and albums based on your taste.');
    const hits = index.search('will it rain tomorrow in my city', 10);
    expect(hits.map((h) => h.docId)).toEqual(['weather']);
    expect(hits[0].score).toBeGreaterThan(0);
  });

  it('weighs a rare term above a common one (IDF)', () => {
    const index = new LexicalIndex();
    index.add('a', 'report about chess');
    index.add('b', 'report about weather');
    index.add('c', 'report about music');
    index.add('d', 'report about news');
    // "report" is in every document, "chess" in one: the chess document must win.
    expect(ids(index, 'weather report')[0]).toBe('b');
  });

  it('prefers the shorter of two documents with the same term frequency, and more occurrences to fewer', () => {
    const index = new LexicalIndex();
    index.add('short', 'invoice extraction');
    index.add('long', 'invoice extraction for vendors with line items totals receipts and bookkeeping exports');
    index.add('other', 'weather forecast');
    expect(ids(index, 'invoice')).toEqual(['short', 'long']);

    const tf = new LexicalIndex();
    tf.add('once', 'budget planning tool for teams');
    tf.add('twice', 'budget budget planning for teams');
    tf.add('other', 'weather forecast');
    expect(ids(tf, 'budget')[0]).toBe('twice');
  });

  it('returns at most k hits, nothing for k <= 0, and nothing for a query of stop words only', () => {
    const index = new LexicalIndex();
    for (let i = 0; i < 20; i++) index.add(`d${i}`, `translation service number ${i}`);
    expect(index.search('translation', 5)).toHaveLength(5);
    expect(index.search('translation', 0)).toEqual([]);
    expect(index.search('what is it that you would do for me', 5)).toEqual([]);
  });

  it('stems, so inflected and derived forms meet', () => {
    const index = new LexicalIndex();
    index.add('translator', 'Translation of documents between languages');
    index.add('weather', 'Forecasts of rain');
    expect(ids(index, 'translating a document')).toEqual(['translator']);
    expect(ids(index, 'TRANSLATES Documents!')).toEqual(['translator']);
  });

  it('splits identifiers, so capability names match plain words', () => {
    const index = new LexicalIndex();
    index.add('cap', 'translate_text: Translate a passage');
    index.add('other', 'speech-to-text: transcribe audio');
    expect(ids(index, 'text')).toEqual(expect.arrayContaining(['cap', 'other']));
    expect(ids(index, 'speech')).toEqual(['other']);
  });
});

describe('LexicalIndex add / replace / remove', () => {
  it('replaces a document added again under the same id', () => {
    const index = new LexicalIndex();
    index.add('a', 'weather forecast');
    index.add('a', 'chess coach');
    expect(index.size).toBe(1);
    expect(ids(index, 'weather')).toEqual([]);
    expect(ids(index, 'chess')).toEqual(['a']);
  });

  it('removes documents, ignores unknown ids, and keeps IDF exact', () => {
    const index = new LexicalIndex();
    index.add('a', 'chess openings');
    index.add('b', 'chess endgames');
    index.add('c', 'weather');
    const before = index.search('chess', 1)[0].score;
    index.remove('b');
    index.remove('never-added');
    expect(index.size).toBe(2);
    expect(ids(index, 'endgames')).toEqual([]);
    // With "chess" in fewer documents it is rarer, so the remaining match scores higher.
    expect(index.search('chess', 1)[0].score).toBeGreaterThan(before);
  });

  it('stays consistent through heavy churn with recycled internal slots', () => {
    const index = new LexicalIndex();
    for (let round = 0; round < 5; round++) {
      for (let i = 0; i < 50; i++) index.add(`doc${i}`, `topic${(i + round) % 7} common words`);
      for (let i = 0; i < 50; i += 2) index.remove(`doc${i}`);
    }
    expect(index.size).toBe(25);
    const hits = index.search('topic3', 100).map((h) => h.docId);
    const expected = [];
    for (let i = 1; i < 50; i += 2) if ((i + 4) % 7 === 3) expected.push(`doc${i}`);
    expect(hits.sort()).toEqual(expected.sort());
  });
});

describe('LexicalIndex accept filter', () => {
  it('filters before taking the top k, and asks only about candidates', () => {
    const index = new LexicalIndex();
    index.add('best', 'invoice invoice extraction');
    index.add('second', 'invoice extraction and more words here');
    index.add('third', 'invoice with many more unrelated words in this document');
    index.add('none', 'weather');
    const asked: string[] = [];
    const hits = index.search('invoice', 1, (id) => {
      asked.push(id);
      return id !== 'best';
    });
    expect(hits.map((h) => h.docId)).toEqual(['second']);
    expect(asked).not.toContain('none');
  });
});

describe('LexicalIndex expansion', () => {
  const expander = new TableExpander({
    automobil: [{ term: 'car', weight: 0.9 }],
    car: [{ term: 'vehicl', weight: 0.6 }],
  });

  it('bridges a synonym on the query side: "automobile" finds a document about cars', () => {
    const index = new LexicalIndex({ expander, docExpansion: 0 });
    index.add('rental', 'Car rental at the airport');
    index.add('weather', 'Rain forecast at the airport');
    expect(ids(index, 'automobile')).toEqual(['rental']);
  });

  it('bridges on the document side: a document about cars is found by "vehicle"', () => {
    const index = new LexicalIndex({ expander, queryExpansion: 0 });
    index.add('rental', 'Car rental');
    index.add('weather', 'Rain forecast');
    expect(ids(index, 'vehicle')).toEqual(['rental']);
  });

  it('weighs an expansion below the word itself', () => {
    const index = new LexicalIndex({ expander });
    index.add('literal', 'automobile museum');
    index.add('synonym', 'car museum');
    index.add('other', 'weather');
    expect(ids(index, 'automobile')).toEqual(['literal', 'synonym']);
  });

  it('does not let a query expansion meet a document expansion', () => {
    const index = new LexicalIndex({
      expander: new TableExpander({ lamp: [{ term: 'light', weight: 1 }], bulb: [{ term: 'light', weight: 1 }] }),
    });
    index.add('bulbs', 'bulb shop');
    expect(ids(index, 'lamp')).toEqual([]);
  });

  it('is plain BM25 without an expander', () => {
    const index = new LexicalIndex();
    index.add('rental', 'Car rental');
    expect(ids(index, 'automobile')).toEqual([]);
  });
});
