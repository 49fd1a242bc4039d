import { attributable, belongsTo, bookmarkEntries, entryKey, type BookmarkEntry } from './bookmarks.js';
import { isSelected, replicationKey, type Catalog } from './catalog.js';
import { Findings } from './findings.js';
import { isObject, propertiesOf } from './json-schema.js';
import { comparable, compare, larger, valueKind, type ValueKind } from './replication-values.js';
import type { SingerOutput } from './singer-output.js';

export interface BookmarkCheckOptions {
  /** The catalog the tap was given: replication keys, and their kinds from the schemas. */
  catalog: Catalog;
  /** The state the run started from (`--state`), if any. */
  inputState?: Record<string, unknown>;
  /** When the run started (epoch ms): a date-time bookmark may stop there (the SDK's signpost). */
  startedAt: number;
}

type Value = number | string;
interface Written { record: Record<string, unknown>; value: Value | undefined }
interface Tracked { entry: BookmarkEntry; value: Value; committed: boolean; max?: Value; scanned: number }

/**
 * The bookmark rules, for every stream with a replication key, and for each partition of it:
 * 1. a bookmark never moves back: not across the run's STATEs, not below the input state;
 * 2. a bookmark this run moved is never beyond what was written: at each STATE it is at most the
 *    largest replication-key value of the records written so far (of its partition);
 * 3. no record is written after a STATE whose bookmark is past it (that STATE claimed records it
 *    had not written: a run stopped there and resumed would lose them);
 * 4. the final STATE holds, for every stream (partition) that wrote records, the largest value
 *    written (or the input bookmark, when larger); a date-time bookmark may stop at the sync's
 *    start when records carry later values (the SDK's signpost).
 */
export function checkBookmarks(output: SingerOutput, options: BookmarkCheckOptions): { findings: Findings; streams: number } {
  const findings = new Findings();
  const keys = new Map<string, { field: string; kind: ValueKind }>();
  for (const stream of options.catalog.streams) {
    const field = replicationKey(stream);
    if (field && isSelected(stream)) keys.set(stream.tap_stream_id, { field, kind: valueKind(propertiesOf(stream.schema)[field]) });
  }
  const written = new Map<string, Written[]>();
  const tracked = new Map<string, Tracked>();
  const place = (entry: BookmarkEntry, kind: ValueKind, line: string): Value | undefined => {
    const value = comparable(entry.value, kind);
    if (value === undefined) findings.fail(`${line}${entry.where} = ${JSON.stringify(entry.value)} is not a valid ${kind === 'datetime' ? 'date-time' : kind}`);
    return value;
  };
  /** The largest value written so far of the entry's records (scanning only what is new since last time). */
  const maxWritten = (t: Tracked): Value | undefined => {
    const records = written.get(t.entry.stream) ?? [];
    for (; t.scanned < records.length; t.scanned++) {
      const r = records[t.scanned];
      if (!r) break;
      if (belongsTo(r.record, t.entry.context)) t.max = larger(t.max, r.value);
    }
    return t.max;
  };

  for (const [stream, { field, kind }] of keys) {
    const problems: string[] = [];
    for (const entry of bookmarkEntries(options.inputState, { stream, key: field }, problems)) {
      const value = place(entry, kind, 'input state: ');
      if (value !== undefined) tracked.set(entryKey(entry), { entry, value, committed: false, scanned: 0 });
    }
  }

  for (const m of output.messages) {
    if (m.type === 'RECORD' && typeof m.body.stream === 'string' && isObject(m.body.record)) {
      const rk = keys.get(m.body.stream);
      if (!rk) continue;
      const record = m.body.record;
      const value = comparable(record[rk.field], rk.kind);
      (written.get(m.body.stream) ?? written.set(m.body.stream, []).get(m.body.stream)!).push({ record, value });
      if (value === undefined) continue;
      for (const t of tracked.values()) {
        if (t.entry.stream === m.body.stream && t.committed && belongsTo(record, t.entry.context) && compare(value, t.value) < 0) {
          findings.fail(`line ${m.line}: RECORD '${m.body.stream}' with ${rk.field} ${JSON.stringify(record[rk.field])} comes after a STATE that set ${t.entry.where} to ${JSON.stringify(t.entry.value)}: that STATE claimed records not yet written`);
        }
      }
    } else if (m.type === 'STATE' && isObject(m.body.value)) {
      for (const [stream, { field, kind }] of keys) {
        const problems: string[] = [];
        for (const entry of bookmarkEntries(m.body.value, { stream, key: field }, problems)) {
          const value = place(entry, kind, `line ${m.line}: `);
          if (value === undefined) continue;
          const before = tracked.get(entryKey(entry));
          if (before && compare(value, before.value) === 0) continue;
          if (before && compare(value, before.value) < 0) {
            findings.fail(`line ${m.line}: ${entry.where} moved back from ${JSON.stringify(before.entry.value)} to ${JSON.stringify(entry.value)}`);
          }
          const t: Tracked = before ? { ...before, entry, value, committed: true } : { entry, value, committed: true, scanned: 0 };
          tracked.set(entryKey(entry), t);
          const records = (written.get(stream) ?? []).map((r) => r.record);
          if (!attributable(records, entry.context) && records.length > 0) continue;
          const max = maxWritten(t);
          if (max === undefined) findings.fail(`line ${m.line}: ${entry.where} set to ${JSON.stringify(entry.value)} before any record of it was written`);
          else if (compare(value, max) > 0) findings.fail(`line ${m.line}: ${entry.where} = ${JSON.stringify(entry.value)} is beyond the largest ${field} written so far`);
        }
        problems.forEach((p) => findings.fail(`line ${m.line}: ${p}`));
      }
    }
  }

  checkFinal(output, options, keys, written, tracked, maxWritten, findings);
  return { findings, streams: keys.size };
}

/** Rule 4: the final STATE's bookmarks hold the largest value written (see `checkBookmarks`). */
function checkFinal(
  output: SingerOutput,
  options: BookmarkCheckOptions,
  keys: Map<string, { field: string; kind: ValueKind }>,
  written: Map<string, Written[]>,
  tracked: Map<string, Tracked>,
  maxWritten: (t: Tracked) => Value | undefined,
  findings: Findings,
): void {
  const last = [...output.messages].reverse().find((m) => m.type === 'STATE');
  for (const [stream, { field, kind }] of keys) {
    const records = (written.get(stream) ?? []).filter((r) => r.value !== undefined);
    if (records.length === 0) continue;
    const entries = last ? bookmarkEntries(last.body.value, { stream, key: field }) : [];
    if (entries.length === 0) {
      findings.fail(`stream '${stream}' wrote ${records.length} records with a ${field} but the final STATE has no bookmark for it: the next run starts over`);
      continue;
    }
    const uncovered = records.filter((r) => !entries.some((e) => belongsTo(r.record, e.context)));
    if (uncovered.length > 0 && entries.every((e) => attributable(records.map((r) => r.record), e.context))) {
      findings.fail(`stream '${stream}': ${uncovered.length} records belong to no partition bookmarked in the final STATE (e.g. ${JSON.stringify(uncovered[0]?.record).slice(0, 120)})`);
    }
    for (const entry of entries) {
      if (!attributable(records.map((r) => r.record), entry.context)) continue;
      const t = tracked.get(entryKey(entry));
      const value = comparable(entry.value, kind);
      if (!t || value === undefined) continue;
      const max = maxWritten(t);
      if (max === undefined) continue;
      const input = bookmarkEntries(options.inputState, { stream, key: field }).find((e) => entryKey(e) === entryKey(entry));
      const expected = larger(max, input && comparable(input.value, kind)) as Value;
      const floor = kind === 'datetime' && typeof expected === 'number' ? Math.min(expected, options.startedAt) : expected;
      if (compare(value, floor) < 0) {
        findings.fail(`final STATE: ${entry.where} = ${JSON.stringify(entry.value)} is below the largest ${field} written (${shown(expected, kind)}): the next run reads again what this one wrote`);
      }
    }
  }
}

function shown(value: Value, kind: ValueKind): string {
  return kind === 'datetime' && typeof value === 'number' ? new Date(value).toISOString() : JSON.stringify(value);
}
