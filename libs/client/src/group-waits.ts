/**
 * Callers waiting, per group, for something to happen there (a replay reaching a seq, a paused group resuming): each
 * is released by `release` when its value qualifies, or after its timeout, whichever comes first.
 */
export class GroupWaits<T> {
  private readonly waiting = new Map<string, Set<{ value: T; done: () => void }>>();

  wait(groupId: string, value: T, timeoutMs: number): Promise<void> {
    return new Promise((resolve) => {
      const set = this.waiting.get(groupId) ?? new Set();
      const waiter = {
        value,
        done: () => {
          clearTimeout(timer);
          set.delete(waiter);
          resolve();
        },
      };
      const timer = setTimeout(waiter.done, timeoutMs);
      // A waiter alone never keeps the process alive.
      timer.unref?.();
      this.waiting.set(groupId, set.add(waiter));
    });
  }

  /** Releases every waiter of every group. */
  releaseAll(): void {
    for (const groupId of [...this.waiting.keys()]) this.release(groupId);
  }

  /** Releases the group's waiters whose value `which` accepts (all of them by default). */
  release(groupId: string, which: (value: T) => boolean = () => true): void {
    for (const w of [...(this.waiting.get(groupId) ?? [])]) if (which(w.value)) w.done();
  }
}
