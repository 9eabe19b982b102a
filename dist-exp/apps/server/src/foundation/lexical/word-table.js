"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.WordTable = void 0;
/**
 * Interns the words of ASCII text to ids without allocating a string per occurrence. Parsing WordNet
 * meets ~1.5 million words, almost all repeats; a `Map<string, _>` over split() strings spent half the
 * start-up hashing and copying them, this spends a character loop.
 */
class WordTable {
    resolve;
    slots = new Int32Array(1 << 17).fill(-1);
    words = [];
    hashes = [];
    /** Per distinct word, what `resolve` made of it (-1: dropped). */
    ids = [];
    constructor(resolve) {
        this.resolve = resolve;
    }
    /**
     * Ids of the words in `text[from, to)`, appended to `out`. Letters are lowercased; any character other
     * than an ASCII letter or digit separates words, as in `analyze`.
     */
    scan(text, from, to, out) {
        let start = -1;
        let h = 0x811c9dc5;
        for (let i = from; i <= to; i++) {
            let c = i < to ? text.charCodeAt(i) : 32;
            if (c >= 65 && c <= 90)
                c += 32;
            if ((c >= 97 && c <= 122) || (c >= 48 && c <= 57)) {
                if (start < 0) {
                    start = i;
                    h = 0x811c9dc5;
                }
                h = Math.imul(h ^ c, 16777619);
                continue;
            }
            if (start < 0)
                continue;
            const id = this.lookup(text, start, i, h >>> 0);
            if (id >= 0)
                out.push(id);
            start = -1;
        }
    }
    lookup(text, from, to, hash) {
        const mask = this.slots.length - 1;
        for (let s = hash & mask;; s = (s + 1) & mask) {
            const w = this.slots[s];
            if (w < 0)
                return this.insert(text.slice(from, to).toLowerCase(), hash, s);
            if (this.hashes[w] === hash && sameWord(this.words[w], text, from, to))
                return this.ids[w];
        }
    }
    insert(word, hash, slot) {
        const w = this.words.length;
        this.words.push(word);
        this.hashes.push(hash);
        this.ids.push(this.resolve(word));
        this.slots[slot] = w;
        if (this.words.length * 2 > this.slots.length)
            this.grow();
        return this.ids[w];
    }
    grow() {
        this.slots = new Int32Array(this.slots.length * 2).fill(-1);
        const mask = this.slots.length - 1;
        this.hashes.forEach((hash, w) => {
            let s = hash & mask;
            while (this.slots[s] >= 0)
                s = (s + 1) & mask;
            this.slots[s] = w;
        });
    }
}
exports.WordTable = WordTable;
function sameWord(word, text, from, to) {
    if (word.length !== to - from)
        return false;
    for (let i = 0; i < word.length; i++) {
        let c = text.charCodeAt(from + i);
        if (c >= 65 && c <= 90)
            c += 32;
        if (c !== word.charCodeAt(i))
            return false;
    }
    return true;
}
//# sourceMappingURL=word-table.js.map