/** At most `max` things held at once by each caller (waiting MCP calls, open A2A requests), on this node. */
export class CallerBound {
  private readonly held = new Map<string, number>();

  constructor(readonly max: number) {}

  /** Takes one for `caller`, or null when it holds `max` already; what it returns gives it back (once). */
  begin(caller: string): (() => void) | null {
    const held = this.held.get(caller) ?? 0;
    if (held >= this.max) return null;
    this.held.set(caller, held + 1);
    let ended = false;
    return () => {
      if (ended) return;
      ended = true;
      const left = (this.held.get(caller) ?? 1) - 1;
      if (left > 0) this.held.set(caller, left);
      else this.held.delete(caller);
    };
  }
}
