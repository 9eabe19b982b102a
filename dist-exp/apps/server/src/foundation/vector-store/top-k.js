"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.TopK = void 0;
/** The k best rows of a scan, kept in a min-heap so a pass over n rows costs n·log k, not a sort of n. */
class TopK {
    k;
    rows = [];
    scores = [];
    constructor(k) {
        this.k = k;
    }
    /** The score a row must beat to get in; -Infinity while there is room. */
    get floor() {
        return this.rows.length < this.k ? -Infinity : this.scores[0];
    }
    offer(row, score) {
        if (this.k <= 0)
            return;
        if (this.rows.length < this.k) {
            this.rows.push(row);
            this.scores.push(score);
            this.up(this.rows.length - 1);
        }
        else if (score > this.scores[0]) {
            this.rows[0] = row;
            this.scores[0] = score;
            this.down(0);
        }
    }
    /** Best first. */
    sorted() {
        return this.rows.map((row, i) => ({ row, score: this.scores[i] })).sort((a, b) => b.score - a.score);
    }
    up(i) {
        while (i > 0) {
            const parent = (i - 1) >> 1;
            if (this.scores[parent] <= this.scores[i])
                return;
            this.swap(i, parent);
            i = parent;
        }
    }
    down(i) {
        const n = this.rows.length;
        for (;;) {
            const l = 2 * i + 1;
            const r = l + 1;
            let min = i;
            if (l < n && this.scores[l] < this.scores[min])
                min = l;
            if (r < n && this.scores[r] < this.scores[min])
                min = r;
            if (min === i)
                return;
            this.swap(i, min);
            i = min;
        }
    }
    swap(i, j) {
        [this.rows[i], this.rows[j]] = [this.rows[j], this.rows[i]];
        [this.scores[i], this.scores[j]] = [this.scores[j], this.scores[i]];
    }
}
exports.TopK = TopK;
//# sourceMappingURL=top-k.js.map