/**
 * The checks: a STATE never covers a row not yet delivered, and after the runs the target holds
 * every row of the source with its latest content; the final STATE is a clean run's.
 */
import type { Ledger } from './ledger.js';
import { canonical } from './ledger.js';
import type { Scenario } from './scenario.js';
import type { Source, StreamData } from './source.js';

export type ViolationKind = 'bookmark-ahead' | 'lost' | 'stale' | 'deleted' | 'final-state' | 'clean-run' | 'exit';

export interface Violation {
  kind: ViolationKind;
  stream: string;
  detail: string;
}

type Bookmarks = Record<string, Record<string, unknown>>;

function cursorMs(data: StreamData, value: unknown): number {
  return data.spec.cursorType === 'epoch' ? Number(value) : Date.parse(String(value));
}

/**
 * A STATE just read: for each incremental stream, every valid source row below its bookmark (rows
 * at it are read again) must have been delivered in its current version; so must the HTTP children
 * of such a row when the server filters the parent (a resumed run never asks for them again).
 * Rows changed after the STATE was printed have cursors above any bookmark it holds.
 */
export function checkState(bookmarks: Bookmarks, source: Source, ledger: Ledger, where: string): Violation[] {
  const out: Violation[] = [];
  for (const data of source.streams.values()) {
    const spec = data.spec;
    const value = bookmarks[spec.name]?.replication_key_value;
    if (!spec.incremental || value === undefined) continue;
    const b = cursorMs(data, value);
    const missed: string[] = [];
    const missedChildren: string[] = [];
    for (const row of data.rows.values()) {
      if (row.score === null || !(row.updated_at < b)) continue;
      if (!ledger.has(spec.name, row.id, data.cursor(row.updated_at))) missed.push(`${row.id}@${String(data.cursor(row.updated_at))}`);
      if (spec.children === 'http' && spec.since) {
        for (const c of row.children) if (!ledger.has(`${spec.name}_children`, c.id, data.cursor(c.updated_at))) missedChildren.push(`${c.id} (parent ${row.id})`);
      }
    }
    if (missed.length > 0) out.push({ kind: 'bookmark-ahead', stream: spec.name, detail: `${where}: STATE bookmark ${JSON.stringify(value)} covers ${missed.length} row(s) never delivered: ${missed.slice(0, 5).join(', ')}` });
    if (missedChildren.length > 0) out.push({ kind: 'bookmark-ahead', stream: `${spec.name}_children`, detail: `${where}: parent bookmark ${JSON.stringify(value)} covers ${missedChildren.length} child row(s) never delivered: ${missedChildren.slice(0, 5).join(', ')}` });
  }
  return out;
}

/** Rows the target should hold and does not (or holds with older content); also rows it held and lost to ACTIVATE_VERSION. */
export function checkTarget(source: Source, ledger: Ledger, label: string): { violations: Violation[]; lost: number } {
  const out: Violation[] = [];
  let lost = 0;
  const expect = (stream: string, id: number, item: unknown, valid: boolean): void => {
    const held = ledger.held(stream, id);
    if (!valid) {
      if (!held && ledger.wasHeld(stream, id)) {
        lost++;
        out.push({ kind: 'deleted', stream, detail: `${label}: row ${id} (invalid at the source now, skipped) was held, then removed by ACTIVATE_VERSION` });
      }
      return;
    }
    if (!held) {
      lost++;
      out.push({ kind: ledger.wasHeld(stream, id) ? 'deleted' : 'lost', stream, detail: `${label}: row ${id} ${ledger.wasHeld(stream, id) ? 'was removed by ACTIVATE_VERSION' : 'never arrived'}` });
    } else if (canonical(held) !== canonical(item)) {
      lost++;
      out.push({ kind: 'stale', stream, detail: `${label}: row ${id} holds ${canonical(held)}, the source has ${canonical(item)}` });
    }
  };
  for (const data of source.streams.values()) {
    for (const row of data.rows.values()) {
      const valid = row.score !== null;
      expect(data.spec.name, row.id, data.item(row), valid);
      if (data.spec.children === 'http' && (valid || ledger.wasHeld(data.spec.name, row.id))) {
        for (const c of row.children) expect(`${data.spec.name}_children`, c.id, data.child(c), valid);
      }
    }
  }
  return { violations: out, lost };
}

/** Bookmarks without run-specific versions, for comparing two runs' final STATEs. */
export function comparableBookmarks(bookmarks: Bookmarks | undefined): string {
  const strip = (v: unknown): unknown => {
    if (Array.isArray(v)) return v.map(strip);
    if (v !== null && typeof v === 'object') return Object.fromEntries(Object.entries(v).filter(([k]) => !/version/i.test(k)).map(([k, x]) => [k, strip(x)]));
    return v;
  };
  return canonical(strip(bookmarks ?? {}));
}

/** Whether the final STATEs can be compared: skipped (invalid) rows hold a stream's bookmark back by design. */
export function statesComparable(scenario: Scenario, source: Source): boolean {
  if (!scenario.invalidRows) return true;
  return [...source.streams.values()].every((d) => [...d.rows.values()].every((r) => r.score !== null));
}
