/**
 * A record's keys are data: an API may send `__proto__`, `constructor` or `toString` as a field name.
 * Plain property access gives those names JavaScript's meaning instead: reading a missing
 * `record.constructor` returns a function, `'toString' in record` is always true, and assigning
 * `out.__proto__ = value` replaces the object's prototype and loses the field. The kit reads and
 * writes fields of records and schemas through these helpers wherever a key may come from data.
 */

const INHERITED = new Set(Object.getOwnPropertyNames(Object.prototype));

/** True for a name plain objects inherit (`constructor`, `__proto__`, `toString`, ...): plain access would not read the field. */
export function isInheritedName(key: string): boolean {
  return INHERITED.has(key);
}

const hasOwn = Object.prototype.hasOwnProperty;

/** Whether the object has this field itself (never through its prototype). */
export function hasField(object: object, key: string): boolean {
  return hasOwn.call(object, key);
}

/** The object's own field, or undefined: `constructor` is whatever the API sent, or nothing. */
export function fieldOf<T>(object: Record<string, T>, key: string): T | undefined {
  return hasOwn.call(object, key) ? object[key] : undefined;
}

/** Sets a field as data, `__proto__` included (plain assignment would set the object's prototype instead). */
export function setField<T>(object: Record<string, T>, key: string, value: T): void {
  if (key === '__proto__') Object.defineProperty(object, key, { value, writable: true, enumerable: true, configurable: true });
  else object[key] = value;
}
