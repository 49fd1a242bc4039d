/**
 * Python values as the map evaluator sees them: None, bool, int/float (JS numbers), str, list
 * (tuples are lists), dict (plain objects), plus a few host objects (functions, the `json` and
 * `datetime` modules, datetimes, Faker). Helpers here give them Python's semantics: truthiness,
 * equality, ordering, `str()` / `repr()`, and the `TypeError` / `KeyError` messages Python prints.
 */

/** An error raised while evaluating (Python's exception name and message). */
export class PyError extends Error {
  constructor(readonly pyType: string, message: string) {
    super(`${pyType}: ${message}`);
  }
}

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
    if (!Object.prototype.hasOwnProperty.call(this.attrs, name)) throw new PyError('AttributeError', `module '${this.name}' has no attribute '${name}'`);
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
  if (typeof v === 'string') return v.length > 0;
  if (Array.isArray(v)) return v.length > 0;
  if (isDict(v)) return Object.keys(v).length > 0;
  const custom = v as { truthy?: () => boolean };
  return typeof custom.truthy === 'function' ? custom.truthy() : true;
}

/** Numbers and bools take part in arithmetic (True == 1), as in Python. */
export function asNumber(v: unknown): number | undefined {
  if (typeof v === 'number') return v;
  if (typeof v === 'boolean') return v ? 1 : 0;
  return undefined;
}

/** Host values that compare by value (datetimes) expose a sortable key and an equality. */
interface Comparable { compareKey(): number; pyTypeName: string }
const isComparable = (v: unknown): v is Comparable => isPyObject(v) && typeof (v as unknown as Comparable).compareKey === 'function';

export function pyEquals(a: unknown, b: unknown): boolean {
  const na = asNumber(a);
  const nb = asNumber(b);
  if (na !== undefined && nb !== undefined) return na === nb;
  if (a === null || a === undefined) return b === null || b === undefined;
  if (typeof a === 'string' || typeof b === 'string') return a === b;
  if (Array.isArray(a) && Array.isArray(b)) return a.length === b.length && a.every((x, i) => pyEquals(x, b[i]));
  if (isDict(a) && isDict(b)) {
    const ka = Object.keys(a);
    return ka.length === Object.keys(b).length && ka.every((k) => k in b && pyEquals(a[k], b[k]));
  }
  if (isComparable(a) && isComparable(b)) return a.pyTypeName === b.pyTypeName && a.compareKey() === b.compareKey();
  return a === b;
}

/** `<`, as Python orders values (numbers, strings, lists, datetimes); anything else is a TypeError. */
export function pyLess(a: unknown, b: unknown, op: string): boolean {
  const na = asNumber(a);
  const nb = asNumber(b);
  if (na !== undefined && nb !== undefined) return na < nb;
  if (typeof a === 'string' && typeof b === 'string') return a < b;
  if (Array.isArray(a) && Array.isArray(b)) {
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
  if (Array.isArray(v)) return `[${v.map(pyRepr).join(', ')}]`;
  if (isDict(v)) return `{${Object.entries(v).map(([k, x]) => `${quote(k)}: ${pyRepr(x)}`).join(', ')}}`;
  return pyStr(v);
}

/** Python's `str()`. */
export function pyStr(v: unknown): string {
  if (v === null || v === undefined) return 'None';
  if (v === true) return 'True';
  if (v === false) return 'False';
  if (typeof v === 'number') return formatFloat(v);
  if (typeof v === 'string') return v;
  if (Array.isArray(v) || isDict(v)) return pyRepr(v);
  const custom = v as { str?: () => string };
  if (typeof custom.str === 'function') return custom.str();
  if (v instanceof PyFunction) return `<built-in function ${v.name}>`;
  return `<${typeName(v)} object>`;
}

/** A value evaluated for a record, as JSON: datetimes become ISO strings, host objects are refused. */
export function toJson(v: unknown, where: () => string): unknown {
  if (v === null || v === undefined || typeof v === 'boolean' || typeof v === 'string') return v ?? null;
  if (typeof v === 'number') {
    if (!Number.isFinite(v)) throw new PyError('ValueError', `${where()}: ${formatFloat(v)} cannot be written to JSON`);
    return v;
  }
  if (Array.isArray(v)) return v.map((x) => toJson(x, where));
  if (isDict(v)) {
    const out: Record<string, unknown> = {};
    for (const [k, x] of Object.entries(v)) out[k] = toJson(x, where);
    return out;
  }
  const custom = v as { toJSON?: () => unknown };
  if (typeof custom.toJSON === 'function') return custom.toJSON();
  throw new PyError('TypeError', `${where()}: a '${typeName(v)}' cannot be written into a record`);
}
