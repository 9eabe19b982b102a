"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.WordNetGraph = exports.Rel = void 0;
const node_fs_1 = require("node:fs");
const node_path_1 = require("node:path");
const analyzer_1 = require("./analyzer");
const word_table_1 = require("./word-table");
/** Relation kinds kept from WordNet's ~30 pointer symbols, grouped by how much meaning they carry over. */
var Rel;
(function (Rel) {
    Rel[Rel["Hypernym"] = 0] = "Hypernym";
    Rel[Rel["Hyponym"] = 1] = "Hyponym";
    Rel[Rel["Derived"] = 2] = "Derived";
    Rel[Rel["Similar"] = 3] = "Similar";
    Rel[Rel["Entails"] = 4] = "Entails";
    Rel[Rel["Domain"] = 5] = "Domain";
    Rel[Rel["DomainMember"] = 6] = "DomainMember";
    Rel[Rel["Part"] = 7] = "Part";
    Rel[Rel["Whole"] = 8] = "Whole";
})(Rel || (exports.Rel = Rel = {}));
const REL_COUNT = 9;
const POINTER_REL = {
    '@': Rel.Hypernym, '@i': Rel.Hypernym, '~': Rel.Hyponym, '~i': Rel.Hyponym, '+': Rel.Derived,
    '&': Rel.Similar, '^': Rel.Similar, '$': Rel.Similar, '\\': Rel.Similar, '=': Rel.Similar,
    '*': Rel.Entails, '>': Rel.Entails, ';c': Rel.Domain, '-c': Rel.DomainMember,
    '%p': Rel.Part, '%m': Rel.Part, '%s': Rel.Part, '#p': Rel.Whole, '#m': Rel.Whole, '#s': Rel.Whole,
};
const FILES = ['noun', 'verb', 'adj', 'adv'];
const FILE_OF_POS = { n: 0, v: 1, a: 2, s: 2, r: 3 };
// Pointers name a synset by (file, byte offset); offsets stay below 2^26, so the pair packs into an int32.
const key = (file, offset) => offset * 4 + file;
// Definition words past this many are mostly qualifications that drift from the head meaning.
const MAX_GLOSS_TERMS = 12;
/** Growable Int32 column, so parsing never holds millions of boxed JS numbers. */
class IntColumn {
    data = new Int32Array(1 << 16);
    length = 0;
    push(v) {
        if (this.length === this.data.length) {
            const grown = new Int32Array(this.data.length * 2);
            grown.set(this.data);
            this.data = grown;
        }
        this.data[this.length++] = v;
    }
    done() {
        return this.data.slice(0, this.length);
    }
}
/**
 * WordNet reduced to what lexical expansion needs, over analyzed (stemmed) terms, in compressed-row
 * Int32 arrays: ~10 MB instead of the ~100 MB of one JS object per synset.
 */
class WordNetGraph {
    terms;
    arrays;
    termIds = new Map();
    synsetCount;
    constructor(terms, arrays) {
        this.terms = terms;
        this.arrays = arrays;
        terms.forEach((t, i) => this.termIds.set(t, i));
        this.synsetCount = arrays.lemmaStart.length - 1;
    }
    /** Parses the `data.*` and `index.*` files of a WordNet 3.x dict directory (~1 s). */
    static parse(dictDir) {
        return new WordNetParser(dictDir).run();
    }
    termId(term) {
        return this.termIds.get(term);
    }
    /** Flat [synset, senseRank, ...] for the term, most frequent sense first within each part of speech. */
    sensesOf(termId) {
        const a = this.arrays;
        return a.senses.subarray(2 * a.senseStart[termId], 2 * a.senseStart[termId + 1]);
    }
    lemmasOf(synset) {
        return this.arrays.lemmas.subarray(this.arrays.lemmaStart[synset], this.arrays.lemmaStart[synset + 1]);
    }
    glossOf(synset) {
        return this.arrays.gloss.subarray(this.arrays.glossStart[synset], this.arrays.glossStart[synset + 1]);
    }
    forEachPointer(synset, visit) {
        const { ptrStart, ptrs } = this.arrays;
        for (let i = ptrStart[synset]; i < ptrStart[synset + 1]; i++) {
            visit(Math.floor(ptrs[i] / REL_COUNT), ptrs[i] % REL_COUNT);
        }
    }
    /**
     * How rarely the term occurs in definitions, log-scaled to [0, 1]: ~0 for words used everywhere
     * ("make", "person"), 1 for words no definition uses. A stand-in for IDF in general English.
     */
    specificity(termId) {
        const df = this.arrays.glossDf[termId] ?? 0;
        return Math.log((this.synsetCount + 1) / (df + 1)) / Math.log(this.synsetCount + 1);
    }
}
exports.WordNetGraph = WordNetGraph;
class WordNetParser {
    dictDir;
    terms = [];
    termIds = new Map();
    // A word's term id, or -1 if analysis drops it.
    table = new word_table_1.WordTable((word) => {
        const term = (0, analyzer_1.termOf)(word);
        return term ? this.intern(term) : -1;
    });
    synsetIds = new Map();
    lemmaStart = new IntColumn();
    lemmas = new IntColumn();
    glossStart = new IntColumn();
    gloss = new IntColumn();
    ptrStart = new IntColumn();
    ptrKeys = new IntColumn();
    ptrRels = new IntColumn();
    constructor(dictDir) {
        this.dictDir = dictDir;
    }
    run() {
        FILES.forEach((name, file) => this.eachLine(`data.${name}`, (line) => this.synset(line, file)));
        this.lemmaStart.push(this.lemmas.length);
        this.glossStart.push(this.gloss.length);
        this.ptrStart.push(this.ptrRels.length);
        const keys = this.ptrKeys.done();
        const rels = this.ptrRels.done();
        const ptrs = new Int32Array(rels.length);
        for (let p = 0; p < rels.length; p++)
            ptrs[p] = (this.synsetIds.get(keys[p]) ?? 0) * REL_COUNT + rels[p];
        const senseTerms = new IntColumn();
        const sensePairs = new IntColumn();
        FILES.forEach((name, file) => this.eachLine(`index.${name}`, (line) => this.senses(line, file, senseTerms, sensePairs)));
        const gloss = this.gloss.done();
        const glossDf = new Int32Array(this.terms.length);
        for (let j = 0; j < gloss.length; j++)
            glossDf[gloss[j]]++;
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
    eachLine(file, visit) {
        const text = (0, node_fs_1.readFileSync)((0, node_path_1.join)(this.dictDir, file), 'latin1');
        for (let at = 0; at < text.length;) {
            let end = text.indexOf('\n', at);
            if (end < 0)
                end = text.length;
            if (end > at && text.charCodeAt(at) !== 32)
                visit(text.slice(at, end)); // licence lines start with spaces
            at = end + 1;
        }
    }
    /** `offset lexfile pos w_cnt (word lex_id)* p_cnt (sym offset pos src/tgt)* [frames] | gloss` */
    synset(line, file) {
        const bar = line.indexOf(' | ');
        const f = line.slice(0, bar).split(' ');
        this.synsetIds.set(key(file, Number(f[0])), this.synsetIds.size);
        this.lemmaStart.push(this.lemmas.length);
        const wordCount = parseInt(f[3], 16);
        const words = [];
        for (let w = 0; w < wordCount; w++) {
            // Multi-word lemmas use "_"; adjective markers such as "(a)" analyze to nothing.
            words.length = 0;
            this.table.scan(f[4 + 2 * w], 0, f[4 + 2 * w].length, words);
            for (const t of words)
                this.lemmas.push(words.length === 1 ? t : ~t);
        }
        let i = 4 + 2 * wordCount;
        const ptrCount = Number(f[i++]);
        this.ptrStart.push(this.ptrRels.length);
        for (let p = 0; p < ptrCount; p++, i += 4) {
            const rel = POINTER_REL[f[i]];
            if (rel === undefined)
                continue;
            this.ptrKeys.push(key(FILE_OF_POS[f[i + 2]], Number(f[i + 1])));
            this.ptrRels.push(rel);
        }
        this.glossStart.push(this.gloss.length);
        // The definition comes first; quoted usage examples follow it.
        const quote = line.indexOf('"', bar);
        words.length = 0;
        this.table.scan(line, bar + 3, quote < 0 ? line.length : quote, words);
        const seen = new Set();
        for (const t of words) {
            if (seen.has(t))
                continue;
            seen.add(t);
            this.gloss.push(t);
            if (seen.size >= MAX_GLOSS_TERMS)
                break;
        }
    }
    /** `lemma pos synset_cnt p_cnt (ptr_symbol)* sense_cnt tagsense_cnt (synset_offset)*`, most frequent first. */
    senses(line, file, terms, pairs) {
        const f = line.split(' ');
        if (!/^[a-z]+$/.test(f[0]))
            return; // text reaches only plain single words
        const words = [];
        this.table.scan(f[0], 0, f[0].length, words);
        if (words.length !== 1)
            return;
        const count = Number(f[2]);
        const first = 6 + Number(f[3]);
        for (let s = 0; s < count; s++) {
            const synset = this.synsetIds.get(key(file, Number(f[first + s])));
            if (synset === undefined)
                continue;
            terms.push(words[0]);
            pairs.push(synset);
            pairs.push(s);
        }
    }
    intern(term) {
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
function groupByTerm(termCount, terms, pairs) {
    const start = new Int32Array(termCount + 1);
    for (const t of terms)
        start[t + 1]++;
    for (let t = 0; t < termCount; t++)
        start[t + 1] += start[t];
    const fill = start.slice(0, termCount);
    const out = new Int32Array(pairs.length);
    for (let r = 0; r < terms.length; r++) {
        const at = 2 * fill[terms[r]]++;
        out[at] = pairs[2 * r];
        out[at + 1] = pairs[2 * r + 1];
    }
    return [start, out];
}
//# sourceMappingURL=wordnet-graph.js.map