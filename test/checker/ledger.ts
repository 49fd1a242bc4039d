/**
 * What a target holds after reading the runs' output: rows by stream and key (upserted, with the
 * version they came with; ACTIVATE_VERSION removes rows of older versions, as target-postgres does),
 * every version of a row ever delivered (by its cursor value), and the duplicates (a record
 * delivered again with the same content: at-least-once allows them; they are counted).
 */
import type { Message } from './run.js';

/** JSON with object keys sorted: two records with the same content have the same text. */
export function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    return `{${Object.keys(value).sort().map((k) => `${JSON.stringify(k)}:${canonical((value as Record<string, unknown>)[k])}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

/** A row version's identity: its key and cursor value. */
export const versionKey = (id: unknown, cursor: unknown): string => `${String(id)}|${String(cursor)}`;

interface Held {
  record: Record<string, unknown>;
  version: number | undefined;
}

export class Ledger {
  readonly tables = new Map<string, Map<string, Held>>();
  /** Row versions delivered, per stream (`id|updated_at`). */
  readonly delivered = new Map<string, Set<string>>();
  /** Keys a table ever held, per stream (a row later removed by ACTIVATE_VERSION still counts). */
  readonly everHeld = new Map<string, Set<string>>();
  private readonly seen = new Set<string>();
  records = 0;
  duplicates = 0;
  activations = 0;

  private table(stream: string): Map<string, Held> {
    let t = this.tables.get(stream);
    if (!t) this.tables.set(stream, (t = new Map()));
    return t;
  }

  apply(message: Message): void {
    if (message.type === 'RECORD') {
      const { stream, record } = message;
      const id = String(record.id);
      this.records++;
      const content = `${stream}|${canonical(record)}`;
      if (this.seen.has(content)) this.duplicates++;
      else this.seen.add(content);
      this.table(stream).set(id, { record, version: message.version });
      if (!this.delivered.has(stream)) this.delivered.set(stream, new Set());
      this.delivered.get(stream)!.add(versionKey(id, record.updated_at));
      if (!this.everHeld.has(stream)) this.everHeld.set(stream, new Set());
      this.everHeld.get(stream)!.add(id);
    } else if (message.type === 'ACTIVATE_VERSION') {
      this.activations++;
      const table = this.table(message.stream);
      for (const [id, held] of table) if (held.version === undefined || held.version < message.version) table.delete(id);
    }
  }

  has(stream: string, id: unknown, cursor: unknown): boolean {
    return this.delivered.get(stream)?.has(versionKey(id, cursor)) ?? false;
  }

  held(stream: string, id: unknown): Record<string, unknown> | undefined {
    return this.tables.get(stream)?.get(String(id))?.record;
  }

  wasHeld(stream: string, id: unknown): boolean {
    return this.everHeld.get(stream)?.has(String(id)) ?? false;
  }
}
