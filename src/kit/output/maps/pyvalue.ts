/**
 * Python values as the map evaluator sees them: None, bool, int (a JS number, or a bigint beyond
 * 2^53: see pynumber.ts), float (a JS number), str, list
 * (tuples are lists), dict (plain objects), plus a few host objects (functions, the `json` and
 * `datetime` modules, datetimes, Faker). Helpers here give them Python's semantics: truthiness,
 * equality, ordering, `str()` / `repr()`, and the `TypeError` / `KeyError` messages Python prints.
 */

import { PyError } from './pyerror.js';
import { spend } from './budget.js';
import { numeric, numEquals, numLess } from './pynumber.js';

export { PyError };

/** A callable host function: positional and keyword arguments, as Python passes them. */
export class PyFunction {
  constructor(readonly name: string, readonly call: (args: unknown[], kwargs: Record<string, unknown>) => unknown) {}
}

/** A host object exposing attributes (modules, classes, Faker). */
export interface PyObject {
  readonly pyTypeName: string;
  getAttr(name: string): unknown;
}

export function isPyObject(v: unknown): v is PyObject {
  return typeof v === 'object' && v !== null && typeof (v as PyObject).getAttr === 'function' && typeof (v as PyObject).pyTypeName === 'string';
}

/** A module (`json`, `datetime`): named attributes, nothing else. */
export class PyModule implements PyObject {
  readonly pyTypeName = 'module';
  constructor(readonly name: string, private readonly attrs: Record<string, unknown>) {}
  getAttr(name: string): unknown {
    if (!Object.hasOwn(this.attrs, name)) throw new PyError('AttributeError', `module '${this.name}' has no attribute '${name}'`);
    return this.attrs[name];
  }
  str(): string { return `<module '${this.name}'>`; }
}

export type PyDict = Record<string, unknown>;

export function isDict(v: unknown): v is PyDict {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) return false;
  const proto = Object.getPrototypeOf(v) as unknown;
  return proto === Object.prototype || proto === null;
}

export function typeName(v: unknown): string {
  if (v === null || v === undefined) return 'NoneType';
  if (typeof v === 'boolean') return 'bool';
  if (typeof v === 'number') return Number.isInteger(v) ? 'int' : 'float';
  if (typeof v === 'bigint') return 'int';
  if (typeof v === 'string') return 'str';
  if (Array.isArray(v)) return 'list';
  if (v instanceof PyFunction) return 'builtin_function_or_method';
  if (isPyObject(v)) return v.pyTypeName;
  if (isDict(v)) return 'dict';
  return 'object';
}

export function truthy(v: unknown): boolean {
  if (v === null || v === undefined) return false;
  if (typeof v === 'boolean') return v;
  if (typeof v === 'number') return v !== 0 && !Number.isNaN(v);
  if (typeof v === 'bigint') return v !== 0n;
  if (typeof v === 'string') return v.length > 0;
  if (Array.isArray(v)) return v.length > 0;
  if (isDict(v)) return Object.keys(v).length > 0;
  const custom = v as { truthy?: () => boolean };
  return isPyObject(v) && typeof custom.truthy === 'function' ? custom.truthy() : true;
}

/**
 * A number or bool as a JS number (True is 1), for positions, counts and floats; a bigint becomes the
 * nearest number. Arithmetic and comparisons use `numeric` (pynumber.ts) and stay exact.
 */
export function asNumber(v: unknown): number | undefined {
  if (typeof v === 'number') return v;
  if (typeof v === 'boolean') return v ? 1 : 0;
  if (typeof v === 'bigint') return Number(v);
  return undefined;
}

/** Host values that compare by value (datetimes) expose a sortable key and an equality. */
interface Comparable { compareKey(): number; pyTypeName: string }
const isComparable = (v: unknown): v is Comparable => isPyObject(v) && 'compareKey' in v && typeof v.compareKey === 'function';

export function pyEquals(a: unknown, b: unknown): boolean {
  const na = numeric(a);
  const nb = numeric(b);
  if (na !== undefined && nb !== undefined) return numEquals(na, nb);
  if (a === null || a === undefined) return b === null || b === undefined;
  if (typeof a === 'string' || typeof b === 'string') return a === b;
  if (Array.isArray(a) && Array.isArray(b)) {
    spend(a.length);
    return a.length === b.length && a.every((x, i) => pyEquals(x, b[i]));
  }
  if (isDict(a) && isDict(b)) {
    const ka = Object.keys(a);
    spend(ka.length);
    return ka.length === Object.keys(b).length && ka.every((k) => Object.hasOwn(b, k) && pyEquals(a[k], b[k]));
  }
  if (isComparable(a) && isComparable(b)) return a.pyTypeName === b.pyTypeName && a.compareKey() === b.compareKey();
  return a === b;
}

/** `<`, as Python orders values (numbers, strings, lists, datetimes); anything else is a TypeError. */
export function pyLess(a: unknown, b: unknown, op: string): boolean {
  const na = numeric(a);
  const nb = numeric(b);
  if (na !== undefined && nb !== undefined) return numLess(na, nb);
  if (typeof a === 'string' && typeof b === 'string') return a < b;
  if (Array.isArray(a) && Array.isArray(b)) {
    spend(Math.min(a.length, b.length));
    for (let i = 0; i < Math.min(a.length, b.length); i++) {
      if (!pyEquals(a[i], b[i])) return pyLess(a[i], b[i], op);
    }
    return a.length < b.length;
  }
  if (isComparable(a) && isComparable(b) && a.pyTypeName === b.pyTypeName) return a.compareKey() < b.compareKey();
  throw new PyError('TypeError', `'${op}' not supported between instances of '${typeName(a)}' and '${typeName(b)}'`);
}

function formatFloat(n: number): string {
  if (Number.isNaN(n)) return 'nan';
  if (!Number.isFinite(n)) return n > 0 ? 'inf' : '-inf';
  return String(n);
}

function quote(s: string): string {
  const q = s.includes("'") && !s.includes('"') ? '"' : "'";
  const body = s.replace(/\\/g, '\\\\').replace(/\n/g, '\\n').replace(/\r/g, '\\r').replace(/\t/g, '\\t');
  return q + (q === "'" ? body.replace(/'/g, "\\'") : body) + q;
}

/** Python's `repr()`. */
export function pyRepr(v: unknown): string {
  if (typeof v === 'string') return quote(v);
  if (Array.isArray(v)) {
    spend(v.length);
    return `[${v.map(pyRepr).join(', ')}]`;
  }
  if (isDict(v)) {
    const entries = Object.entries(v);
    spend(entries.length);
    return `{${entries.map(([k, x]) => `${quote(k)}: ${pyRepr(x)}`).join(', ')}}`;
  }
  return pyStr(v);
}

/** Python's `str()`. */
export function pyStr(v: unknown): string {
  if (v === null || v === undefined) return 'None';
  if (v === true) return 'True';
  if (v === false) return 'False';
  if (typeof v === 'number') return formatFloat(v);
  if (typeof v === 'bigint') return v.toString();
  if (typeof v === 'string') return v;
  if (Array.isArray(v) || isDict(v)) return pyRepr(v);
  if (v instanceof PyFunction) return `<built-in function ${v.name}>`;
  const custom = v as { str?: () => string };
  if (isPyObject(v) && typeof custom.str === 'function') return custom.str();
  return `<${typeName(v)} object>`;
}

/** Sets a dict entry as data, even for the key `__proto__` (an assignment would set the prototype). */
export function setItem(d: PyDict, key: string, value: unknown): void {
  if (key === '__proto__') Object.defineProperty(d, key, { value, writable: true, enumerable: true, configurable: true });
  else d[key] = value;
}

/**
 * A value evaluated for a record, as JSON: datetimes become ISO strings, integers beyond 2^53 stay
 * exact bigints (written as their digits), host objects are refused.
 */
export function toJson(v: unknown, where: () => string): unknown {
  if (v === null || v === undefined || typeof v === 'boolean' || typeof v === 'string' || typeof v === 'bigint') return v ?? null;
  if (typeof v === 'number') {
    if (!Number.isFinite(v)) throw new PyError('ValueError', `${where()}: ${formatFloat(v)} cannot be written to JSON`);
    return v;
  }
  if (Array.isArray(v)) return v.map((x) => toJson(x, where));
  if (isDict(v)) {
    const out: PyDict = {};
    for (const [k, x] of Object.entries(v)) setItem(out, k, toJson(x, where));
    return out;
  }
  const custom = v as { toJSON?: () => unknown };
  if (isPyObject(v) && typeof custom.toJSON === 'function') return custom.toJSON();
  throw new PyError('TypeError', `${where()}: a '${typeName(v)}' cannot be written into a record`);
}
