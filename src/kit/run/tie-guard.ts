import type { JsonObject } from '../core/json.js';

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
