"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.Timeline = void 0;
exports.clip = clip;
/**
 * One line per event: seconds since the start, which group (root or sub-team), and what happened. Lines are held
 * for `holdMs` and printed in the order of their timestamps (the server's, for messages), because a sub-team's
 * history only arrives once the watcher has found the new group, after lines that happened later.
 */
class Timeline {
    holdMs;
    write;
    t0 = Date.now();
    names = new Map();
    labels = new Map();
    held = [];
    count = 0;
    timer = null;
    constructor(holdMs = 600, write = (line) => process.stdout.write(`${line}\n`)) {
        this.holdMs = holdMs;
        this.write = write;
    }
    /** Remembers an agent's display name. */
    nameAgent(id, name) {
        this.names.set(id, name);
    }
    /** An agent's name, or the start of its id for agents the demo did not start. */
    name(id) {
        return id === 'system' ? 'system' : this.names.get(id) ?? id.slice(0, 8);
    }
    nameList(ids) {
        return ids.map((id) => this.name(id)).join(', ');
    }
    /** Labels a group: `root` for the goal's team, `sub1`, `sub2`, … for sub-teams, in the order they are found. */
    labelGroup(groupId, level) {
        let label = this.labels.get(groupId);
        if (!label) {
            label = level === 0 ? 'root' : `sub${[...this.labels.values()].filter((l) => l !== 'root').length + 1}`;
            this.labels.set(groupId, label);
        }
        return label;
    }
    label(groupId) {
        return this.labels.get(groupId) ?? groupId.slice(0, 6);
    }
    /** Queues one line; `where` is a group id or a fixed tag (`server`, `goal`, `invite`, …); `at` is when it happened. */
    line(where, text, at = Date.now()) {
        this.held.push({ at, n: this.count++, where, text });
        if (!this.timer) {
            this.timer = setInterval(() => this.flush(Date.now() - this.holdMs), 100);
            this.timer.unref();
        }
    }
    /** Prints the held lines that happened up to `upTo` (all by default), oldest first. */
    flush(upTo = Infinity) {
        const due = this.held.filter((h) => h.at <= upTo).sort((a, b) => a.at - b.at || a.n - b.n);
        this.held = this.held.filter((h) => h.at > upTo);
        for (const h of due) {
            const t = ((h.at - this.t0) / 1000).toFixed(2).padStart(6);
            this.write(`+${t}s ${this.label(h.where).padEnd(6)} ${h.text}`);
        }
        if (!this.held.length && this.timer) {
            clearInterval(this.timer);
            this.timer = null;
        }
    }
    /** Prints text as is (headings, the final summary), after every held line. */
    raw(text) {
        this.flush();
        this.write(text);
    }
}
exports.Timeline = Timeline;
/** Shortens a text to one line of at most `max` characters. */
function clip(text, max = 110) {
    const flat = text.replace(/\s+/g, ' ').trim();
    return flat.length > max ? `${flat.slice(0, max - 1)}…` : flat;
}
//# sourceMappingURL=timeline.js.map