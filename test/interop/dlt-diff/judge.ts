/**
 * Compares what an implementation extracted with the truth, resource by resource, by primary key
 * (`id`, else `value` for a wrapped scalar) and content, and says in a few words how it differs.
 */
import type { Rec } from './mock.js';

export interface Extracted {
  records: Record<string, Rec[]>;
  /** The run's failure, one line (`ValueError: ...`, `CRITICAL ...`). */
  error?: string | null;
}

export interface Outcome {
  right: boolean;
  /** `25 records` when right, else what differs: `10 of 25 records`, `error: ...`, `fields dropped: color`. */
  summary: string;
}

/** JSON with sorted keys: content equality whatever the key order. */
function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    return `{${Object.keys(value).sort().map((k) => `${JSON.stringify(k)}:${canonical((value as Rec)[k])}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

/** A record's identity: its `id`, or the `value` of a wrapped scalar (`{value: x}`). */
const identity = (r: Rec) => canonical('id' in r ? r.id : r.value);

const count = (n: number) => `${n} record${n === 1 ? '' : 's'}`;

function differences(truth: Rec[], got: Rec[]): string[] {
  const byId = new Map<string, Rec>();
  const seen = new Map<string, number>();
  for (const r of got) {
    const id = identity(r);
    seen.set(id, (seen.get(id) ?? 0) + 1);
    if (!byId.has(id)) byId.set(id, r);
  }
  const wanted = new Set(truth.map(identity));
  const found = truth.filter((r) => byId.has(identity(r))).length;
  const extra = [...byId.keys()].filter((id) => !wanted.has(id)).length;
  const duplicates = [...seen.values()].reduce((n, c) => n + c - 1, 0);
  const dropped = new Set<string>();
  const added = new Set<string>();
  const changed = new Set<string>();
  for (const t of truth) {
    const g = byId.get(identity(t));
    if (!g) continue;
    for (const k of Object.keys(t)) {
      if (!(k in g)) dropped.add(k);
      else if (canonical(t[k]) !== canonical(g[k])) changed.add(k);
    }
    for (const k of Object.keys(g)) if (!(k in t)) added.add(k);
  }
  const out: string[] = [];
  if (found < truth.length) out.push(`${found} of ${count(truth.length)}`);
  if (extra) out.push(`${count(extra)} not in the source`);
  if (duplicates) out.push(`${duplicates} duplicate${duplicates === 1 ? '' : 's'}`);
  if (dropped.size) out.push(`fields dropped: ${[...dropped].join(', ')}`);
  if (changed.size) out.push(`values differ: ${[...changed].join(', ')}`);
  if (added.size) out.push(`extra fields: ${[...added].join(', ')}`);
  return out;
}

export function judge(truth: Record<string, Rec[]>, got: Extracted): Outcome {
  const names = Object.keys(truth);
  const parts: string[] = [];
  for (const name of names) {
    const diff = differences(truth[name] ?? [], got.records[name] ?? []);
    if (diff.length) parts.push(names.length > 1 ? `${name}: ${diff.join(', ')}` : diff.join(', '));
  }
  if (got.error) {
    const error = got.error.length > 140 ? `${got.error.slice(0, 137)}...` : got.error;
    return { right: false, summary: parts.length ? `error: ${error} (${parts.join('; ')})` : `error: ${error}` };
  }
  if (parts.length) return { right: false, summary: parts.join('; ') };
  return { right: true, summary: names.map((n) => (names.length > 1 ? `${n}: ${count(truth[n]?.length ?? 0)}` : count(truth[n]?.length ?? 0))).join(', ') };
}

/** What the truth holds, for the table: `25 records`, `parents: 5 records, children: 9 records`. */
export function describeTruth(truth: Record<string, Rec[]>): string {
  const names = Object.keys(truth);
  return names.map((n) => (names.length > 1 ? `${n}: ${count(truth[n]?.length ?? 0)}` : count(truth[n]?.length ?? 0))).join(', ');
}
