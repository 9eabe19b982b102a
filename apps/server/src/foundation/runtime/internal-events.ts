/**
 * A typed, synchronous, in-process event map: services subscribe to what happens by name, instead of setting callback
 * fields on each other. Handlers run in subscription order, inside the emitter's call; every handler runs even if one
 * throws, and the first error is rethrown to the emitter afterwards.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export class InternalEvents<M extends { [K in keyof M]: (...args: any[]) => void }> {
  private readonly handlers = new Map<keyof M, Array<M[keyof M]>>();

  on<K extends keyof M>(event: K, handler: M[K]): void {
    this.handlers.set(event, [...(this.handlers.get(event) ?? []), handler]);
  }

  emit<K extends keyof M>(event: K, ...args: Parameters<M[K]>): void {
    let failure: { error: unknown } | null = null;
    for (const handler of this.handlers.get(event) ?? []) {
      try {
        (handler as M[K])(...args);
      } catch (error) {
        failure ??= { error };
      }
    }
    if (failure) throw failure.error;
  }
}
