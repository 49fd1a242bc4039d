/**
 * Fast paths in front of ajv-formats' rules for the formats records carry most: a value of the common
 * shape is checked by one small regular expression, any other by the full rule. Each fast path accepts
 * only what the full rule accepts (test/unit/kit/formats.test.ts).
 */

/** RFC 3339 UTC, the shape of every conformed date-time (the day is checked by `validDay`). */
export const CANONICAL_UTC = /^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])T([01]\d|2[0-3]):[0-5]\d:[0-5]\d(\.\d{1,9})?Z$/;

/**
 * An http(s) URI with a registered name or IPv4 host, a port, path, query and fragment, all in RFC
 * 3986's characters. ajv-formats' `uri` rule is a regular expression that takes milliseconds to compile,
 * which a `--discover` given a `base_url` paid at every start.
 */
export const COMMON_URI = /^https?:\/\/(?:[A-Za-z0-9\-._~!$&'()*+,;=]|%[0-9A-Fa-f]{2})+(?::\d*)?(?:\/(?:[A-Za-z0-9\-._~!$&'()*+,;=:@]|%[0-9A-Fa-f]{2})*)*(?:\?(?:[A-Za-z0-9\-._~!$&'()*+,;=:@/?]|%[0-9A-Fa-f]{2})*)?(?:#(?:[A-Za-z0-9\-._~!$&'()*+,;=:@/?]|%[0-9A-Fa-f]{2})*)?$/;

const DAYS_IN_MONTH = [0, 31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

/** The day of a `CANONICAL_UTC` value exists in its month (2025-02-30 does not; 29 February only in a leap year). */
export function validDay(value: string): boolean {
  const day = (value.charCodeAt(8) - 48) * 10 + value.charCodeAt(9) - 48;
  if (day <= 28) return true;
  const month = (value.charCodeAt(5) - 48) * 10 + value.charCodeAt(6) - 48;
  if (day > (DAYS_IN_MONTH[month] as number)) return false;
  if (month !== 2 || day !== 29) return true;
  const year = Number(value.slice(0, 4));
  return year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0);
}

type Check = (value: string) => boolean;

/** `full`, the rule of an ajv format (a function, or an object with `validate`), with `fast` in front. */
export function withFastPath(full: unknown, fast: Check): Check | undefined {
  const check = typeof full === 'object' && full !== null && 'validate' in full ? (full as { validate: unknown }).validate : full;
  if (typeof check !== 'function') return undefined;
  return (value: string) => fast(value) || (check as Check)(value);
}
