import type { KeyKind } from '../records/schema.js';
import { instantMs } from '../core/time.js';

/** A replication-key value in comparable form. */
export type Comparable = number | string | bigint;

/** A comparable form of a replication-key value: instants and numbers as numbers, strings as themselves. */
export function comparable(value: unknown, kind: KeyKind): Comparable | undefined {
  if (value === null || value === undefined || value === '') return undefined;
  if (kind === 'number') {
    // Integers beyond 2^53 compare exactly as bigint (JavaScript compares bigint and number exactly).
    if (typeof value === 'bigint') return value;
    if (typeof value === 'string' && /^-?\d{16,}$/.test(value.trim())) return BigInt(value.trim());
    const n = typeof value === 'number' ? value : Number(value);
    return Number.isFinite(n) ? n : undefined;
  }
  if (kind === 'datetime') return instantMs(value);
  return String(value);
}

/** Replication key names that say the value is a time. */
const TIME_NAMED = /(^|_|-)(at|time|timestamp|ts|date|updated|modified|created|changed|epoch)$|(time|stamp|updated|modified|changed)/i;

/**
 * The sync's start in the units of a numeric key that holds Unix time: seconds for values between
 * 1e9 and 1e10 (2001 to 2286), milliseconds for values between 1e12 and 1e13. Undefined when the key
 * is not named as a time, its values are not in those ranges, or there is no start time.
 */
export function epochCapOf(options: { kind: KeyKind; replicationKey: string; epochSignpostMs?: number }, max: Comparable | undefined): number | undefined {
  const start = options.epochSignpostMs;
  if (options.kind !== 'number' || start === undefined || typeof max !== 'number' || !TIME_NAMED.test(options.replicationKey)) return undefined;
  if (max >= 1e9 && max < 1e10) return Math.floor(start / 1000);
  if (max >= 1e12 && max < 1e13) return start;
  return undefined;
}
