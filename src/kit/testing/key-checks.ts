import { replicationKey, type Catalog } from './catalog.js';
import { Findings } from './findings.js';
import { isObject, propertiesOf } from './json-schema.js';
import { comparable, compare, valueKind } from './replication-values.js';
import type { SingerOutput } from './singer-output.js';

/**
 * Key properties present (not null) in every RECORD, and unique per stream within the run. One
 * exception: a key written again with a later replication-key value is the same row changed at
 * the source during the run (an update, which the target upserts). Between runs, the boundary
 * record is sent again by design (at-least-once); the resumed-sync check allows that.
 */
export function checkKeys(output: SingerOutput, catalog: Catalog | undefined): { findings: Findings; keyed: number } {
  const findings = new Findings();
  const keysOf = new Map<string, string[]>();
  const kinds = new Map<string, { field: string; kind: ReturnType<typeof valueKind> }>();
  const seen = new Map<string, Map<string, number | string | undefined>>();
  let keyed = 0;
  for (const m of output.messages) {
    const stream = m.body.stream;
    if (typeof stream !== 'string') continue;
    if (m.type === 'SCHEMA' && Array.isArray(m.body.key_properties)) {
      keysOf.set(stream, m.body.key_properties.filter((k): k is string => typeof k === 'string'));
      const entry = catalog?.streams.find((s) => s.tap_stream_id === stream);
      const field = entry && replicationKey(entry);
      if (field) kinds.set(stream, { field, kind: valueKind(propertiesOf(m.body.schema)[field]) });
    }
    if (m.type !== 'RECORD' || !isObject(m.body.record)) continue;
    const keys = keysOf.get(stream) ?? [];
    if (keys.length === 0) continue;
    const record = m.body.record;
    const missing = keys.filter((k) => record[k] === undefined || record[k] === null);
    if (missing.length > 0) {
      findings.fail(`line ${m.line}: RECORD '${stream}' has no value for key ${missing.map((k) => `'${k}'`).join(', ')}`);
      continue;
    }
    keyed++;
    const key = JSON.stringify(keys.map((k) => record[k]));
    const rk = kinds.get(stream);
    const position = rk ? comparable(record[rk.field], rk.kind) : undefined;
    const written = seen.get(stream) ?? seen.set(stream, new Map()).get(stream)!;
    if (written.has(key)) {
      const before = written.get(key);
      const updated = position !== undefined && before !== undefined && compare(position, before) > 0;
      if (!updated) findings.fail(`line ${m.line}: RECORD '${stream}' repeats key ${key} already written in this run${rk ? ` with the same or a later ${rk.field}` : ''}`);
    }
    written.set(key, position);
  }
  return { findings, keyed };
}
