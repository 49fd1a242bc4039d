/** `2025-01-02T03:04:05Z`: RFC 3339 UTC to the second, what most APIs' `since` filters accept. */
export function toIsoSeconds(value: string | number | Date): string {
  const d = value instanceof Date ? value : new Date(value);
  if (!Number.isFinite(d.getTime())) throw new RangeError(`not a date: ${String(value)}`);
  return d.toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/** `2025-01-02`: the UTC calendar day of an instant. */
export function toIsoDate(value: string | number | Date): string {
  return toIsoSeconds(value).slice(0, 10);
}

/**
 * Epoch milliseconds of a date-time value, read the one way the kit reads them everywhere (conforming
 * records and comparing bookmarks): numbers are epoch seconds below 1e11 and milliseconds above; a
 * timestamp without an offset is UTC, not the machine's zone; only an ISO date or a text with a time of
 * day (RFC 2822, ctime) is a date at all, since `Date.parse` reads almost anything ("version 2").
 */
export function instantMs(value: unknown): number | undefined {
  // The common case first, without a regex: RFC 3339 UTC as the kit writes it (`...T..:..:..(.sss)Z`).
  if (typeof value === 'string' && (value.length === 20 || value.length === 24) && value.charCodeAt(10) === 84 /* T */ && value.charCodeAt(value.length - 1) === 90 /* Z */) {
    const ms = Date.parse(value);
    if (Number.isFinite(ms)) return ms;
  }
  if (typeof value === 'number') {
    const ms = Math.abs(value) < 1e11 ? value * 1000 : value;
    // Beyond ±8.64e15 ms there is no Date: not an instant (found by fuzzing a state file).
    return Number.isFinite(ms) && Math.abs(ms) <= 8.64e15 ? ms : undefined;
  }
  if (typeof value !== 'string' || value === '') return undefined;
  if (!/^\d{4}-\d\d-\d\d|\d:\d\d/.test(value)) return undefined;
  const naive = /^\d{4}-\d\d-\d\d[T ]\d\d:\d\d(:\d\d(\.\d+)?)?$/.test(value);
  const ms = Date.parse(naive ? `${value.replace(' ', 'T')}Z` : value);
  return Number.isFinite(ms) ? ms : undefined;
}
