// tap -> MeltanoLabs target-postgres -> real PostgreSQL, for every tap, against the playground.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { writeFileSync, readFileSync } from 'node:fs';
import { ROOT, requireInterop, startPlayground, run, tempDir, writeJson, query, createDatabase, targetConfig, lastState, type Playground } from './support.js';
import { TAPS } from './taps.js';

const { env, skip } = requireInterop();
const TOKEN = 'interop-secret-token';

interface CatalogStream { tap_stream_id: string; schema: { properties: Record<string, { type?: string | string[]; format?: string }> }; key_properties: string[] }

/** The Postgres type target-postgres must create for a JSON Schema property. */
function expectedPgType(prop: { type?: string | string[]; format?: string }): string[] {
  const types = (Array.isArray(prop.type) ? prop.type : [prop.type]).filter((t) => t && t !== 'null');
  if (prop.format === 'date-time') return ['timestamp without time zone'];
  if (types.includes('integer')) return ['bigint'];
  if (types.includes('number')) return ['numeric'];
  if (types.includes('boolean')) return ['boolean'];
  if (types.includes('object')) return ['jsonb'];
  if (types.includes('array')) return ['jsonb', 'ARRAY'];
  return ['text'];
}

describe.skipIf(skip).each(TAPS.map((t) => ({ ...t, label: t.name ?? t.tap })))('$label -> target-postgres', ({ tap, name: runName, config, expected, updatedStream, freeText = [] }) => {
  let pg: Playground;
  let dir: string;
  const db = `interop_${(runName ?? tap).replace(/-/g, '_')}`;
  const schema = 'raw';
  let catalog: CatalogStream[];
  let configFile: string;
  let targetFile: string;

  beforeAll(async () => {
    if (!env) return;
    pg = await startPlayground(TOKEN);
    dir = tempDir(runName ?? tap);
    configFile = writeJson(dir, 'config.json', config(pg.url, TOKEN));
    targetFile = writeJson(dir, 'target.json', targetConfig(env, db, schema));
    createDatabase(env, db);
    const discovered = await run(join(ROOT, 'bin', tap), ['--config', configFile, '--discover']);
    expect(discovered.code).toBe(0);
    // Every stream, including those off by default (the playground's companies/departments).
    const full = JSON.parse(discovered.stdout) as { streams: Array<CatalogStream & { metadata: Array<{ breadcrumb: string[]; metadata: Record<string, unknown> }> }> };
    for (const s of full.streams) for (const m of s.metadata) if (m.breadcrumb.length === 0) m.metadata.selected = true;
    writeFileSync(join(dir, 'catalog.json'), JSON.stringify(full));
    catalog = full.streams;
  });
  afterAll(() => pg?.stop());

  const pipe = (extra: string) => run('bash', ['-o', 'pipefail', '-c',
    `"${join(ROOT, 'bin', tap)}" --config "${configFile}" --catalog "${join(dir, 'catalog.json')}" ${extra} | tee "${join(dir, 'tap.out')}" | "${env?.targetPostgres}" --config "${targetFile}"`]);
  const stats = async () => (await (await fetch(`${pg.url}/__playground/stats`)).json()) as Record<string, Record<string, number>>;
  const count = (stream: string) => Number(query<{ n: number }>(env!, db, `select count(*)::int as n from ${schema}.${stream}`)[0]?.n);

  it('loads every stream with the right rows, keys and column types', async () => {
    const result = await pipe('');
    expect(result.code, result.stderr.slice(-2000)).toBe(0);
    writeFileSync(join(dir, 'state1.json'), JSON.stringify(lastState(result.stdout)));
    const want = expected(await stats());
    for (const stream of catalog) {
      const name = stream.tap_stream_id;
      expect(want[name], `playground stats cover ${name}`).toBeGreaterThan(0);
      expect(count(name), `${name} rows`).toBe(want[name]);
      const pk = query<{ column_name: string }>(env!, db, `select kcu.column_name from information_schema.table_constraints tc
        join information_schema.key_column_usage kcu on kcu.constraint_name = tc.constraint_name and kcu.table_schema = tc.table_schema
        where tc.table_schema = '${schema}' and tc.table_name = '${name}' and tc.constraint_type = 'PRIMARY KEY' order by kcu.ordinal_position`);
      // A key is a set: target-postgres orders a composite key's columns as the schema lists them.
      expect(pk.map((r) => r.column_name).sort(), `${name} primary key`).toEqual([...stream.key_properties].sort());
      const columns = new Map(query<{ column_name: string; data_type: string }>(env!, db,
        `select column_name, data_type from information_schema.columns where table_schema = '${schema}' and table_name = '${name}'`).map((c) => [c.column_name, c.data_type]));
      for (const [prop, def] of Object.entries(stream.schema.properties)) {
        expect(expectedPgType(def), `${name}.${prop} is ${columns.get(prop)}`).toContain(columns.get(prop));
        if (columns.get(prop) === 'text' && !freeText.includes(prop)) {
          const jsonish = query<{ n: number }>(env!, db, `select count(*)::int as n from ${schema}.${name} where "${prop}" ~ '^\\s*[\\[{].*[\\]}]\\s*$'`)[0]?.n;
          expect(jsonish, `${name}.${prop} holds JSON in a string`).toBe(0);
        }
      }
    }
  });

  it('passes an independent conformance check (Python jsonschema)', async () => {
    const result = await run(env!.python, [join(ROOT, 'test/interop/conformance.py'), join(dir, 'tap.out')]);
    const summary = JSON.parse(result.stdout) as { records: Record<string, number>; errors: string[] };
    expect(summary.errors).toEqual([]);
    expect(result.code).toBe(0);
    expect(Object.keys(summary.records).sort()).toEqual(catalog.map((s) => s.tap_stream_id).sort());
  });

  it('resumes from the state: changed rows updated in place, nothing duplicated or lost', async () => {
    const { stream, replicationKey, fullTable } = updatedStream;
    const before = replicationKey ? query<{ m: string }>(env!, db, `select max("${replicationKey}")::text as m from ${schema}.${stream}`)[0]?.m : undefined;
    const mutated = (await (await fetch(`${pg.url}/__playground/mutate?count=3`, { method: 'POST' })).json()) as { changed: Record<string, number> };
    expect(Object.values(mutated.changed).some((n) => n > 0)).toBe(true);
    const result = await pipe(`--state "${join(dir, 'state1.json')}"`);
    expect(result.code, result.stderr.slice(-2000)).toBe(0);
    const emitted = readFileSync(join(dir, 'tap.out'), 'utf8').split('\n').filter((l) => l.includes('"type":"RECORD"') && l.includes(`"stream":"${stream}"`)).length;
    if (fullTable) expect(emitted, `${stream}: a full-table stream is read whole again`).toBe(expected(await stats())[stream]);
    else expect(emitted, `${stream}: the second run is incremental`).toBeLessThan(expected(await stats())[stream] ?? 0);
    expect(emitted).toBeGreaterThanOrEqual(3);
    const want = expected(await stats());
    for (const s of catalog) {
      const name = s.tap_stream_id;
      expect(count(name), `${name} rows after the second run`).toBe(want[name]);
      const keys = s.key_properties.map((k) => `"${k}"`).join(', ');
      const distinct = query<{ n: number }>(env!, db, `select count(*)::int as n from (select distinct ${keys} from ${schema}.${name}) d`)[0]?.n;
      expect(distinct, `${name} has no duplicate keys`).toBe(want[name]);
    }
    if (!replicationKey) return;
    const after = query<{ m: string; n: number }>(env!, db, `select max("${replicationKey}")::text as m, count(*)::int as n from ${schema}.${stream} where "${replicationKey}" > '${before}'`)[0];
    expect(after?.n, `${stream}: the changed rows carry their new ${replicationKey}`).toBeGreaterThanOrEqual(3);
  });
});
