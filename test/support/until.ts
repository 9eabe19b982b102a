/**
 * Polls `check` every 50 ms until it returns something other than `undefined` or `false`, and returns that; throws
 * after `timeoutMs`, naming `what` it waited for. A bound on waiting for an event, not an assertion on time.
 */
export async function until<T>(what: string, check: () => T | undefined | false | Promise<T | undefined | false>, timeoutMs = 15_000): Promise<T> {
  const started = Date.now();
  for (;;) {
    const value = await check();
    if (value !== undefined && value !== false) return value;
    if (Date.now() - started > timeoutMs) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}
