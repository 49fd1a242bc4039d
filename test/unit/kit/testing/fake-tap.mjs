#!/usr/bin/env node
// A small Singer tap written without the kit, that passes the conformance suite, unless
// FAKE_DEFECT names one defect to commit (see DEFECTS in conformance-failures.test.ts).
// Two streams: `items` (key id, INCREMENTAL on `updated`, sorted) and `tags` (key tag, FULL_TABLE).
import { readFileSync } from 'node:fs';

const defect = process.env.FAKE_DEFECT ?? '';
const args = process.argv.slice(2);
const flag = (name) => args.includes(name);
const values = (name) => args.flatMap((a, i) => (a === name ? [args[i + 1]] : []));
const out = (message) => process.stdout.write(`${JSON.stringify(message)}\n`);
const fail = (line) => {
  process.stderr.write(`${line}\n`);
  process.exit(1);
};

const SETTINGS = {
  type: 'object',
  properties: {
    token: { type: 'string', secret: true },
    page_size: { type: 'integer', default: 10 },
  },
  required: ['token'],
};
const ITEMS = Array.from({ length: 10 }, (_, i) => ({ id: i + 1, name: `item ${i + 1}`, color: i % 2 ? 'red' : 'blue', updated: `2025-01-01T00:0${i}:00Z` }));
const TAGS = [{ tag: 'a', label: 'A' }, { tag: 'b', label: 'B' }, { tag: 'c', label: 'C' }];
const STREAMS = {
  items: {
    schema: { type: 'object', properties: { id: { type: 'integer' }, name: { type: defect === 'schema-invalid' ? 'strnig' : ['null', 'string'] }, color: { type: ['null', 'string'] }, updated: { type: 'string', format: 'date-time' } } },
    keys: [defect === 'key-not-in-schema' ? 'uuid' : 'id'],
    replicationKey: 'updated',
    records: ITEMS,
  },
  tags: { schema: { type: 'object', properties: { tag: { type: 'string' }, label: { type: ['null', 'string'] } } }, keys: ['tag'], records: TAGS },
};

function catalog() {
  return {
    streams: Object.entries(STREAMS).map(([name, s]) => ({
      tap_stream_id: defect === 'stream-name-upper' && name === 'items' ? 'Items' : name,
      stream: name,
      schema: s.schema,
      metadata: [
        { breadcrumb: [], metadata: { inclusion: 'available', 'selected-by-default': true, 'table-key-properties': s.keys,
          'forced-replication-method': s.replicationKey ? 'INCREMENTAL' : 'FULL_TABLE', ...(s.replicationKey ? { 'valid-replication-keys': [s.replicationKey], 'replication-key': s.replicationKey } : {}) } },
        ...Object.keys(s.schema.properties).map((p) => ({
          breadcrumb: ['properties', p],
          metadata: { inclusion: defect === 'metadata-bad-inclusion' ? 'sometimes' : s.keys.includes(p) || p === s.replicationKey ? 'automatic' : 'available' },
        })),
      ],
    })),
  };
}

if (flag('--about')) {
  out({ name: 'tap-fake', version: '1.0.0', capabilities: ['about', 'catalog', 'discover', 'state', 'test'], ...(defect === 'about-no-settings' ? {} : { settings: SETTINGS }) });
  process.exit(0);
}
if (flag('--version')) process.exit(defect === 'version-fails' ? 1 : (console.log('tap-fake 1.0.0'), 0));
if (flag('--help')) process.exit((console.log('usage: tap-fake --config FILE [--discover | --catalog FILE [--state FILE] | --test]'), 0));

const config = Object.assign({}, ...values('--config').map((f) => JSON.parse(readFileSync(f, 'utf8'))));
if (defect === 'leak-secret') process.stderr.write(`INFO using token ${config.token}\n`);
const problems = [];
if (typeof config.token !== 'string') problems.push("setting 'token' is required");
if (config.page_size !== undefined && !Number.isInteger(config.page_size)) problems.push(`setting 'page_size' must be an integer (got ${JSON.stringify(config.page_size)})`);
if (problems.length > 0 && defect !== 'accept-bad-config') {
  if (defect === 'stack-trace') throw new Error(problems[0]);
  if (defect === 'silent-failure') process.exit(1);
  fail(`CRITICAL config: ${problems.join('; ')}`);
}

if (flag('--discover')) {
  if (defect === 'discover-logs') console.log('INFO discovering');
  console.log(JSON.stringify(catalog(), null, 2));
  process.exit(0);
}

const given = values('--catalog')[0];
const selection = given ? JSON.parse(readFileSync(given, 'utf8')) : catalog();
const stateFile = values('--state')[0];
const givenState = stateFile ? JSON.parse(readFileSync(stateFile, 'utf8')) : { bookmarks: {} };
const state = givenState.type === 'STATE' ? givenState.value : givenState.singer_state ?? givenState;
const test = flag('--test');
const bookmarks = { ...state.bookmarks };
const emitState = () => out({ type: 'STATE', value: { bookmarks: { ...bookmarks } } });

for (const entry of selection.streams) {
  const name = entry.stream ?? entry.tap_stream_id;
  const id = entry.tap_stream_id;
  const s = STREAMS[name];
  const root = entry.metadata.find((m) => m.breadcrumb.length === 0)?.metadata ?? {};
  if (!s || (root.selected === false && defect !== 'stream-leak')) continue;
  const dropped = entry.metadata.filter((m) => m.breadcrumb.length === 2 && m.metadata.selected === false && m.metadata.inclusion === 'available').map((m) => m.breadcrumb[1]);
  const keep = (record) => (defect === 'field-leak' ? record : Object.fromEntries(Object.entries(record).filter(([k]) => !dropped.includes(k))));
  const properties = Object.fromEntries(Object.entries(s.schema.properties).filter(([k]) => defect === 'field-leak' || !dropped.includes(k)));
  const schema = { type: 'SCHEMA', stream: id, schema: { ...s.schema, properties }, key_properties: s.keys };
  const start = s.replicationKey && defect !== 'resume-ignores-state' ? bookmarks[id]?.replication_key_value : undefined;
  let records = s.records.filter((r) => !start || r[s.replicationKey] >= start);
  if (test && defect !== 'test-many') records = records.slice(0, 1);
  if (defect === 'record-schema' && name === 'items') records = records.map((r, i) => (i === 2 ? { ...r, name: 42 } : r));
  if (defect === 'duplicate-key' && name === 'items') records = [...records, records[0]];
  if (defect === 'missing-key' && name === 'items') records = records.map((r, i) => (i === 1 ? { ...r, id: undefined } : r));
  if (defect !== 'record-before-schema') out(schema);
  if (defect === 'bookmark-early' && s.replicationKey) {
    bookmarks[id] = { replication_key: s.replicationKey, replication_key_value: records.at(-1)?.[s.replicationKey] };
    emitState();
  }
  for (const record of records) out({ type: 'RECORD', stream: id, record: keep(record), time_extracted: '2025-02-01T00:00:00Z' });
  if (defect === 'record-before-schema') out(schema);
  if (s.replicationKey && records.length > 0 && !test) {
    const max = records.at(-1)[s.replicationKey];
    const value = { 'bookmark-beyond': '2030-01-01T00:00:00Z', 'bookmark-stale': records[0][s.replicationKey] }[defect] ?? max;
    if (defect === 'bookmark-back') {
      bookmarks[id] = { replication_key: s.replicationKey, replication_key_value: max };
      emitState();
      bookmarks[id] = { replication_key: s.replicationKey, replication_key_value: records[0][s.replicationKey] };
    } else bookmarks[id] = { replication_key: s.replicationKey, replication_key_value: value };
  } else bookmarks[id] ??= {};
  if (!test) emitState();
}
if (defect === 'no-final-state') out({ type: 'RECORD', stream: 'items', record: { ...ITEMS[9], id: 11, updated: '2025-01-01T00:10:00Z' }, time_extracted: '2025-02-01T00:00:00Z' });
