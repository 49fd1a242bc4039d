import type { JsonObject, JsonValue } from '../core/json.js';
import { stringifyJson } from '../core/jsontext.js';

/**
 * What tells a record from the others of its stream: its primary key values, or, for a stream without
 * a key, the whole record (two records sharing a cursor value are two records, not one written twice).
 */
export function recordIdentity(primaryKey: readonly string[]): (record: JsonObject) => JsonValue {
  return primaryKey.length > 0 ? (r) => primaryKey.map((k) => r[k] ?? null) : (r) => r;
}

/** A record's identity as one string (see recordIdentity). */
export function recordIdentityKey(primaryKey: readonly string[]): (record: JsonObject) => string {
  const identity = recordIdentity(primaryKey);
  return (r) => stringifyJson(identity(r));
}

/**
 * Remembers the records written at a sorted stream's current maximum key value, so a page re-read from
 * that value (to catch ties the API would skip) writes none of them twice. Keys are computed only when a
 * record repeats the maximum: most records cost nothing. Bounded by the size of one tie group.
 */
export class TieGuard {
  private value: string | undefined;
  private atValue: JsonObject[] = [];
  private keys: Set<string> | undefined;

  constructor(private readonly key: (record: JsonObject) => string) {}

  /** True when the record was already written in this run (same key at the same maximum value). */
  seen(record: JsonObject, keyValue: unknown): boolean {
    const v = String(keyValue);
    if (v !== this.value) {
      this.value = v;
      this.atValue = [record];
      this.keys = undefined;
      return false;
    }
    this.keys ??= new Set(this.atValue.map(this.key));
    const k = this.key(record);
    if (this.keys.has(k)) return true;
    this.keys.add(k);
    return false;
  }
}
