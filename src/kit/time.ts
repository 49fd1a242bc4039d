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

/** The instant `days` days before `value`, as RFC 3339 UTC. */
export function daysBefore(value: string | number | Date, days: number): string {
  const d = value instanceof Date ? value : new Date(value);
  return new Date(d.getTime() - days * 86_400_000).toISOString();
}
