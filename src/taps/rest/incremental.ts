import { UserError, comparable, fieldOf, type JsonObject, type BookmarkValue } from '@singer-io-compatible/tap-kit';
import type { IncrementalConfig } from './definition.js';

export type KeyKind = 'datetime' | 'number' | 'string';

/** The record field a cursor path lands in: top-level names as they are, nested paths flattened (`a.b` -> `a__b`). */
export function cursorField(cursorPath: string): string {
  return cursorPath.replace(/^\$\./, '').replace(/\[(\d+)\]/g, '.$1').split('.').join('__');
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
