import { charged, reserve, spend } from './budget.js';
import { asNumber, isDict, isPyObject, PyError, PyFunction, pyEquals, pyRepr, typeName } from './pyvalue.js';
import { iterate, needStr } from './builtins.js';

/** Methods of str, dict and list, and attribute access, with Python's meaning. */


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
export function callMethod(obj: unknown, name: string, call: { args: unknown[]; kwargs: Record<string, unknown> }): unknown {
  const { args, kwargs } = call;
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
