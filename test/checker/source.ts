/**
 * The generated source: rows of each stream (and their children) with `updated_at` cursors, listed
 * in the stream's order, and the changes a live API sees while a tap pages through it: rows created,
 * rows changed (a sorted list moves them to its end or front), children created and changed (their
 * parent's `updated_at` moves too, as an API's parent reflects its children), rows turning invalid.
 *
 * Every change gets a cursor value later than any before it (the wall clock, or one more
 * millisecond), so a row changed after a STATE was printed is never below that STATE's bookmark.
 */
import type { Random } from './random.js';
import type { StreamSpec } from './scenario.js';

export interface Child {
  id: number;
  parent_id: number;
  label: string;
  updated_at: number;
}

export interface Row {
  id: number;
  name: string;
  /** Epoch milliseconds (served as the stream's cursor type). */
  updated_at: number;
  /** Null makes the row invalid for the definition (`score` is not nullable). */
  score: number | null;
  children: Child[];
  /** Position key of an unsorted list (new rows land anywhere). */
  position: number;
}

export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

const BASE = Date.parse('2025-01-01T00:00:00.000Z');
const WORDS = ['alpha', 'bravo', 'charlie', 'delta', 'echo', 'foxtrot', 'golf', 'hotel', 'india', 'juliet'];

export class StreamData {
  readonly rows = new Map<number, Row>();

  constructor(readonly spec: StreamSpec) {}

  /** The rows in list order (the server's filter and paging apply to this). */
  ordered(): Row[] {
    const rows = [...this.rows.values()];
    const byCursor = (a: Row, b: Row) => a.updated_at - b.updated_at || a.id - b.id;
    if (this.spec.order === 'asc') return rows.sort(byCursor);
    if (this.spec.order === 'desc') return rows.sort((a, b) => byCursor(b, a));
    return rows.sort((a, b) => a.position - b.position || a.id - b.id);
  }

  /** A cursor value as served. */
  cursor(ms: number): string | number {
    return this.spec.cursorType === 'epoch' ? ms : new Date(ms).toISOString();
  }

  /** A row as the API serves it. */
  item(row: Row): { [key: string]: Json } {
    const item: { [key: string]: Json } = { id: row.id, name: row.name, updated_at: this.cursor(row.updated_at), score: row.score };
    if (this.spec.children === 'embedded') item.items = row.children.map((c) => this.child(c));
    return item;
  }

  child(c: Child): { [key: string]: Json } {
    return { id: c.id, parent_id: c.parent_id, label: c.label, updated_at: this.cursor(c.updated_at) };
  }
}

export type MutationKind = 'create' | 'change' | 'child-create' | 'child-change' | 'invalid' | 'valid';

export class Source {
  readonly streams = new Map<string, StreamData>();
  private nextId = 1;
  private clock = 0;
  /** Changes still allowed in the current run (the checker sets it before each run). */
  budget = 0;
  readonly mutations: Record<MutationKind, number> = { create: 0, change: 0, 'child-create': 0, 'child-change': 0, invalid: 0, valid: 0 };

  constructor(specs: readonly StreamSpec[], private readonly rng: Random, private readonly invalidRows: boolean) {
    for (const spec of specs) {
      const data = new StreamData(spec);
      this.streams.set(spec.name, data);
      for (let i = 0; i < spec.rows; i++) {
        // Some rows share their cursor value with the one before (ties at page boundaries).
        const at = BASE + (rng.chance(0.2) && i > 0 ? i - 1 : i) * 60_000;
        this.addRow(data, at, i);
      }
    }
  }

  /** A cursor value later than every one given so far. */
  private tick(): number {
    this.clock = Math.max(Date.now(), this.clock + 1);
    return this.clock;
  }

  private addRow(data: StreamData, at: number, position: number): Row {
    const row: Row = { id: this.nextId++, name: this.rng.pick(WORDS), updated_at: at, score: this.rng.int(0, 1000), children: [], position };
    if (data.spec.children !== 'none') {
      for (let c = this.rng.int(0, 4); c > 0; c--) row.children.push(this.newChild(row, at));
    }
    data.rows.set(row.id, row);
    return row;
  }

  private newChild(row: Row, at: number): Child {
    return { id: this.nextId++, parent_id: row.id, label: this.rng.pick(WORDS), updated_at: at };
  }

  /** Applies one change to `stream` if the run's budget allows; returns what it did. */
  mutate(stream: string): MutationKind | undefined {
    const data = this.streams.get(stream);
    if (!data || this.budget <= 0) return undefined;
    this.budget--;
    const rows = [...data.rows.values()];
    const row = this.rng.pick(rows);
    const kinds: MutationKind[] = ['create', 'change', 'change'];
    if (data.spec.children !== 'none') kinds.push('child-create', 'child-change');
    if (this.invalidRows) kinds.push(row.score === null ? 'valid' : 'invalid');
    const kind = this.rng.pick(kinds);
    const now = this.tick();
    switch (kind) {
      case 'create': {
        const positions = rows.map((r) => r.position);
        // Unsorted: anywhere in the list (between two rows); sorted lists place it by its cursor.
        const at = this.rng.next() * (Math.max(...positions) + 1) - 0.5;
        this.addRow(data, now, at);
        break;
      }
      case 'change':
        row.name = `${this.rng.pick(WORDS)}-${now % 1000}`;
        row.updated_at = now;
        break;
      case 'child-create':
        row.children.push(this.newChild(row, now));
        row.updated_at = now;
        break;
      case 'child-change': {
        const child = row.children.length > 0 ? this.rng.pick(row.children) : undefined;
        if (child) {
          child.label = `${this.rng.pick(WORDS)}-${now % 1000}`;
          child.updated_at = now;
        } else row.children.push(this.newChild(row, now));
        row.updated_at = now;
        break;
      }
      case 'invalid':
        row.score = null;
        row.updated_at = now;
        break;
      case 'valid':
        row.score = this.rng.int(0, 1000);
        row.updated_at = now;
        break;
    }
    this.mutations[kind]++;
    return kind;
  }
}
