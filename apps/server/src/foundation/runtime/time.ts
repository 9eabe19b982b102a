/** Times are epoch milliseconds inside the server (the `Clock`, the rows) and ISO 8601 strings on the wire. */
export const iso = (ms: number | null): string | null => (ms === null ? null : new Date(ms).toISOString());
