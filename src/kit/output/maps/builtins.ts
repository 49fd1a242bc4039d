import { createHash } from 'node:crypto';
import { nestingDepth } from '../../core/json.js';
import { parseJson } from '../../core/jsontext.js';
import { charged, reserve, spend } from './budget.js';
import { intOf, MAX_INT_DIGITS, numeric, parseIntText, tooManyDigits } from './pynumber.js';
import { asNumber, isDict, isPyObject, PyError, PyFunction, PyModule, pyEquals, pyLess, pyRepr, pyStr, truthy, typeName } from './pyvalue.js';
import { datetimeModule } from './pydatetime.js';

/** The functions and modules of the SDK's map expressions (`md5`, `int`, `json`, `datetime`, ...). */

const fn = (name: string, call: (args: unknown[], kwargs: Record<string, unknown>) => unknown) => new PyFunction(name, call);

function arity(name: string, args: unknown[], min: number, max = min): void {
  if (args.length < min || args.length > max) {
    throw new PyError('TypeError', `${name}() takes ${min === max ? min : `${min} to ${max}`} argument${max === 1 ? '' : 's'} (${args.length} given)`);
  }
}

function needStr(name: string, v: unknown): string {
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

// --- methods of str, dict and list ---------------------------------------------------------------


const strip = (s: string, chars: unknown, side: 'both' | 'left' | 'right'): string => {
  const set = chars === undefined || chars === null ? null : new Set([...needStr('strip', chars)]);
  const isStrip = (c: string) => (set ? set.has(c) : /\s/.test(c));
  const cs = [...s];
  let a = 0;
  let b = cs.length;
  if (side !== 'right') while (a < b && isStrip(cs[a] as string)) a++;
  if (side !== 'left') while (b > a && isStrip(cs[b - 1] as string)) b--;
  return cs.slice(a, b).join('');
};

const prefixes = (v: unknown): string[] => (Array.isArray(v) ? v.map((x) => needStr('startswith', x)) : [needStr('startswith', v)]);

/** The methods of str (a Map: only these names are methods, never a JS prototype's). */
const STR_METHODS = new Map<string, (s: string, args: unknown[]) => unknown>(Object.entries({
  lower: (s) => s.toLowerCase(),
  upper: (s) => s.toUpperCase(),
  strip: (s, a) => strip(s, a[0], 'both'),
  lstrip: (s, a) => strip(s, a[0], 'left'),
  rstrip: (s, a) => strip(s, a[0], 'right'),
  title: (s) => s.toLowerCase().replace(/(^|[^A-Za-z])([a-z])/g, (_m, p: string, c: string) => p + c.toUpperCase()),
  capitalize: (s) => s.charAt(0).toUpperCase() + s.slice(1).toLowerCase(),
  swapcase: (s) => [...s].map((c) => (c === c.toUpperCase() ? c.toLowerCase() : c.toUpperCase())).join(''),
  startswith: (s, a) => prefixes(a[0]).some((p) => s.startsWith(p)),
  endswith: (s, a) => prefixes(a[0]).some((p) => s.endsWith(p)),
  find: (s, a) => s.indexOf(needStr('find', a[0])),
  rfind: (s, a) => s.lastIndexOf(needStr('rfind', a[0])),
  index: (s, a) => {
    const i = s.indexOf(needStr('index', a[0]));
    if (i < 0) throw new PyError('ValueError', 'substring not found');
    return i;
  },
  count: (s, a) => s.split(needStr('count', a[0])).length - 1,
  replace: (s: string, a: unknown[]) => {
    const [from, to, count] = [needStr('replace', a[0]), needStr('replace', a[1]), a[2] === undefined ? -1 : asNumber(a[2]) ?? -1];
    // What the result may grow to is charged before it is built.
    const places = from === '' ? s.length + 1 : Math.max(0, s.split(from).length - 1);
    reserve(s.length + Math.min(places, count < 0 ? places : count) * Math.max(0, to.length - from.length));
    if (count < 0) return s.split(from).join(to);
    let out = s;
    let pos = 0;
    for (let n = 0; n < count; n++) {
      const i = out.indexOf(from, pos);
      if (i < 0) break;
      out = out.slice(0, i) + to + out.slice(i + from.length);
      pos = i + to.length;
    }
    return out;
  },
  split: (s, a) => {
    const sep = a[0];
    const max = a[1] === undefined ? -1 : asNumber(a[1]) ?? -1;
    let parts: string[];
    if (sep === undefined || sep === null) parts = s.trim() === '' ? [] : s.trim().split(/\s+/);
    else {
      const p = needStr('split', sep);
      if (p === '') throw new PyError('ValueError', 'empty separator');
      parts = s.split(p);
      if (max >= 0 && parts.length > max + 1) parts = [...parts.slice(0, max), parts.slice(max).join(p)];
    }
    return parts;
  },
  join: (s: string, a: unknown[]) => {
    const items = iterate(a[0]).map((x) => {
      if (typeof x !== 'string') throw new PyError('TypeError', `sequence item: expected str instance, ${typeName(x)} found`);
      return x;
    });
    reserve(s.length * Math.max(0, items.length - 1) + items.reduce((n, x) => n + x.length, 0));
    return items.join(s);
  },
  zfill: (s: string, a: unknown[]) => {
    const w = asNumber(a[0]) ?? 0;
    reserve(Math.max(0, w));
    const sign = /^[+-]/.test(s) ? s[0] as string : '';
    return sign + s.slice(sign.length).padStart(w - sign.length, '0');
  },
  isdigit: (s) => s.length > 0 && /^\d+$/.test(s),
  isalpha: (s) => s.length > 0 && /^\p{L}+$/u.test(s),
  isalnum: (s) => s.length > 0 && /^[\p{L}\d]+$/u.test(s),
  isspace: (s) => s.length > 0 && /^\s+$/.test(s),
  islower: (s) => /[a-z]/.test(s) && s === s.toLowerCase(),
  isupper: (s) => /[A-Z]/.test(s) && s === s.toUpperCase(),
  encode: (s: string) => s,
} as Record<string, (s: string, args: unknown[]) => unknown>).map(([name, f]) => [name, (s: string, args: unknown[]) => charged(f(s, args))]));

/** The methods of dict. */
const DICT_METHODS = new Map<string, (d: Record<string, unknown>, args: unknown[]) => unknown>([
  ['get', (d, a) => {
    const k = a[0];
    const key = typeof k === 'string' ? k : typeof k === 'number' || typeof k === 'bigint' ? String(k) : undefined;
    if (key !== undefined && Object.hasOwn(d, key)) return d[key];
    return a.length > 1 ? a[1] : null;
  }],
  ['keys', (d) => charged(Object.keys(d))],
  ['values', (d) => charged(Object.values(d))],
  ['items', (d) => { const items = Object.entries(d); reserve(16 * items.length); return items; }],
]);

/** The methods of list (the ones that do not change it). */
const LIST_METHODS = new Map<string, (l: unknown[], args: unknown[]) => unknown>([
  ['count', (l, a) => { spend(l.length); return l.filter((x) => pyEquals(x, a[0])).length; }],
  ['index', (l, a) => {
    spend(l.length);
    const i = l.findIndex((x) => pyEquals(x, a[0]));
    if (i < 0) throw new PyError('ValueError', `${pyRepr(a[0])} is not in list`);
    return i;
  }],
]);

/**
 * `obj.name`: a method of a str, dict or list, an attribute of a host object, or (as simpleeval's
 * attribute fallback does) a key of a dict, so `record.email` reads `record['email']`. Nothing
 * else: a JS property (`constructor`, `valueOf`, `hasOwnProperty`) is no attribute of anything.
 */
export function getAttribute(obj: unknown, name: string): unknown {
  if (typeof obj === 'string') {
    const m = STR_METHODS.get(name);
    if (m) return new PyFunction(name, (args) => m(obj, args));
  } else if (Array.isArray(obj)) {
    const m = LIST_METHODS.get(name);
    if (m) return new PyFunction(name, (args) => m(obj, args));
  } else if (isDict(obj)) {
    const m = DICT_METHODS.get(name);
    if (m) return new PyFunction(name, (args) => m(obj, args));
    if (Object.hasOwn(obj, name)) return obj[name];
    throw new PyError('AttributeError', `'dict' object has no attribute '${name}' (nor a key of that name)`);
  } else if (isPyObject(obj)) {
    return obj.getAttr(name);
  }
  throw new PyError('AttributeError', `'${typeName(obj)}' object has no attribute '${name}'`);
}


/** `obj.name(args)` without building a bound method first (the common case: string and dict methods). */
export function callMethod(obj: unknown, name: string, args: unknown[], kwargs: Record<string, unknown>): unknown {
  if (typeof obj === 'string') {
    const m = STR_METHODS.get(name);
    if (m) return m(obj, args);
  } else if (Array.isArray(obj)) {
    const m = LIST_METHODS.get(name);
    if (m) return m(obj, args);
  } else if (isDict(obj)) {
    const m = DICT_METHODS.get(name);
    if (m) return m(obj, args);
  }
  const fn = getAttribute(obj, name);
  if (fn instanceof PyFunction) return fn.call(args, kwargs);
  throw new PyError('TypeError', `'${typeName(fn)}' object is not callable`);
}
