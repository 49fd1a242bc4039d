import { parse as losslessParse, isInteger, isSafeNumber } from 'lossless-json';
import { UserError } from './errors.js';
import { setField } from './own.js';

/**
 * JSON text in and out without losing integers beyond 2^53. `JSON.parse` rounds them (two ids can
 * collapse onto one key), so a body where one came out at 2^53 or beyond is parsed again losslessly,
 * long integers becoming `bigint`; everything else keeps the fast native parse. `stringify` writes a
 * `bigint` back as the exact JSON number it was.
 */

/** A candidate for an integer above 2^53 (9007199254740992 has 16 digits). */
const LONG_DIGITS = /\d{16,}/;
const EXACT_LIMIT = 2 ** 53;

function parseNumber(text: string): number | bigint {
  return isInteger(text) && !isSafeNumber(text) ? BigInt(text) : Number(text);
}

/**
 * True when a parsed value holds a number JSON.parse may have rounded: an integer at 2^53 or beyond
 * (any integer written beyond 2^53 parses to one). Walking what was just parsed costs less than
 * scanning the text for long digit runs, and a run inside a string no longer counts.
 */
function mayHoldRoundedInteger(value: unknown): boolean {
  if (typeof value === 'number') return (value >= EXACT_LIMIT || value <= -EXACT_LIMIT) && Number.isInteger(value);
  if (typeof value !== 'object' || value === null) return false;
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) if (mayHoldRoundedInteger(value[i])) return true;
    return false;
  }
  const object = value as Record<string, unknown>;
  for (const key in object) if (mayHoldRoundedInteger(object[key])) return true;
  return false;
}

/** `JSON.parse`, except that integers beyond 2^53 become exact `bigint`s. Throws SyntaxError like JSON.parse. */
export function parseJson(text: string): unknown {
  const value: unknown = JSON.parse(text);
  let rounded: boolean;
  try {
    rounded = mayHoldRoundedInteger(value);
  } catch (error) {
    // Nested deeper than the walk's stack: the text decides.
    if (!(error instanceof RangeError)) throw error;
    rounded = LONG_DIGITS.test(text);
  }
  if (!rounded) return value;
  // The lossless parser takes the last of duplicate keys, as JSON.parse does.
  return losslessParse(text, null, { parseNumber, onDuplicateKey: ({ newValue }) => newValue });
}

/**
 * A marker no real string carries (a NUL and a per-process nonce), and the pattern of a marked
 * `bigint`, replaced by the bare digits. Made by the first `bigint` written: Node's crypto module is
 * not loaded by every start-up.
 */
let marker: { mark: string; marked: RegExp } | undefined;

function bigintMarker(): { mark: string; marked: RegExp } {
  if (!marker) {
    const mark = `\u0000${Buffer.from(globalThis.crypto.getRandomValues(new Uint8Array(6))).toString('hex')}:`;
    marker = { mark, marked: new RegExp(`"\\\\u0000${mark.slice(1)}(-?\\d+)"`, 'g') };
  }
  return marker;
}

function isBigIntError(error: unknown): boolean {
  return error instanceof TypeError && /BigInt/i.test(error.message);
}

/** `JSON.stringify` that writes `bigint`s as exact JSON numbers (the fast path costs nothing until one appears). */
export function stringifyJson(value: unknown): string {
  try {
    return JSON.stringify(value);
  } catch (error) {
    if (!isBigIntError(error)) throw error;
  }
  const { mark, marked } = bigintMarker();
  return JSON.stringify(value, (_key, v: unknown) => (typeof v === 'bigint' ? mark + v.toString() : v)).replace(marked, '$1');
}

/**
 * `target[key] = value` as JSON.parse would do it: an own, enumerable property even for the key
 * `__proto__` (where an assignment would set the prototype instead and lose the value).
 */
export function setProperty(target: Record<string, unknown>, key: string, value: unknown): void {
  if (key === '__proto__') Object.defineProperty(target, key, { value, writable: true, enumerable: true, configurable: true });
  else target[key] = value;
}

/** A copy with every `bigint` as the nearest number (for checks such as schema validation, never for output). */
export function withNumbers(value: unknown): unknown {
  if (typeof value === 'bigint') return Number(value);
  if (Array.isArray(value)) return value.map(withNumbers);
  if (typeof value === 'object' && value !== null) {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) setField(out, k, withNumbers(v));
    return out;
  }
  return value;
}

/**
 * Where a JSON text is broken, without any of its content (a config file holds secrets): `line 3,
 * column 14: Comma ',' expected after value`. Undefined when the text parses.
 */
export function jsonSyntaxError(text: string): string | undefined {
  try {
    JSON.parse(text);
    return undefined;
  } catch {
    // locate it below
  }
  let message: string;
  try {
    losslessParse(text, null, { parseNumber: () => 0, onDuplicateKey: ({ newValue }) => newValue });
    return 'not valid JSON';
  } catch (error) {
    message = error instanceof Error ? error.message : String(error);
  }
  const at = /at position (\d+)/.exec(message);
  // Keep the grammar ("Comma ',' expected"), drop any quoted piece of the file ("but got 'x'", "Invalid number '12a'").
  const what = message
    .replace(/\s*at position \d+.*$/, '')
    .replace(/\s*but got '.*$/, '')
    .replace(/\s*but reached end of input/, '')
    .replace(/\s*'(?![,:"}\]]')[^']*'/g, '')
    .trim();
  if (!at) return what || 'not valid JSON';
  const position = Number(at[1]);
  const before = text.slice(0, position);
  const line = before.split('\n').length;
  const column = position - before.lastIndexOf('\n');
  const end = position >= text.length ? ' (the file ends too early)' : '';
  return `line ${line}, column ${column}: ${what}${end}`;
}

/** Reads a JSON file's text for a flag: one line naming the file and where it is broken, never its content. */
export function parseJsonFile(text: string, where: string): unknown {
  try {
    return parseJson(text);
  } catch (error) {
    if (error instanceof RangeError) throw new UserError(`${where}: nested too deeply to read`);
    throw new UserError(`${where}: not valid JSON (${jsonSyntaxError(text) ?? 'unreadable'})`);
  }
}
