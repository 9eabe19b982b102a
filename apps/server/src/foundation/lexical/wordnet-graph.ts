import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { termOf } from './analyzer';
import { WordTable } from './word-table';

/** Relation kinds kept from WordNet's ~30 pointer symbols, grouped by how much meaning they carry over. */
export enum Rel {
  Hypernym = 0,
  Hyponym = 1,
  Derived = 2,
  Similar = 3,
  Entails = 4,
  Domain = 5,
  DomainMember = 6,
  Part = 7,
  Whole = 8,
}
const REL_COUNT = 9;

const POINTER_REL: Record<string, Rel> = {
  '@': Rel.Hypernym, '@i': Rel.Hypernym, '~': Rel.Hyponym, '~i': Rel.Hyponym, '+': Rel.Derived,
  '&': Rel.Similar, '^': Rel.Similar, '$': Rel.Similar, '\\': Rel.Similar, '=': Rel.Similar,
  '*': Rel.Entails, '>': Rel.Entails, ';c': Rel.Domain, '-c': Rel.DomainMember,
  '%p': Rel.Part, '%m': Rel.Part, '%s': Rel.Part, '#p': Rel.Whole, '#m': Rel.Whole, '#s': Rel.Whole,
};
const FILES = ['noun', 'verb', 'adj', 'adv'];
const FILE_OF_POS: Record<string, number> = { n: 0, v: 1, a: 2, s: 2, r: 3 };
// Pointers name a synset by (file, byte offset); offsets stay below 2^26, so the pair packs into an int32.
const key = (file: number, offset: number): number => offset * 4 + file;
// Definition words past this many are mostly qualifications that drift from the head meaning.
const MAX_GLOSS_TERMS = 12;

/** Growable Int32 column, so parsing never holds millions of boxed JS numbers. */
class IntColumn {
  private data = new Int32Array(1 << 16);
  length = 0;
  push(v: number): void {
    if (this.length === this.data.length) {
      const grown = new Int32Array(this.data.length * 2);
      grown.set(this.data);
      this.data = grown;
    }
    this.data[this.length++] = v;
  }
  done(): Int32Array {
    return this.data.slice(0, this.length);
  }
}

/** The graph's arrays, also what the start-up cache stores. */
export interface GraphArrays {
  lemmaStart: Int32Array;
  /** Lemma terms per synset; `~id` marks a word of a multi-word lemma. */
  lemmas: Int32Array;
  glossStart: Int32Array;
  gloss: Int32Array;
  ptrStart: Int32Array;
  /** Packed `target * REL_COUNT + rel`. */
  ptrs: Int32Array;
  /** Per term: in how many definitions it occurs. */
  glossDf: Int32Array;
  senseStart: Int32Array;
  /** Per term: [synset, senseRank] pairs of the single-word lemmas that analyze to it. */
  senses: Int32Array;
}

/**
 * WordNet reduced to what lexical expansion needs, over analyzed (stemmed) terms, in compressed-row
 * Int32 arrays: ~10 MB instead of the ~100 MB of one JS object per synset.
 */
export class WordNetGraph {
  private readonly termIds = new Map<string, number>();
  private readonly synsetCount: number;

  constructor(
    readonly terms: string[],
    readonly arrays: GraphArrays,
  ) {
    terms.forEach((t, i) => this.termIds.set(t, i));
    this.synsetCount = arrays.lemmaStart.length - 1;
  }

  /** Parses the `data.*` and `index.*` files of a WordNet 3.x dict directory (~1 s). */
  static parse(dictDir: string): WordNetGraph {
    return new WordNetParser(dictDir).run();
  }

  termId(term: string): number | undefined {
    return this.termIds.get(term);
  }

  /** Flat [synset, senseRank, ...] for the term, most frequent sense first within each part of speech. */
  sensesOf(termId: number): Int32Array {
    const a = this.arrays;
    return a.senses.subarray(2 * a.senseStart[termId], 2 * a.senseStart[termId + 1]);
  }

  lemmasOf(synset: number): Int32Array {
    return this.arrays.lemmas.subarray(this.arrays.lemmaStart[synset], this.arrays.lemmaStart[synset + 1]);
  }

  glossOf(synset: number): Int32Array {
    return this.arrays.gloss.subarray(this.arrays.glossStart[synset], this.arrays.glossStart[synset + 1]);
  }

  forEachPointer(synset: number, visit: (target: number, rel: Rel) => void): void {
    const { ptrStart, ptrs } = this.arrays;
    for (let i = ptrStart[synset]; i < ptrStart[synset + 1]; i++) {
      visit(Math.floor(ptrs[i] / REL_COUNT), ptrs[i] % REL_COUNT);
    }
  }

  /**
   * How rarely the term occurs in definitions, log-scaled to [0, 1]: ~0 for words used everywhere
   * ("make", "person"), 1 for words no definition uses. A stand-in for IDF in general English.
   */
  specificity(termId: number): number {
    const df = this.arrays.glossDf[termId] ?? 0;
    return Math.log((this.synsetCount + 1) / (df + 1)) / Math.log(this.synsetCount + 1);
  }
}

class WordNetParser {
  private readonly terms: string[] = [];
  private readonly termIds = new Map<string, number>();
  // A word's term id, or -1 if analysis drops it.
  private readonly table = new WordTable((word) => {
    const term = termOf(word);
    return term ? this.intern(term) : -1;
  });
  private readonly synsetIds = new Map<number, number>();
  private readonly lemmaStart = new IntColumn();
  private readonly lemmas = new IntColumn();
  private readonly glossStart = new IntColumn();
  private readonly gloss = new IntColumn();
  private readonly ptrStart = new IntColumn();
  private readonly ptrKeys = new IntColumn();
  private readonly ptrRels = new IntColumn();

  constructor(private readonly dictDir: string) {}

  run(): WordNetGraph {
    FILES.forEach((name, file) => this.eachLine(`data.${name}`, (line) => this.synset(line, file)));
    this.lemmaStart.push(this.lemmas.length);
    this.glossStart.push(this.gloss.length);
    this.ptrStart.push(this.ptrRels.length);
    const keys = this.ptrKeys.done();
    const rels = this.ptrRels.done();
    const ptrs = new Int32Array(rels.length);
    for (let p = 0; p < rels.length; p++) ptrs[p] = (this.synsetIds.get(keys[p]) ?? 0) * REL_COUNT + rels[p];
    const senseTerms = new IntColumn();
    const sensePairs = new IntColumn();
    FILES.forEach((name, file) =>
      this.eachLine(`index.${name}`, (line) => this.senses(line, file, senseTerms, sensePairs)),
    );
    const gloss = this.gloss.done();
    const glossDf = new Int32Array(this.terms.length);
    for (let j = 0; j < gloss.length; j++) glossDf[gloss[j]]++;
    const [senseStart, senses] = groupByTerm(this.terms.length, senseTerms.done(), sensePairs.done());
    return new WordNetGraph(this.terms, {
      lemmaStart: this.lemmaStart.done(),
      lemmas: this.lemmas.done(),
      glossStart: this.glossStart.done(),
      gloss,
      ptrStart: this.ptrStart.done(),
      ptrs,
      glossDf,
      senseStart,
      senses,
    });
  }

  private eachLine(file: string, visit: (line: string) => void): void {
    const text = readFileSync(join(this.dictDir, file), 'latin1');
    for (let at = 0; at < text.length; ) {
      let end = text.indexOf('\n', at);
      if (end < 0) end = text.length;
      if (end > at && text.charCodeAt(at) !== 32) visit(text.slice(at, end)); // licence lines start with spaces
      at = end + 1;
    }
  }

  /** `offset lexfile pos w_cnt (word lex_id)* p_cnt (sym offset pos src/tgt)* [frames] | gloss` */
  private synset(line: string, file: number): void {
    const bar = line.indexOf(' | ');
    const f = line.slice(0, bar).split(' ');
    this.synsetIds.set(key(file, Number(f[0])), this.synsetIds.size);
    this.lemmaStart.push(this.lemmas.length);
    const wordCount = parseInt(f[3], 16);
    const words: number[] = [];
    for (let w = 0; w < wordCount; w++) {
      // Multi-word lemmas use "_"; adjective markers such as "(a)" analyze to nothing.
      words.length = 0;
      this.table.scan(f[4 + 2 * w], 0, f[4 + 2 * w].length, words);
      for (const t of words) this.lemmas.push(words.length === 1 ? t : ~t);
    }
    let i = 4 + 2 * wordCount;
    const ptrCount = Number(f[i++]);
    this.ptrStart.push(this.ptrRels.length);
    for (let p = 0; p < ptrCount; p++, i += 4) {
      const rel = POINTER_REL[f[i]];
      if (rel === undefined) continue;
      this.ptrKeys.push(key(FILE_OF_POS[f[i + 2]], Number(f[i + 1])));
      this.ptrRels.push(rel);
    }
    this.glossStart.push(this.gloss.length);
    // The definition comes first; quoted usage examples follow it.
    const quote = line.indexOf('"', bar);
    words.length = 0;
    this.table.scan(line, bar + 3, quote < 0 ? line.length : quote, words);
    const seen = new Set<number>();
    for (const t of words) {
      if (seen.has(t)) continue;
      seen.add(t);
      this.gloss.push(t);
      if (seen.size >= MAX_GLOSS_TERMS) break;
    }
  }

  /** `lemma pos synset_cnt p_cnt (ptr_symbol)* sense_cnt tagsense_cnt (synset_offset)*`, most frequent first. */
  private senses(line: string, file: number, terms: IntColumn, pairs: IntColumn): void {
    const f = line.split(' ');
    if (!/^[a-z]+$/.test(f[0])) return; // text reaches only plain single words
    const words: number[] = [];
    this.table.scan(f[0], 0, f[0].length, words);
    if (words.length !== 1) return;
    const count = Number(f[2]);
    const first = 6 + Number(f[3]);
    for (let s = 0; s < count; s++) {
      const synset = this.synsetIds.get(key(file, Number(f[first + s])));
      if (synset === undefined) continue;
      terms.push(words[0]);
      pairs.push(synset);
      pairs.push(s);
    }
  }

  private intern(term: string): number {
    let id = this.termIds.get(term);
    if (id === undefined) {
      id = this.terms.length;
      this.terms.push(term);
      this.termIds.set(term, id);
    }
    return id;
  }
}

/** Counting sort of (term, pair) rows into compressed-row form indexed by term id. */
function groupByTerm(termCount: number, terms: Int32Array, pairs: Int32Array): [Int32Array, Int32Array] {
  const start = new Int32Array(termCount + 1);
  for (const t of terms) start[t + 1]++;
  for (let t = 0; t < termCount; t++) start[t + 1] += start[t];
  const fill = start.slice(0, termCount);
  const out = new Int32Array(pairs.length);
  for (let r = 0; r < terms.length; r++) {
    const at = 2 * fill[terms[r]]++;
    out[at] = pairs[2 * r];
    out[at + 1] = pairs[2 * r + 1];
  }
  return [start, out];
}
