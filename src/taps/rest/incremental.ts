import { UserError, comparable, fieldOf, getPath, isJsonObject, setField, type JsonObject, type JsonValue, type BookmarkValue } from '@singer-io-compatible/tap-kit';
import type { IncrementalConfig } from './definition.js';

export type KeyKind = 'datetime' | 'number' | 'string';

/** The steps of a cursor path: `$.attributes.updated_at` and `attributes.updated_at` are `attributes`, `updated_at`; `a[0].b` is `a`, `0`, `b`. */
export function cursorSteps(cursorPath: string): string[] {
  return cursorPath.replace(/^\$\./, '').replace(/\[(\d+)\]/g, '.$1').split('.');
}

/** The record field a cursor path lands in: top-level names as they are, nested paths flattened (`a.b` -> `a__b`, dlt's column name). */
export function cursorField(cursorPath: string): string {
  return cursorSteps(cursorPath).join('__');
}

/**
 * A nested cursor is moved, not copied, to its top-level field: `{attributes: {updated_at: T, name}}`
 * becomes `{attributes: {name}, attributes__updated_at: T}`. The replication key must be a top-level
 * field (Singer's bookmark is one), and a copy would leave the value twice, so a flattened `attributes`
 * would produce the column `attributes__updated_at` a second time. The objects on the path are copied
 * (the API's item is not changed).
 */
export function liftCursor(record: JsonObject, steps: readonly string[], field: string): JsonObject {
  const value = getPath(record, steps.join('.')) as JsonValue | undefined;
  const out: JsonObject = { ...record };
  let node: JsonObject | JsonValue[] = out;
  for (let i = 0; i < steps.length - 1; i++) {
    const step = steps[i] as string;
    const child: JsonValue | undefined = Array.isArray(node) ? node[Number(step)] : fieldOf(node, step);
    if (!isJsonObject(child) && !Array.isArray(child)) break;
    const copy: JsonObject | JsonValue[] = Array.isArray(child) ? [...child] : { ...child };
    if (Array.isArray(node)) node[Number(step)] = copy;
    else setField(node, step, copy);
    node = copy;
    if (i === steps.length - 2 && !Array.isArray(node)) delete node[steps[i + 1] as string];
  }
  setField(out, field, value ?? null);
  return out;
}

/** A field of a record shaped with a lifted cursor: the cursor's own path reads the lifted field. */
export function readShaped(record: JsonObject, path: string, lifted: { steps: readonly string[]; field: string } | undefined): unknown {
  if (lifted && cursorSteps(path).join('.') === lifted.steps.join('.')) return fieldOf(record, lifted.field);
  return getPath(record, path);
}

function later(a: unknown, b: unknown, kind: KeyKind): unknown {
  const ca = comparable(a, kind);
  const cb = comparable(b, kind);
  if (ca === undefined) return b;
  if (cb === undefined) return a;
  return ca >= cb ? a : b;
}

/**
 * `{incremental.*}` values for one request sequence: the start is the later of the kit's start
 * (bookmark or `start_date`) and `initial_value`; `last_value` is the start, as in dlt's requests.
 */
export function incrementalValues(inc: IncrementalConfig, start: BookmarkValue | undefined, kind: KeyKind): Record<'start_value' | 'last_value' | 'initial_value' | 'end_value', unknown> {
  const from = start === undefined ? inc.initial_value : later(start, inc.initial_value, kind);
  return { start_value: from, last_value: from, initial_value: inc.initial_value, end_value: inc.end_value };
}

/**
 * dlt's record filter for an incremental resource, on top of the kit's own (`>=` the start):
 * `on_cursor_value_missing`, values before `initial_value`, the `end_value` bound (`range_end`),
 * and `range_start: open` (records equal to the start are not sent again). Null drops the record.
 */
export function keepRecord(inc: IncrementalConfig, record: JsonObject, field: string, start: BookmarkValue | undefined, kind: KeyKind, describe: () => string): JsonObject | null {
  const cmp = comparable(fieldOf(record, field), kind);
  if (cmp === undefined) {
    const policy = inc.on_cursor_value_missing ?? 'raise';
    if (policy === 'raise') {
      throw new UserError(`${describe()} has no value at cursor_path '${inc.cursor_path}' (incremental.on_cursor_value_missing is 'raise'; set 'include' or 'exclude')`);
    }
    return policy === 'include' ? record : null;
  }
  const initial = comparable(inc.initial_value, kind);
  if (initial !== undefined && cmp < initial) return null;
  const end = comparable(inc.end_value, kind);
  if (end !== undefined && (inc.range_end === 'closed' ? cmp > end : cmp >= end)) return null;
  const from = comparable(start, kind);
  if (inc.range_start === 'open' && from !== undefined && cmp <= from) return null;
  return record;
}
