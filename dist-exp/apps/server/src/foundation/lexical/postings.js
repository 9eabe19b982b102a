"use strict";
// Storage for the inverted index in typed arrays: at 100k agents (~500k documents, ~12M postings) one JS
// object or typed array per posting or per document would cost more than the postings themselves.
Object.defineProperty(exports, "__esModule", { value: true });
exports.TermLists = exports.Postings = void 0;
const bits = new Int32Array(1);
const float = new Float32Array(bits.buffer);
/**
 * One term's postings, interleaved `[doc, weight as float32 bits]` in a single Int32Array (one array
 * header per term instead of two), unordered so that removal swaps the last entry into the hole.
 */
class Postings {
    term;
    data = new Int32Array(4);
    length = 0;
    constructor(term) {
        this.term = term;
    }
    doc(i) {
        return this.data[2 * i];
    }
    weight(i) {
        bits[0] = this.data[2 * i + 1];
        return float[0];
    }
    add(doc, weight) {
        if (2 * this.length === this.data.length)
            this.resize(this.data.length * 2);
        float[0] = weight;
        this.data[2 * this.length] = doc;
        this.data[2 * this.length + 1] = bits[0];
        this.length++;
    }
    remove(doc) {
        let i = 0;
        while (i < this.length && this.data[2 * i] !== doc)
            i++;
        if (i === this.length)
            return;
        this.length--;
        this.data[2 * i] = this.data[2 * this.length];
        this.data[2 * i + 1] = this.data[2 * this.length + 1];
        // Give memory back once a list that grew for a popular term has mostly emptied.
        if (this.data.length > 32 && 8 * this.length < this.data.length)
            this.resize(this.data.length / 2);
    }
    resize(size) {
        const data = new Int32Array(size);
        data.set(this.data.subarray(0, 2 * this.length));
        this.data = data;
    }
}
exports.Postings = Postings;
/**
 * Each document's term ids, kept to undo its postings on removal, packed into one arena. Removal leaves a
 * hole; holes are squeezed out whenever the arena is full, so the amortised cost per document is constant.
 */
class TermLists {
    arena = new Int32Array(1 << 12);
    used = 0;
    holes = 0;
    start = new Int32Array(256);
    count = new Int32Array(256);
    set(doc, ids) {
        this.ensureDocs(doc + 1);
        if (this.used + ids.length > this.arena.length)
            this.makeRoom(ids.length);
        this.arena.set(ids, this.used);
        this.start[doc] = this.used;
        this.count[doc] = ids.length;
        this.used += ids.length;
    }
    get(doc) {
        return this.arena.subarray(this.start[doc], this.start[doc] + this.count[doc]);
    }
    clear(doc) {
        this.holes += this.count[doc];
        this.count[doc] = 0;
    }
    makeRoom(extra) {
        // 1.5 times the live size: compacts when mostly holes, grows when mostly live, and either way leaves
        // free room for half the live data again, which pays for the copy.
        const next = new Int32Array(Math.max(Math.ceil(1.5 * (this.used - this.holes + extra)), 1 << 12));
        let at = 0;
        for (let d = 0; d < this.start.length; d++) {
            if (this.count[d] === 0)
                continue;
            next.set(this.arena.subarray(this.start[d], this.start[d] + this.count[d]), at);
            this.start[d] = at;
            at += this.count[d];
        }
        this.arena = next;
        this.used = at;
        this.holes = 0;
    }
    ensureDocs(size) {
        if (size <= this.start.length)
            return;
        const cap = Math.max(size, this.start.length * 2);
        const start = new Int32Array(cap);
        const count = new Int32Array(cap);
        start.set(this.start);
        count.set(this.count);
        this.start = start;
        this.count = count;
    }
}
exports.TermLists = TermLists;
//# sourceMappingURL=postings.js.map