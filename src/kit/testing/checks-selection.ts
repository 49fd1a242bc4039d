import { fieldMetadata, isSelected, keyProperties, parentOf, replicationKey, type Catalog } from './catalog.js';
import type { Check } from './check.js';
import { unsuccessful } from './checks-cli.js';
import { succeededSync } from './checks-sync.js';
import { counted, skip } from './findings.js';
import { isObject, propertiesOf } from './json-schema.js';
import { checkMessages } from './message-checks.js';
import { recordCounts, recordsOf, type SingerOutput } from './singer-output.js';

/** What the selection check leaves out: a stream, and a field of another stream. */
interface Choice {
  stream?: string;
  field?: { stream: string; field: string };
}

/**
 * Chooses, from the first sync, among the streams that wrote records: one to deselect (the last
 * in the catalog that is no other stream's parent, when another stream is left to sync), and a
 * field of another stream (inclusion `available`, neither key nor replication key) its records
 * carried.
 */
function choose(catalog: Catalog, output: SingerOutput): Choice {
  const counts = recordCounts(output);
  const parents = new Set(catalog.streams.map(parentOf).filter((p): p is string => p !== undefined));
  const candidates = catalog.streams.filter((s) => isSelected(s) && (counts.get(s.tap_stream_id) ?? 0) > 0);
  const stream = candidates.length < 2 ? undefined : [...candidates].reverse().find((s) => !parents.has(s.tap_stream_id))?.tap_stream_id;
  for (const entry of candidates) {
    if (entry.tap_stream_id === stream) continue;
    const fixed = new Set([...keyProperties(entry), replicationKey(entry)]);
    const records = recordsOf(output, entry.tap_stream_id);
    const field = Object.keys(propertiesOf(entry.schema)).find((name) => !fixed.has(name)
      && fieldMetadata(entry, name)?.inclusion === 'available'
      && records.some((r) => r[name] !== undefined));
    if (field) return { ...(stream ? { stream } : {}), field: { stream: entry.tap_stream_id, field } };
  }
  return stream ? { stream } : {};
}

const selection: Check = {
  id: 'selection',
  title: 'a deselected stream and a deselected field never appear (keys and replication keys excepted)',
  async run(session) {
    const first = await succeededSync(session);
    if (!('run' in first)) return first;
    if (!first.catalog) return skip('no catalog');
    const choice = choose(first.catalog, first.output);
    if (!choice.stream && !choice.field) return skip('no stream wrote records, so there is nothing to deselect');
    const result = await session.once('selection', () => session.sync('selection', {
      ...(choice.stream ? { streams: [choice.stream] } : {}),
      ...(choice.field ? { fields: [choice.field] } : {}),
    }, 'start'));
    if (!result?.catalog) return skip('no catalog');
    const failed = unsuccessful(result.run, session, 'the sync with a stream and a field deselected');
    if (failed) return failed;
    const findings = checkMessages(result.output, { catalog: result.catalog, stateExpected: false });
    const said: string[] = [];
    if (choice.stream) said.push(`stream '${choice.stream}' absent`);
    else said.push('one stream only: none deselected');
    if (choice.field) {
      const { stream, field } = choice.field;
      const entry = result.catalog.streams.find((s) => s.tap_stream_id === stream);
      const fixed = entry ? [...keyProperties(entry), replicationKey(entry)].filter((k): k is string => typeof k === 'string') : [];
      let records = 0;
      for (const m of result.output.messages) {
        if (m.body.stream !== stream) continue;
        if (m.type === 'SCHEMA' && field in propertiesOf(m.body.schema)) findings.fail(`line ${m.line}: SCHEMA '${stream}' still has the deselected property '${field}'`);
        if (m.type !== 'RECORD' || !isObject(m.body.record)) continue;
        records++;
        const record = m.body.record;
        if (field in record) findings.fail(`line ${m.line}: RECORD '${stream}' still has the deselected field '${field}'`);
        const lost = fixed.filter((k) => !(k in record));
        if (lost.length > 0) findings.fail(`line ${m.line}: RECORD '${stream}' lost ${lost.map((k) => `'${k}'`).join(', ')} (keys and replication keys are always kept)`);
      }
      if (records === 0) findings.fail(`stream '${stream}' wrote no record once '${field}' was deselected (it wrote ${recordCounts(first.output).get(stream)} before)`);
      said.push(`'${stream}.${field}' absent from its SCHEMA and ${counted(records, 'record')}`);
    } else said.push('no field to deselect (no other stream has an available field with values)');
    return findings.outcome(said.join('; '));
  },
};

export const SELECTION_CHECKS: Check[] = [selection];
