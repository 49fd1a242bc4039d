import { createHash } from 'node:crypto';
import { nestingDepth } from '../../core/json.js';
import { parseJson } from '../../core/jsontext.js';
import { charged, reserve, spend } from './budget.js';
import { intOf, MAX_INT_DIGITS, numeric, parseIntText, tooManyDigits } from './pynumber.js';
import { asNumber, isDict, PyError, PyFunction, PyModule, pyLess, pyRepr, pyStr, truthy, typeName } from './pyvalue.js';
import { datetimeModule } from './pydatetime.js';

/** The functions and modules of the SDK's map expressions (`md5`, `int`, `json`, `datetime`, ...). */

const fn = (name: string, call: (args: unknown[], kwargs: Record<string, unknown>) => unknown) => new PyFunction(name, call);

function arity(name: string, args: unknown[], min: number, max = min): void {
  if (args.length < min || args.length > max) {
    throw new PyError('TypeError', `${name}() takes ${min === max ? min : `${min} to ${max}`} argument${max === 1 ? '' : 's'} (${args.length} given)`);
  }
}

export function needStr(name: string, v: unknown): string {
  if (typeof v !== 'string') throw new PyError('TypeError', `${name}() needs a string, got ${typeName(v)}${v === null ? ` (e.g. \`${name}(x) if x else None\` for a field that may be null)` : ''}`);
  return v;
}

function digest(algo: 'md5' | 'sha256') {
  return fn(algo, (args) => {
    arity(algo, args, 1);
    return createHash(algo).update(needStr(algo, args[0]), 'utf8').digest('hex');
  });
}

function toInt(args: unknown[]): number | bigint {
  arity('int', args, 0, 2);
  if (args.length === 0) return 0;
  const [v, base] = args;
  const n = numeric(v);
  if (n !== undefined && base === undefined) {
    if (typeof n === 'bigint') return n;
    if (!Number.isFinite(n)) throw new PyError('ValueError', `cannot convert float ${pyStr(n)} to integer`);
    return intOf(Math.trunc(n));
  }
  if (typeof v === 'string') {
    const b = base === undefined ? 10 : asNumber(base) ?? 10;
    const text = v.trim().replace(/_/g, '');
    if (text.length > MAX_INT_DIGITS + 3) throw tooManyDigits();
    const digits = b === 16 ? /^[+-]?(0x)?[0-9a-f]+$/i : b === 8 ? /^[+-]?(0o)?[0-7]+$/i : b === 2 ? /^[+-]?(0b)?[01]+$/i : /^[+-]?\d+$/;
    if (!digits.test(text)) throw new PyError('ValueError', `invalid literal for int() with base ${b}: ${pyRepr(v)}`);
    return parseIntText(text, b);
  }
  throw new PyError('TypeError', `int() argument must be a string or a number, not '${typeName(v)}'`);
}

function toFloat(args: unknown[]): number {
  arity('float', args, 0, 1);
  if (args.length === 0) return 0;
  const v = args[0];
  const n = asNumber(v);
  if (n !== undefined) return n;
  if (typeof v === 'string') {
    const t = v.trim().toLowerCase().replace(/_/g, '');
    if (/^[+-]?(inf|infinity)$/.test(t)) return t.startsWith('-') ? -Infinity : Infinity;
    if (/^[+-]?nan$/.test(t)) return NaN;
    if (/^[+-]?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?$/.test(t)) return Number(t);
    throw new PyError('ValueError', `could not convert string to float: ${pyRepr(v)}`);
  }
  throw new PyError('TypeError', `float() argument must be a string or a real number, not '${typeName(v)}'`);
}

/** Python's round(): half to even. */
function pyRound(args: unknown[]): number | bigint {
  arity('round', args, 1, 2);
  const exact = numeric(args[0]);
  const x = asNumber(args[0]);
  if (x === undefined) throw new PyError('TypeError', `type ${typeName(args[0])} doesn't define __round__ method`);
  const nd = args[1] === undefined || args[1] === null ? 0 : asNumber(args[1]) ?? 0;
  // An int rounded to units or decimals is itself.
  if (typeof exact === 'bigint' && nd >= 0) return exact;
  const f = 10 ** nd;
  const scaled = x * f;
  const floor = Math.floor(scaled);
  const diff = scaled - floor;
  const eps = 1e-9 * Math.max(1, Math.abs(scaled));
  let r: number;
  if (Math.abs(diff - 0.5) < eps) r = floor % 2 === 0 ? floor : floor + 1;
  else r = Math.round(scaled);
  return r / f;
}

export function length(v: unknown): number {
  if (typeof v === 'string') {
    spend(v.length);
    return [...v].length;
  }
  if (Array.isArray(v)) return v.length;
  if (isDict(v)) return Object.keys(v).length;
  throw new PyError('TypeError', `object of type '${typeName(v)}' has no len()`);
}

/** What a `for` iterates: list items, string characters, dict keys. */
export function iterate(v: unknown): unknown[] {
  if (Array.isArray(v)) {
    spend(v.length);
    return v;
  }
  if (typeof v === 'string') {
    spend(v.length);
    reserve(8 * v.length);
    return [...v];
  }
  if (isDict(v)) {
    const keys = Object.keys(v);
    spend(keys.length);
    reserve(8 * keys.length);
    return keys;
  }
  throw new PyError('TypeError', `'${typeName(v)}' object is not iterable`);
}

function extreme(name: 'min' | 'max') {
  return fn(name, (args, kwargs) => {
    const items = args.length === 1 ? iterate(args[0]) : args;
    if (items.length === 0) {
      if ('default' in kwargs) return kwargs.default;
      throw new PyError('ValueError', `${name}() arg is an empty sequence`);
    }
    let best = items[0];
    for (const x of items.slice(1)) if (name === 'min' ? pyLess(x, best, '<') : pyLess(best, x, '<')) best = x;
    return best;
  });
}

/** Python's json.dumps: `, ` and `: ` separators and ASCII escapes by default. */
function dumps(v: unknown, o: { sortKeys: boolean; indent?: number; ensureAscii: boolean; separators?: [string, string]; dflt?: PyFunction }, depth = 0): string {
  spend(1);
  const [itemSep, keySep] = o.separators ?? (o.indent !== undefined ? [',', ': '] : [', ', ': ']);
  const str = (s: string) => {
    const j = charged(JSON.stringify(s));
    return o.ensureAscii ? j.replace(/[\u007f-\uffff]/g, (c) => '\\u' + c.charCodeAt(0).toString(16).padStart(4, '0')) : j;
  };
  if (v === null || v === undefined) return 'null';
  if (v === true) return 'true';
  if (v === false) return 'false';
  if (typeof v === 'number') return Number.isNaN(v) ? 'NaN' : !Number.isFinite(v) ? (v > 0 ? 'Infinity' : '-Infinity') : String(v);
  if (typeof v === 'bigint') return charged(v.toString());
  if (typeof v === 'string') return str(v);
  const items = Array.isArray(v) ? v.length : isDict(v) ? Object.keys(v).length : 0;
  // The indentation of every item is charged before it is built (indent=10**9 is one clear error).
  const indent = o.indent === undefined ? 0 : Math.max(0, o.indent);
  if (o.indent !== undefined) reserve((items + 1) * (indent * (depth + 1) + itemSep.length + 1));
  const nl = o.indent !== undefined ? '\n' + ' '.repeat(indent * (depth + 1)) : '';
  const end = o.indent !== undefined ? '\n' + ' '.repeat(indent * depth) : '';
  if (Array.isArray(v)) return v.length ? `[${nl}${v.map((x) => dumps(x, o, depth + 1)).join(itemSep + nl)}${end}]` : '[]';
  if (isDict(v)) {
    const keys = Object.keys(v);
    if (o.sortKeys) keys.sort();
    return keys.length ? `{${nl}${keys.map((k) => str(k) + keySep + dumps(v[k], o, depth + 1)).join(itemSep + nl)}${end}}` : '{}';
  }
  if (o.dflt) return dumps(o.dflt.call([v], {}), o, depth);
  throw new PyError('TypeError', `Object of type ${typeName(v)} is not JSON serializable`);
}

/** How deeply `json.loads` may nest (what the other values' printing and copying can walk). */
const MAX_LOADS_DEPTH = 200;

const jsonModule = new PyModule('json', {
  dumps: fn('dumps', (args, kw) => {
    arity('dumps', args, 1);
    const indent = kw.indent === undefined || kw.indent === null ? undefined : asNumber(kw.indent);
    const separators = Array.isArray(kw.separators) ? (kw.separators.map(String) as [string, string]) : undefined;
    const o: Parameters<typeof dumps>[1] = { sortKeys: truthy(kw.sort_keys), ensureAscii: kw.ensure_ascii === undefined ? true : truthy(kw.ensure_ascii) };
    if (indent !== undefined) o.indent = indent;
    if (separators) o.separators = separators;
    if (kw.default instanceof PyFunction) o.dflt = kw.default;
    return dumps(args[0], o);
  }),
  // Integers beyond 2^53 stay exact, as Python's json keeps them; any key is data.
  loads: fn('loads', (args) => {
    arity('loads', args, 1);
    const text = needStr('loads', args[0]);
    reserve(2 * text.length);
    spend(text.length);
    let value: unknown;
    try {
      value = parseJson(text);
    } catch (error) {
      throw new PyError('JSONDecodeError', error instanceof RangeError ? 'nested too deeply' : (error as Error).message);
    }
    if (nestingDepth(value, MAX_LOADS_DEPTH) > MAX_LOADS_DEPTH) throw new PyError('JSONDecodeError', `nested more than ${MAX_LOADS_DEPTH} levels deep`);
    return value;
  }),
});

/** Every global function and module; names that are not here are looked up in the record. */
export const BUILTINS: Readonly<Record<string, unknown>> = {
  md5: digest('md5'),
  sha256: digest('sha256'),
  int: fn('int', toInt),
  float: fn('float', toFloat),
  str: fn('str', (args) => { arity('str', args, 0, 1); return args.length ? charged(pyStr(args[0])) : ''; }),
  bool: fn('bool', (args) => { arity('bool', args, 0, 1); return truthy(args[0]); }),
  len: fn('len', (args) => { arity('len', args, 1); return length(args[0]); }),
  round: fn('round', pyRound),
  abs: fn('abs', (args) => {
    arity('abs', args, 1);
    const n = numeric(args[0]);
    if (n === undefined) throw new PyError('TypeError', `bad operand type for abs(): '${typeName(args[0])}'`);
    return typeof n === 'bigint' ? (n < 0n ? -n : n) : Math.abs(n);
  }),
  min: extreme('min'),
  max: extreme('max'),
  json: jsonModule,
  datetime: datetimeModule,
};
