import { createHash } from 'node:crypto';
import { asNumber, isDict, PyError, PyFunction, PyModule, pyEquals, pyLess, pyRepr, pyStr, truthy, typeName, type PyObject } from './pyvalue.js';
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

function toInt(args: unknown[]): number {
  arity('int', args, 0, 2);
  if (args.length === 0) return 0;
  const [v, base] = args;
  const n = asNumber(v);
  if (n !== undefined && base === undefined) {
    if (!Number.isFinite(n)) throw new PyError('ValueError', `cannot convert float ${pyStr(n)} to integer`);
    return Math.trunc(n);
  }
  if (typeof v === 'string') {
    const b = base === undefined ? 10 : asNumber(base) ?? 10;
    const text = v.trim().replace(/_/g, '');
    const digits = b === 16 ? /^[+-]?(0x)?[0-9a-f]+$/i : b === 8 ? /^[+-]?(0o)?[0-7]+$/i : b === 2 ? /^[+-]?(0b)?[01]+$/i : /^[+-]?\d+$/;
    if (!digits.test(text)) throw new PyError('ValueError', `invalid literal for int() with base ${b}: ${pyRepr(v)}`);
    const sign = text.startsWith('-') ? -1 : 1;
    return sign * parseInt(text.replace(/^[+-]/, '').replace(/^0[xob]/i, ''), b);
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
function pyRound(args: unknown[]): number {
  arity('round', args, 1, 2);
  const x = asNumber(args[0]);
  if (x === undefined) throw new PyError('TypeError', `type ${typeName(args[0])} doesn't define __round__ method`);
  const nd = args[1] === undefined || args[1] === null ? 0 : asNumber(args[1]) ?? 0;
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
  if (typeof v === 'string') return [...v].length;
  if (Array.isArray(v)) return v.length;
  if (isDict(v)) return Object.keys(v).length;
  throw new PyError('TypeError', `object of type '${typeName(v)}' has no len()`);
}

/** What a `for` iterates: list items, string characters, dict keys. */
export function iterate(v: unknown): unknown[] {
  if (Array.isArray(v)) return v;
  if (typeof v === 'string') return [...v];
  if (isDict(v)) return Object.keys(v);
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
  const [itemSep, keySep] = o.separators ?? (o.indent !== undefined ? [',', ': '] : [', ', ': ']);
  const nl = o.indent !== undefined ? '\n' + ' '.repeat(o.indent * (depth + 1)) : '';
  const end = o.indent !== undefined ? '\n' + ' '.repeat(o.indent * depth) : '';
  const str = (s: string) => {
    const j = JSON.stringify(s);
    return o.ensureAscii ? j.replace(/[\u007f-\uffff]/g, (c) => '\\u' + c.charCodeAt(0).toString(16).padStart(4, '0')) : j;
  };
  if (v === null || v === undefined) return 'null';
  if (v === true) return 'true';
  if (v === false) return 'false';
  if (typeof v === 'number') return Number.isNaN(v) ? 'NaN' : !Number.isFinite(v) ? (v > 0 ? 'Infinity' : '-Infinity') : String(v);
  if (typeof v === 'string') return str(v);
  if (Array.isArray(v)) return v.length ? `[${nl}${v.map((x) => dumps(x, o, depth + 1)).join(itemSep + nl)}${end}]` : '[]';
  if (isDict(v)) {
    const keys = Object.keys(v);
    if (o.sortKeys) keys.sort();
    return keys.length ? `{${nl}${keys.map((k) => str(k) + keySep + dumps(v[k], o, depth + 1)).join(itemSep + nl)}${end}}` : '{}';
  }
  if (o.dflt) return dumps(o.dflt.call([v], {}), o, depth);
  throw new PyError('TypeError', `Object of type ${typeName(v)} is not JSON serializable`);
}

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
  loads: fn('loads', (args) => {
    arity('loads', args, 1);
    try {
      return JSON.parse(needStr('loads', args[0])) as unknown;
    } catch (error) {
      throw new PyError('JSONDecodeError', (error as Error).message);
    }
  }),
});

/** Every global function and module; names that are not here are looked up in the record. */
export const BUILTINS: Readonly<Record<string, unknown>> = {
  md5: digest('md5'),
  sha256: digest('sha256'),
  int: fn('int', toInt),
  float: fn('float', toFloat),
  str: fn('str', (args) => { arity('str', args, 0, 1); return args.length ? pyStr(args[0]) : ''; }),
  bool: fn('bool', (args) => { arity('bool', args, 0, 1); return truthy(args[0]); }),
  len: fn('len', (args) => { arity('len', args, 1); return length(args[0]); }),
  round: fn('round', pyRound),
  abs: fn('abs', (args) => {
    arity('abs', args, 1);
    const n = asNumber(args[0]);
    if (n === undefined) throw new PyError('TypeError', `bad operand type for abs(): '${typeName(args[0])}'`);
    return Math.abs(n);
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

const STR_METHODS: Record<string, (s: string, args: unknown[]) => unknown> = {
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
  replace: (s, a) => {
    const [from, to, count] = [needStr('replace', a[0]), needStr('replace', a[1]), a[2] === undefined ? -1 : asNumber(a[2]) ?? -1];
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
  join: (s, a) => iterate(a[0]).map((x) => {
    if (typeof x !== 'string') throw new PyError('TypeError', `sequence item: expected str instance, ${typeName(x)} found`);
    return x;
  }).join(s),
  zfill: (s, a) => {
    const w = asNumber(a[0]) ?? 0;
    const sign = /^[+-]/.test(s) ? s[0] as string : '';
    return sign + s.slice(sign.length).padStart(w - sign.length, '0');
  },
  isdigit: (s) => s.length > 0 && /^\d+$/.test(s),
  isalpha: (s) => s.length > 0 && /^\p{L}+$/u.test(s),
  isalnum: (s) => s.length > 0 && /^[\p{L}\d]+$/u.test(s),
  isspace: (s) => s.length > 0 && /^\s+$/.test(s),
  islower: (s) => /[a-z]/.test(s) && s === s.toLowerCase(),
  isupper: (s) => /[A-Z]/.test(s) && s === s.toUpperCase(),
  encode: (s) => s,
};

const DICT_METHODS: Record<string, (d: Record<string, unknown>, args: unknown[]) => unknown> = {
  get: (d, a) => {
    const k = a[0];
    if (typeof k === 'string' && Object.prototype.hasOwnProperty.call(d, k)) return d[k];
    if (typeof k === 'number' && Object.prototype.hasOwnProperty.call(d, String(k))) return d[String(k)];
    return a.length > 1 ? a[1] : null;
  },
  keys: (d) => Object.keys(d),
  values: (d) => Object.values(d),
  items: (d) => Object.entries(d),
};

const LIST_METHODS: Record<string, (l: unknown[], args: unknown[]) => unknown> = {
  count: (l, a) => l.filter((x) => pyEquals(x, a[0])).length,
  index: (l, a) => {
    const i = l.findIndex((x) => pyEquals(x, a[0]));
    if (i < 0) throw new PyError('ValueError', `${pyRepr(a[0])} is not in list`);
    return i;
  },
};

/**
 * `obj.name`: a method of a str, dict or list, an attribute of a host object, or (as simpleeval's
 * attribute fallback does) a key of a dict, so `record.email` reads `record['email']`.
 */
export function getAttribute(obj: unknown, name: string): unknown {
  if (typeof obj === 'string') {
    const m = STR_METHODS[name];
    if (m) return new PyFunction(name, (args) => m(obj, args));
  } else if (Array.isArray(obj)) {
    const m = LIST_METHODS[name];
    if (m) return new PyFunction(name, (args) => m(obj, args));
  } else if (isDict(obj)) {
    const m = DICT_METHODS[name];
    if (m) return new PyFunction(name, (args) => m(obj, args));
    if (Object.prototype.hasOwnProperty.call(obj, name)) return obj[name];
    throw new PyError('KeyError', pyRepr(name));
  } else if (obj !== null && typeof obj === 'object' && typeof (obj as PyObject).getAttr === 'function') {
    return (obj as PyObject).getAttr(name);
  }
  throw new PyError('AttributeError', `'${typeName(obj)}' object has no attribute '${name}'`);
}


/** `obj.name(args)` without building a bound method first (the common case: string and dict methods). */
export function callMethod(obj: unknown, name: string, args: unknown[], kwargs: Record<string, unknown>): unknown {
  if (typeof obj === 'string') {
    const m = STR_METHODS[name];
    if (m) return m(obj, args);
  } else if (Array.isArray(obj)) {
    const m = LIST_METHODS[name];
    if (m) return m(obj, args);
  } else if (isDict(obj)) {
    const m = DICT_METHODS[name];
    if (m) return m(obj, args);
  }
  const fn = getAttribute(obj, name);
  if (fn instanceof PyFunction) return fn.call(args, kwargs);
  throw new PyError('TypeError', `'${typeName(fn)}' object is not callable`);
}
