interface Held {
  at: number;
  n: number;
  where: string;
  text: string;
}

/**
 * One line per event: seconds since the start, which group (root or sub-team), and what happened. Lines are held
 * for `holdMs` and printed in the order of their timestamps (the server's, for messages), because a sub-team's
 * history only arrives once the watcher has found the new group, after lines that happened later.
 */
export class Timeline {
  private t0 = Date.now();
  private readonly names = new Map<string, string>();
  private readonly labels = new Map<string, string>();
  private held: Held[] = [];
  private count = 0;
  private timer: NodeJS.Timeout | null = null;

  constructor(private readonly holdMs = 600, private readonly write: (line: string) => void = (line) => process.stdout.write(`${line}\n`)) {}

  /** Counts time from `at` (ms since the epoch) instead of from the Timeline's creation. */
  startAt(at: number): void {
    this.t0 = at;
  }

  /** Remembers an agent's display name. */
  nameAgent(id: string, name: string): void {
    this.names.set(id, name);
  }

  /** Whether an agent's name is known (else `name` shows the start of its id). */
  knows(id: string): boolean {
    return id === 'system' || this.names.has(id);
  }

  /** An agent's name, or the start of its id while its name is not known. */
  name(id: string): string {
    return id === 'system' ? 'system' : this.names.get(id) ?? id.slice(0, 8);
  }

  nameList(ids: string[]): string {
    return ids.map((id) => this.name(id)).join(', ');
  }

  /** Labels a group: `root` for the goal's team, `sub1`, `sub2`, … for sub-teams, in the order they are found. */
  labelGroup(groupId: string, level: number): string {
    let label = this.labels.get(groupId);
    if (!label) {
      label = level === 0 ? 'root' : `sub${[...this.labels.values()].filter((l) => l !== 'root').length + 1}`;
      this.labels.set(groupId, label);
    }
    return label;
  }

  label(groupId: string): string {
    return this.labels.get(groupId) ?? groupId.slice(0, 6);
  }

  /** Queues one line; `where` is a group id or a fixed tag (`server`, `goal`, `invite`, …); `at` is when it happened. */
  line(where: string, text: string, at = Date.now()): void {
    this.held.push({ at, n: this.count++, where, text });
    if (!this.timer) {
      this.timer = setInterval(() => this.flush(Date.now() - this.holdMs), 100);
      this.timer.unref();
    }
  }

  /** Prints the held lines that happened up to `upTo` (all by default), oldest first. */
  flush(upTo = Infinity): void {
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
  raw(text: string): void {
    this.flush();
    this.write(text);
  }
}

/** Shortens a text to one line of at most `max` characters. */
export function clip(text: string, max = 110): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length > max ? `${flat.slice(0, max - 1)}…` : flat;
}
