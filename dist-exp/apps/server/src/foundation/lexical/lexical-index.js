"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.LexicalIndex = void 0;
const analyzer_1 = require("./analyzer");
const postings_1 = require("./postings");
// Tuned on the dev split of test/fixtures/queries.json (see lexical-eval.spec.ts). Dev Top-1 stays within
// two queries of its best across k1 0.9-1.5, b 0.35-0.65, query expansion 0.4-0.6, document expansion
// 0.1-0.2 and 8-64 document expansions; the values are from the middle of that plateau.
const DEFAULTS = {
    k1: 1.0,
    b: 0.5,
    queryExpansion: 0.5,
    docExpansion: 0.15,
    maxDocExpansions: 16,
    docTermExpansions: 8,
};
/**
 * BM25 over an in-memory inverted index, with expansion on both sides: a document also gets weak postings
 * for the words most related to its own (so "thermostat" answers "heating"), and a query adds weak terms
 * related to the user's words ("automobile" reaches "car"). Expansions only ever meet the other side's own
 * words: letting expansion meet expansion matched mostly noise on the dev set.
 *
 * Document frequencies are live posting counts, so IDF stays exact under add and remove. Expansion postings
 * are stored with a negative weight, which is how a query tells them from the document's own words.
 */
class LexicalIndex {
    expander;
    k1;
    b;
    queryExpansion;
    docExpansion;
    maxDocExpansions;
    docTermExpansions;
    termIds = new Map();
    postings = [];
    freeTermIds = [];
    docNums = new Map();
    // Doc numbers are recycled, so these arrays stay as long as the peak number of live documents.
    freeDocNums = [];
    docIds = [];
    docTerms = new postings_1.TermLists();
    docLen = new Float32Array(1024);
    totalLen = 0;
    scores = new Float64Array(1024);
    constructor(options = {}) {
        this.expander = options.expander;
        this.k1 = options.k1 ?? DEFAULTS.k1;
        this.b = options.b ?? DEFAULTS.b;
        this.queryExpansion = options.queryExpansion ?? DEFAULTS.queryExpansion;
        this.docExpansion = options.docExpansion ?? DEFAULTS.docExpansion;
        this.maxDocExpansions = options.maxDocExpansions ?? DEFAULTS.maxDocExpansions;
        this.docTermExpansions = options.docTermExpansions ?? DEFAULTS.docTermExpansions;
    }
    get size() {
        return this.docNums.size;
    }
    /** Indexes `text` under `docId`, replacing any document already there. */
    add(docId, text) {
        this.remove(docId);
        const tokens = (0, analyzer_1.analyze)(text);
        const weights = this.docWeights(tokens);
        const num = this.freeDocNums.pop() ?? this.docIds.length;
        this.ensureCapacity(num + 1);
        const terms = new Int32Array(weights.size);
        let j = 0;
        for (const [term, w] of weights) {
            const id = this.internTerm(term);
            this.postings[id].add(num, w);
            terms[j++] = id;
        }
        this.docNums.set(docId, num);
        this.docIds[num] = docId;
        this.docTerms.set(num, terms);
        this.docLen[num] = tokens.length;
        this.totalLen += tokens.length;
    }
    remove(docId) {
        const num = this.docNums.get(docId);
        if (num === undefined)
            return;
        for (const id of this.docTerms.get(num)) {
            const p = this.postings[id];
            p.remove(num);
            if (p.length === 0)
                this.releaseTerm(id);
        }
        this.totalLen -= this.docLen[num];
        this.docNums.delete(docId);
        this.docTerms.clear(num);
        this.docIds[num] = '';
        this.freeDocNums.push(num);
    }
    /** The `k` best documents that `accept` lets through (all, without it), best first; no score threshold. */
    search(query, k, accept) {
        const n = this.docNums.size;
        if (n === 0 || k <= 0)
            return [];
        const avgLen = Math.max(this.totalLen / n, 1);
        const { k1, b, scores, docLen } = this;
        const touched = [];
        for (const [term, signed] of this.queryWeights((0, analyzer_1.analyze)(query))) {
            const typed = signed > 0;
            const wq = Math.abs(signed);
            const id = this.termIds.get(term);
            if (id === undefined)
                continue;
            const p = this.postings[id];
            const idf = Math.log(1 + (n - p.length + 0.5) / (p.length + 0.5));
            for (let i = 0; i < p.length; i++) {
                let f = p.weight(i);
                if (f < 0) {
                    if (!typed)
                        continue;
                    f = -f;
                }
                const d = p.doc(i);
                if (scores[d] === 0)
                    touched.push(d);
                scores[d] += (wq * idf * f * (k1 + 1)) / (f + k1 * (1 - b + (b * docLen[d]) / avgLen));
            }
        }
        const hits = this.topK(touched, k, accept);
        for (const d of touched)
            scores[d] = 0;
        return hits;
    }
    /**
     * Term frequencies, plus (negated) the strongest expansions of the document's distinct words. An
     * expansion's weight sums over the words that lead to it: several card words pointing at "heat" make
     * it likelier the card is about heat than one word would. Only each word's few strongest expansions
     * compete, which was as good on dev as all of them and keeps indexing cheap.
     */
    docWeights(tokens) {
        const tf = new Map();
        for (const t of tokens)
            tf.set(t, (tf.get(t) ?? 0) + 1);
        if (!this.expander || this.docExpansion <= 0 || this.maxDocExpansions <= 0)
            return tf;
        const related = new Map();
        for (const t of tf.keys()) {
            const expansions = this.expander.expand(t);
            for (let i = 0; i < expansions.length && i < this.docTermExpansions; i++) {
                const e = expansions[i];
                if (!tf.has(e.term))
                    related.set(e.term, (related.get(e.term) ?? 0) + e.weight);
            }
        }
        const kept = [...related].sort((x, y) => y[1] - x[1]).slice(0, this.maxDocExpansions);
        for (const [term, w] of kept)
            tf.set(term, -this.docExpansion * Math.min(w, 1));
        return tf;
    }
    /**
     * Typed words weighted by how informative they are in general English; then (negated) their expansions,
     * each counted once at its strongest source, so one concept reached from three words is not tripled.
     */
    queryWeights(tokens) {
        const weights = new Map();
        for (const t of tokens)
            weights.set(t, (weights.get(t) ?? 0) + (this.expander?.termWeight?.(t) ?? 1));
        if (!this.expander || this.queryExpansion <= 0)
            return weights;
        const expanded = new Map();
        for (const t of weights.keys()) {
            for (const e of this.expander.expand(t)) {
                const w = this.queryExpansion * e.weight;
                if (!weights.has(e.term) && w > (expanded.get(e.term) ?? 0))
                    expanded.set(e.term, w);
            }
        }
        for (const [term, w] of expanded)
            weights.set(term, -w);
        return weights;
    }
    /** Best `k` accepted docs via a size-k min-heap; `accept` is asked only about docs that would enter it. */
    topK(candidates, k, accept) {
        const s = this.scores;
        const heap = [];
        const less = (i, j) => s[heap[i]] < s[heap[j]];
        const swap = (i, j) => {
            [heap[i], heap[j]] = [heap[j], heap[i]];
        };
        for (const d of candidates) {
            if (heap.length === k && s[d] <= s[heap[0]])
                continue;
            if (accept && !accept(this.docIds[d]))
                continue;
            if (heap.length < k) {
                heap.push(d);
                for (let i = heap.length - 1; i > 0 && less(i, (i - 1) >> 1); i = (i - 1) >> 1)
                    swap(i, (i - 1) >> 1);
                continue;
            }
            heap[0] = d;
            for (let i = 0;;) {
                const l = 2 * i + 1;
                const m = l + 1 < heap.length && less(l + 1, l) ? l + 1 : l;
                if (l >= heap.length || !less(m, i))
                    break;
                swap(i, m);
                i = m;
            }
        }
        return heap
            .map((d) => ({ docId: this.docIds[d], score: s[d] }))
            .sort((x, y) => y.score - x.score || (x.docId < y.docId ? -1 : x.docId > y.docId ? 1 : 0));
    }
    internTerm(term) {
        let id = this.termIds.get(term);
        if (id === undefined) {
            id = this.freeTermIds.pop() ?? this.postings.length;
            this.termIds.set(term, id);
            this.postings[id] = new postings_1.Postings(term);
        }
        return id;
    }
    /** Forgets a term no document uses any more, so churn does not grow the vocabulary without bound. */
    releaseTerm(id) {
        this.termIds.delete(this.postings[id].term);
        this.freeTermIds.push(id);
    }
    ensureCapacity(size) {
        if (size <= this.docLen.length)
            return;
        const docLen = new Float32Array(Math.max(size, this.docLen.length * 2));
        docLen.set(this.docLen);
        this.docLen = docLen;
        this.scores = new Float64Array(docLen.length);
    }
}
exports.LexicalIndex = LexicalIndex;
//# sourceMappingURL=lexical-index.js.map