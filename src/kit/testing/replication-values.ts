import { isObject } from './json-schema.js';

/** How replication-key values compare: date-times as instants, numbers as numbers, anything else as text. */
export type ValueKind = 'datetime' | 'number' | 'string';

function typesOf(schema: Record<string, unknown>): unknown[] {
  return Array.isArray(schema.type) ? schema.type : [schema.type];
}

/** The kind of a property from its JSON Schema (`format: date-time`/`date`, `integer`/`number`), also inside `anyOf`/`oneOf`. */
export function valueKind(schema: unknown): ValueKind {
  if (!isObject(schema)) return 'string';
  const variants = [schema, ...((schema.anyOf ?? schema.oneOf ?? []) as unknown[]).filter(isObject)];
  if (variants.some((s) => s.format === 'date-time' || s.format === 'date')) return 'datetime';
  if (variants.some((s) => typesOf(s).includes('integer') || typesOf(s).includes('number'))) return 'number';
  return 'string';
}

/** A value in comparable form (epoch ms, number, string), or undefined when it cannot be placed (null, empty, garbage). */
export function comparable(value: unknown, kind: ValueKind): number | string | undefined {
  if (value === null || value === undefined || value === '') return undefined;
  if (kind === 'datetime') {
    const ms = typeof value === 'number' ? value : Date.parse(String(value));
    return Number.isFinite(ms) ? ms : undefined;
  }
  if (kind === 'number') {
    const n = typeof value === 'number' ? value : Number(value);
    return Number.isFinite(n) ? n : undefined;
  }
  return typeof value === 'string' ? value : JSON.stringify(value);
}

/** `a < b`, `a = b`, `a > b` as -1, 0, 1 (both of one kind). */
export function compare(a: number | string, b: number | string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** The larger of two comparable values (undefined counts as nothing). */
export function larger<T extends number | string>(a: T | undefined, b: T | undefined): T | undefined {
  if (a === undefined) return b;
  if (b === undefined) return a;
  return compare(a, b) >= 0 ? a : b;
}
