// The SDK capabilities through MeltanoLabs target-postgres: flattened streams load as flat columns,
// and BATCH files load the same rows as the RECORD path.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { writeFileSync } from 'node:fs';
import { ROOT, requireInterop, startPlayground, run, tempDir, writeJson, query, createDatabase, targetConfig, type Playground } from './support.js';

const { env, skip } = requireInterop();
const TOKEN = 'interop-caps-token';
const DB = 'interop_sdk_capabilities';
const STREAMS = ['user', 'users_next_page_url', 'users_page_number', 'users_offset', 'users_keyset', 'companies', 'departments'];

describe.skipIf(skip)('SDK capabilities -> target-postgres', () => {
  let pg: Playground;
  let dir: string;
  let catalog: string;

  beforeAll(async () => {
    if (!env) return;
    pg = await startPlayground(TOKEN);
    dir = tempDir('sdk-caps');
    createDatabase(env, DB);
    const discovered = await run(join(ROOT, 'bin', 'tap-playground'), ['--config', writeJson(dir, 'plain.json', { base_url: pg.url, bearer_token: TOKEN }), '--discover']);
    expect(discovered.code).toBe(0);
    const full = JSON.parse(discovered.stdout) as { streams: Array<{ metadata: Array<{ breadcrumb: string[]; metadata: Record<string, unknown> }> }> };
    for (const s of full.streams) for (const m of s.metadata) if (m.breadcrumb.length === 0) m.metadata.selected = true;
    catalog = join(dir, 'catalog.json');
    writeFileSync(catalog, JSON.stringify(full));
  });
  afterAll(() => pg?.stop());

  /** tap-playground with these extra settings, piped into target-postgres writing to `schema`. */
  async function load(schema: string, settings: Record<string, unknown>): Promise<void> {
    const config = writeJson(dir, `${schema}.json`, { base_url: pg.url, bearer_token: TOKEN, ...settings });
    const target = writeJson(dir, `${schema}-target.json`, targetConfig(env!, DB, schema));
    const result = await run('bash', ['-o', 'pipefail', '-c',
      `"${join(ROOT, 'bin', 'tap-playground')}" --config "${config}" --catalog "${catalog}" | "${env!.targetPostgres}" --config "${target}"`]);
    expect(result.code, result.stderr.slice(-3000)).toBe(0);
  }
  const columns = (schema: string, table: string) => new Map(query<{ column_name: string; data_type: string }>(env!, DB,
    `select column_name, data_type from information_schema.columns where table_schema = '${schema}' and table_name = '${table}' and column_name not like '\\_sdc\\_%'`).map((c) => [c.column_name, c.data_type]));
  /** Every row of a table (its data columns), as JSON text sorted by key: equal tables give equal lists. */
  const rows = (schema: string, table: string, cols: string[]) => query<{ r: string }>(env!, DB,
    `select json_build_object(${cols.map((c) => `'${c}', "${c}"`).join(', ')})::text as r from ${schema}."${table}" order by 1`).map((x) => x.r);

  it('flattening: a nested object loads as flat, typed columns; arrays as text', async () => {
    await load('flat', {
      stream_maps: { user: { contact: "{'email': email, 'domain': email.split('@')[-1] if email else None, 'n': len(name or ''), 'parts': (email or '').split('@')}" } },
      flattening_enabled: true, flattening_max_depth: 1,
    });
    const cols = columns('flat', 'user');
    expect(cols.has('contact')).toBe(false);
    expect(Object.fromEntries([...cols].filter(([k]) => k.startsWith('contact__')))).toEqual({
      contact__email: 'text', contact__domain: 'text', contact__n: 'bigint', contact__parts: 'text',
    });
    const loaded = query<{ email: string | null; contact__email: string | null; contact__n: number; parts: unknown }>(env!, DB,
      'select email, contact__email, contact__n, contact__parts::jsonb as parts from flat."user"');
    expect(loaded).toHaveLength(20);
    for (const r of loaded) {
      expect(r.contact__email).toBe(r.email);
      expect(r.parts).toEqual((r.email ?? '').split('@'));
    }
  });

  it("flattening tap-harness: a schema's declared nested object loads as typed columns", async () => {
    const config = writeJson(dir, 'harness.json', {
      base_url: pg.url, api_token: TOKEN, account_id: 'playground-account', dora: { ou_ids: ['c-1'], widget_id: 'w-1' },
      flattening_enabled: true, flattening_max_depth: 1,
    });
    const target = writeJson(dir, 'harness-target.json', targetConfig(env!, DB, 'harness_flat'));
    const result = await run('bash', ['-o', 'pipefail', '-c', `"${join(ROOT, 'bin', 'tap-harness')}" --config "${config}" | "${env!.targetPostgres}" --config "${target}"`]);
    expect(result.code, result.stderr.slice(-3000)).toBe(0);
    const cols = columns('harness_flat', 'pipelines');
    expect(cols.has('executionSummaryInfo')).toBe(false);
    expect(cols.get('executionSummaryInfo__lastExecutionTs')).toBe('bigint');
    expect(cols.get('executionSummaryInfo__lastExecutionStatus')).toBe('text');
    expect(cols.get('executionSummaryInfo__numOfErrors')).toBe('text');
    const n = query<{ n: number }>(env!, DB, 'select count(*)::int as n from harness_flat.pipelines where "executionSummaryInfo__lastExecutionTs" is not null')[0]?.n;
    expect(n).toBeGreaterThan(0);
  });

  it('BATCH: gzip JSONL files load the same rows as the RECORD path', async () => {
    await load('via_records', {});
    await load('via_batch', { batch_config: { encoding: { format: 'jsonl', compression: 'gzip' }, storage: { root: `file://${join(dir, 'batches')}` }, batch_size: 150 } });
    for (const stream of STREAMS) {
      const recordCols = columns('via_records', stream);
      expect(columns('via_batch', stream), stream).toEqual(recordCols);
      const cols = [...recordCols.keys()];
      const a = rows('via_records', stream, cols);
      expect(a.length, stream).toBeGreaterThan(0);
      expect(rows('via_batch', stream, cols), stream).toEqual(a);
    }
  });
});
