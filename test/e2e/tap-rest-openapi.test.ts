/**
 * `tap-rest init --openapi`: the real bin/tap-rest writes a definition from test/fixtures/openapi/shop.yaml,
 * discovers typed schemas from it with no request, and syncs it against a local server of the document's data;
 * the same for test/fixtures/openapi/formats.yaml, whose GETs answer XML, text, a PDF, a scalar and a list of strings;
 * test/fixtures/openapi/kennel-swagger2.yaml, a Swagger 2.0 document in YAML, converted and written.
 */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { cpSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { ROOT, checkSingerOutput, recordsOf, runTap, TempFiles } from './helpers.js';
import { CUSTOMERS, TOKEN, orders, startShop, type ShopServer } from '../fixtures/openapi/server.js';
import { ENTRIES, FEEDS, LABELS, PDF, THINGS, ZEN, startFormats, type FormatsServer } from '../fixtures/openapi/formats-server.js';

const SPEC = path.join(ROOT, 'test/fixtures/openapi/shop.yaml');
let tmp: TempFiles;
let shop: ShopServer;
let out: string;
let init: Awaited<ReturnType<typeof runTap>>;

beforeAll(async () => {
  tmp = new TempFiles('tap-rest-openapi-');
  shop = await startShop();
  out = tmp.path('shop');
  init = await runTap('tap-rest', ['init', '--openapi', SPEC, '--out', out], { json: false });
});
afterAll(async () => {
  await shop.close();
  tmp.cleanup();
});

describe('tap-rest init --openapi', () => {
  it('writes a definition with a comment per resource, and a summary on stderr', () => {
    expect(init.code).toBe(0);
    expect(init.stderr).toContain('6 operation(s), 5 GET endpoint(s) found (2 list(s)); wrote 5 resource(s) (2 list(s), 3 single object(s), 0 scalar(s) or list(s) of scalars as {value}, 0 in XML, 0 text, 0 binary): 5 with a paginator (single objects: single_page), 4 with a primary key, 1 incremental, 3 child(ren) of another resource');
    expect(init.stderr).not.toContain('skipped');
    expect(init.stderr).toContain('2 recursive schema reference(s) cut to an object');
    const yaml = readFileSync(path.join(out, 'source.yaml'), 'utf8');
    expect(yaml).toContain('# GET /customers: List customers');
    expect(yaml).toContain("# paginator: page_number, from parameter 'page' (pages from 1), total pages at 'meta.total_pages'");
    expect(yaml).toContain("# incremental: 'updated_at' filtered by parameter 'updated_since'");
    expect(yaml).toContain("# parent: {customer_id} is 'id' of customers (/customers)");
    expect(parse(yaml)).toEqual({
      client: { base_url: 'http://shop.example.com/api/v2', auth: { type: 'bearer', token: '{config.api_token}' } },
      resources: [
        {
          name: 'customers', primary_key: 'id', write_disposition: 'merge',
          endpoint: { path: '/customers', data_selector: 'data', params: { per_page: 3 }, paginator: { type: 'page_number', base_page: 1, page_param: 'page', total_path: 'meta.total_pages' }, incremental: { cursor_path: 'updated_at', start_param: 'updated_since' } },
        },
        {
          // One customer by its id: a child of the list whose key fills the path, one page, the body is the record.
          name: 'customers_by_customer_id', primary_key: 'id', write_disposition: 'merge',
          endpoint: { path: '/customers/{resources.customers.id}', data_selector: '$', paginator: 'single_page' },
        },
        {
          name: 'orders', primary_key: 'order_id', write_disposition: 'merge', include_from_parent: ['id'],
          endpoint: { path: '/customers/{resources.customers.id}/orders', data_selector: 'orders', paginator: { type: 'cursor', cursor_param: 'cursor', cursor_path: 'next_cursor' } },
        },
        {
          // The customer's id comes from the parent's records, which carry it (include_from_parent).
          name: 'orders_by_order_id', primary_key: 'order_id', write_disposition: 'merge',
          endpoint: { path: '/customers/{resources.orders._customers_id}/orders/{resources.orders.order_id}', data_selector: 'order', paginator: 'single_page' },
        },
        { name: 'stats', write_disposition: 'append', endpoint: { path: '/stats', data_selector: '$', paginator: 'single_page' } },
      ],
    });
    expect(JSON.parse(readFileSync(path.join(out, 'settings.schema.json'), 'utf8'))).toMatchObject({ properties: { api_token: { type: 'string', secret: true } }, required: ['api_token'] });
  });

  it('--discover prints the typed schemas with no setting filled in and no request', async () => {
    const before = shop.requests();
    const run = await runTap('tap-rest', ['--config', path.join(out, 'config.json'), '--discover'], { json: false });
    expect(run.code).toBe(0);
    expect(shop.requests()).toBe(before);
    const catalog = JSON.parse(run.stdout) as { streams: Array<{ tap_stream_id: string; schema: { properties: Record<string, unknown> }; key_properties: string[] }> };
    const customers = catalog.streams.find((s) => s.tap_stream_id === 'customers');
    expect(customers?.key_properties).toEqual(['id']);
    expect(customers?.schema.properties).toMatchObject({
      id: { type: ['integer'] }, email: { type: ['string', 'null'] }, tier: { type: ['string', 'null'], enum: ['free', 'pro', null] },
      updated_at: { type: ['string', 'null'], format: 'date-time' }, birthday: { type: ['string', 'null'], format: 'date' },
      referred_by: { type: ['object', 'null'] }, // a Customer inside a Customer: the cycle is cut where it closes
    });
    const orders = catalog.streams.find((s) => s.tap_stream_id === 'orders');
    expect(orders?.schema.properties.status).toMatchObject({ type: expect.arrayContaining(['string', 'integer', 'null']) });
  });

  it('syncs every page of the parent and of each child against the document\'s server', async () => {
    const config = tmp.json('shop-config.json', { ...JSON.parse(readFileSync(path.join(out, 'config.json'), 'utf8')), api_token: TOKEN, base_url: `${shop.url}/api/v2` });
    const run = await runTap('tap-rest', ['--config', config]);
    expect(run.stderr).not.toMatch(/CRITICAL|WARN/);
    expect(run.code).toBe(0);
    checkSingerOutput(run.messages);
    expect(recordsOf(run.messages, 'customers').map((r) => r.id)).toEqual(CUSTOMERS.map((c) => c.id));
    expect(recordsOf(run.messages, 'orders')).toHaveLength(CUSTOMERS.length * 2);
    expect(recordsOf(run.messages, 'orders').map((r) => r._customers_id)).toEqual(CUSTOMERS.flatMap((c) => [c.id, c.id]));
    expect(recordsOf(run.messages, 'customers_by_customer_id').map((r) => [r.id, r.email])).toEqual(CUSTOMERS.map((c) => [c.id, c.email]));
    expect(recordsOf(run.messages, 'orders_by_order_id').map((r) => r.order_id)).toEqual(CUSTOMERS.flatMap((c) => orders(c.id).map((o) => o.order_id)));
    expect(recordsOf(run.messages, 'stats')).toEqual([{ count: CUSTOMERS.length }]);
  });

  it('a document it cannot read is one line naming the file and the position, exit 1', async () => {
    const bad = tmp.text('bad.json', '{\n  "openapi": "3.0.0",\n  "paths": {,}\n}\n');
    const run = await runTap('tap-rest', ['init', '--openapi', bad, '--out', tmp.path('x')], { json: false });
    expect(run.code).toBe(1);
    expect(run.stderr.trim().split('\n')).toHaveLength(1);
    expect(run.stderr).toMatch(new RegExp(`^CRITICAL openapi ${bad.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} line 3 column 13: not valid JSON`));
    const yaml = tmp.text('bad.yaml', 'openapi: 3.0.0\npaths:\n  /a: [\n');
    const y = await runTap('tap-rest', ['init', '--openapi', yaml], { json: false });
    expect(y.code).toBe(1);
    expect(y.stderr).toMatch(/^CRITICAL openapi .*bad\.yaml line \d+ column \d+: not valid JSON or YAML/);
    const other = await runTap('tap-rest', ['init', '--openapi', tmp.json('other.json', { hello: 1 })], { json: false });
    expect(other.stderr).toMatch(/not an OpenAPI document \(no 'openapi' or 'swagger' version at the top level\)\n$/);
    // Only GETs with nothing to read (a 204 check): no definition, one line saying so.
    const checks = tmp.json('checks.json', { openapi: '3.0.0', info: { title: 'c', version: '1' }, paths: { '/starred/{repo}': { get: { parameters: [{ name: 'repo', in: 'path', required: true, schema: { type: 'string' } }], responses: { '204': { description: 'yes' }, '404': { description: 'no' } } } } } });
    const nothing = await runTap('tap-rest', ['init', '--openapi', checks, '--out', tmp.path('checks')], { json: false });
    expect(nothing.code).toBe(1);
    expect(nothing.stderr).toMatch(/^CRITICAL openapi .*checks\.json: no GET endpoint with records to write \(1 found among 1 operation\(s\); /);
    const missing = await runTap('tap-rest', ['init'], { json: false });
    expect(missing.stderr).toMatch(/^CRITICAL tap-rest init: --openapi SPEC is required/);
  });

  it('--only keeps the matching resources and the parents they need', async () => {
    const dir = tmp.path('only');
    const run = await runTap('tap-rest', ['init', '--openapi', SPEC, '--out', dir, '--only', 'orders'], { json: false });
    expect(run.code).toBe(0);
    const def = parse(readFileSync(path.join(dir, 'source.yaml'), 'utf8')) as { resources: Array<{ name: string }> };
    expect(def.resources.map((r) => r.name)).toEqual(['customers', 'orders']);
    const none = await runTap('tap-rest', ['init', '--openapi', SPEC, '--out', dir, '--only', 'nothing*'], { json: false });
    expect(none.code).toBe(1);
    expect(none.stderr).toMatch(/no GET endpoint with records to write .*none matching --only nothing\*/);
  });
});

describe('tap-rest init --openapi: --only with a comma list and a path glob', () => {
  const written = (dir: string) => ({
    resources: (parse(readFileSync(path.join(dir, 'source.yaml'), 'utf8')) as { resources: Array<{ name: string }> }).resources.map((r) => r.name),
    streams: (JSON.parse(readFileSync(path.join(dir, 'schemas.json'), 'utf8')) as { streams: Array<{ stream: string }> }).streams.map((s) => s.stream),
  });

  it('a comma list of names and globs: those resources and the parent they need, in every file; the rest skipped as not matched', async () => {
    const dir = tmp.path('only-list');
    const run = await runTap('tap-rest', ['init', '--openapi', SPEC, '--out', dir, '--only', 'stats, customers_by*'], { json: false });
    expect(run.code).toBe(0);
    expect(written(dir)).toEqual({ resources: ['customers', 'customers_by_customer_id', 'stats'], streams: ['customers', 'customers_by_customer_id', 'stats'] });
    expect(run.stderr).toContain('wrote 3 resource(s)');
    expect(run.stderr).toContain('skipped 2 GET endpoint(s):\n  2 not matched by --only stats, customers_by*\n');
  });

  it('a path glob (* crosses slashes): the paths under it and every ancestor they read from', async () => {
    const dir = tmp.path('only-path');
    const run = await runTap('tap-rest', ['init', '--openapi', SPEC, '--out', dir, '--only', '/customers/*/orders/*'], { json: false });
    expect(run.code).toBe(0);
    // orders_by_order_id reads orders' records, which read customers'.
    expect(written(dir)).toEqual({ resources: ['customers', 'orders', 'orders_by_order_id'], streams: ['customers', 'orders', 'orders_by_order_id'] });
    expect(run.stderr).toContain('2 not matched by --only /customers/*/orders/*');
  });
});

describe('tap-rest init --openapi with no --out', () => {
  it('writes into a directory named after the title, in the working directory, with a config --discover reads from there', async () => {
    const cwd = tmp.path('cwd-title');
    mkdirSync(cwd);
    const run = await runTap('tap-rest', ['init', '--openapi', SPEC], { json: false, cwd });
    expect(run.code).toBe(0);
    // 'Shop API' → shop_api
    expect(readdirSync(cwd)).toEqual(['shop_api']);
    expect(readdirSync(path.join(cwd, 'shop_api')).sort()).toEqual(['config.json', 'schemas.json', 'settings.schema.json', 'source.yaml']);
    expect(run.stderr).toContain('wrote shop_api/source.yaml (the definition), shop_api/schemas.json (typed stream schemas, the schema_cache), shop_api/settings.schema.json (settings schema), shop_api/config.json (a config to fill in)');
    expect(JSON.parse(readFileSync(path.join(cwd, 'shop_api/config.json'), 'utf8'))).toEqual({ source: 'shop_api/source.yaml', schema_cache: 'shop_api/schemas.json', api_token: '' });
    // The same definition as with --out (the header names the same document).
    expect(readFileSync(path.join(cwd, 'shop_api/source.yaml'), 'utf8')).toBe(readFileSync(path.join(out, 'source.yaml'), 'utf8'));
    const discover = await runTap('tap-rest', ['--config', 'shop_api/config.json', '--discover'], { json: false, cwd });
    expect(discover.code).toBe(0);
    expect((JSON.parse(discover.stdout) as { streams: Array<{ stream: string }> }).streams.map((s) => s.stream)).toEqual(['customers', 'customers_by_customer_id', 'orders', 'orders_by_order_id', 'stats']);
  });

  it('a title with no letter of a name, or none at all: the directory is named after the file', async () => {
    const doc = (info: Record<string, unknown>) => ({ openapi: '3.0.3', info, servers: [{ url: 'https://api.example.com' }], paths: { '/things': { get: { responses: { '200': { description: 'ok', content: { 'application/json': { schema: { type: 'array', items: { type: 'object', properties: { id: { type: 'integer' } } } } } } } } } } } });
    for (const [name, info] of [['greek', { title: 'Κατάλογος', version: '1' }], ['untitled', { version: '1' }]] as const) {
      const cwd = tmp.path(`cwd-${name}`);
      mkdirSync(cwd);
      const spec = tmp.json(`${name}-Pet-Store.v2.json`, doc(info));
      const run = await runTap('tap-rest', ['init', '--openapi', spec], { json: false, cwd });
      expect(run.code, run.stderr).toBe(0);
      expect(readdirSync(cwd), name).toEqual([`${name}_pet_store_v2`]);
      expect(readdirSync(path.join(cwd, `${name}_pet_store_v2`)).sort()).toEqual(['config.json', 'schemas.json', 'settings.schema.json', 'source.yaml']);
    }
  });
});

describe('tap-rest init --openapi: a Swagger 2.0 document in YAML', () => {
  const KENNEL = path.join(ROOT, 'test/fixtures/openapi/kennel-swagger2.yaml');

  it('is converted and written: base URL from host and basePath, OAuth2 client credentials from the application flow, offset and header cursor paging, a child', async () => {
    const dir = tmp.path('kennel');
    const run = await runTap('tap-rest', ['init', '--openapi', KENNEL, '--out', dir], { json: false });
    expect(run.code, run.stderr).toBe(0);
    expect(run.stderr).toContain('4 operation(s), 3 GET endpoint(s) found (2 list(s)); wrote 3 resource(s) (2 list(s), 0 single object(s), 1 scalar(s) or list(s) of scalars as {value}, 0 in XML, 0 text, 0 binary): 3 with a paginator (single objects: single_page), 2 with a primary key, 1 incremental, 1 child(ren) of another resource');
    const yaml = readFileSync(path.join(dir, 'source.yaml'), 'utf8');
    expect(yaml).toMatch(/^# dlt rest_api definition for Kennel API 1\.4, generated by tap-rest init --openapi from .*kennel-swagger2\.yaml \(OpenAPI 2\.0\)\.\n/);
    expect(yaml).toContain('# auth: OAuth2 client credentials (oauth)');
    expect(parse(yaml)).toEqual({
      client: {
        base_url: 'https://kennel.example.com/api',
        auth: { type: 'oauth2_client_credentials', access_token_url: 'https://auth.kennel.example.com/oauth/token', client_id: '{config.client_id}', client_secret: '{config.client_secret}' },
      },
      resources: [
        {
          name: 'dogs', primary_key: 'id', write_disposition: 'merge',
          endpoint: { path: '/dogs', data_selector: 'items', paginator: { type: 'offset', limit: 50, offset_param: 'skip', limit_param: 'limit', total_path: 'total' }, incremental: { cursor_path: 'updated_at', start_param: 'updated_since' } },
        },
        {
          name: 'visits', primary_key: 'visit_id', write_disposition: 'merge', include_from_parent: ['id'],
          endpoint: { path: '/dogs/{resources.dogs.id}/visits', paginator: { type: 'header_cursor', cursor_key: 'x-next-cursor', cursor_param: 'cursor' } },
        },
        { name: 'breeds', write_disposition: 'append', endpoint: { path: '/breeds', data_selector: '$', paginator: 'single_page' } },
      ],
    });
    expect(JSON.parse(readFileSync(path.join(dir, 'settings.schema.json'), 'utf8'))).toEqual({
      type: 'object',
      properties: { client_id: { type: 'string', description: 'OAuth2 client id (oauth)' }, client_secret: { type: 'string', secret: true, description: 'OAuth2 client secret (oauth)' } },
      required: ['client_id', 'client_secret'],
    });
    expect(JSON.parse(readFileSync(path.join(dir, 'config.json'), 'utf8'))).toEqual({ source: path.join(dir, 'source.yaml'), schema_cache: path.join(dir, 'schemas.json'), client_id: '', client_secret: '' });
    // The schemas from the definitions: --discover prints them with no request (the token URL is never asked).
    const discover = await runTap('tap-rest', ['--config', path.join(dir, 'config.json'), '--discover'], { json: false });
    expect(discover.code, discover.stderr).toBe(0);
    const streams = (JSON.parse(discover.stdout) as { streams: Array<{ stream: string; key_properties: string[]; schema: { properties: Record<string, unknown> } }> }).streams;
    expect(streams.map((s) => [s.stream, s.key_properties])).toEqual([['dogs', ['id']], ['visits', ['visit_id']], ['breeds', []]]);
    expect(streams[0]?.schema.properties).toMatchObject({ id: { type: ['integer'] }, born: { type: ['string', 'null'], format: 'date' }, updated_at: { type: ['string', 'null'], format: 'date-time' } });
    expect(streams[1]?.schema.properties).toMatchObject({ vet: { type: ['string', 'null'] }, _dogs_id: { type: ['integer'] } });
  });
});

describe('tap-rest init --openapi: GETs answering XML, text, bytes, a scalar, a list of scalars', () => {
  const FORMATS = path.join(ROOT, 'test/fixtures/openapi/formats.yaml');
  let server: FormatsServer;
  let dir: string;
  let made: Awaited<ReturnType<typeof runTap>>;
  beforeAll(async () => {
    server = await startFormats();
    dir = tmp.path('formats');
    made = await runTap('tap-rest', ['init', '--openapi', FORMATS, '--out', dir], { json: false });
  });
  afterAll(() => server.close());

  it('writes a resource for each, with the selector, Accept, a typed {value} schema and a comment; the summary counts them by kind', () => {
    expect(made.code).toBe(0);
    expect(made.stderr).toContain('9 operation(s), 9 GET endpoint(s) found (3 list(s)); wrote 9 resource(s) (3 list(s), 1 single object(s), 2 scalar(s) or list(s) of scalars as {value}, 4 in XML, 1 text, 2 binary)');
    expect(made.stderr).not.toContain('skipped');
    const yaml = readFileSync(path.join(dir, 'source.yaml'), 'utf8');
    expect(yaml).toContain("# records: the list at '$.*.Feeds.Feed'");
    expect(yaml).toContain('# records: one {value: ...} per item (dlt\'s normaliser wraps a value that is not an object so): it answers a list of strings');
    expect(yaml).toContain('# records: one per response, {value: the bytes in base64, content_type, size}: it answers bytes (application/pdf)');
    const resources = (parse(yaml) as { resources: Array<{ name: string; endpoint: Record<string, unknown> }> }).resources;
    const byName = Object.fromEntries(resources.map((r) => [r.name, r.endpoint]));
    expect(byName.feeds).toEqual({ path: '/feeds', data_selector: '$.*.Feeds.Feed', paginator: 'single_page', headers: { Accept: 'application/xml' } });
    expect(byName.entries).toMatchObject({ data_selector: '$.*.entry', headers: { Accept: 'text/xml' } });
    expect(byName.status).toMatchObject({ data_selector: '$.*', paginator: 'single_page' });
    // AWS Query: named by its action, the path without the fragment, the items <member>, paged by Marker.
    expect(byName.describe_things).toEqual({
      path: '/', data_selector: '$..Things.member', params: { Action: 'DescribeThings', Version: '2020-01-01' },
      paginator: { type: 'cursor', cursor_param: 'Marker', cursor_path: '$..Marker' }, headers: { Accept: 'text/xml' },
    });
    expect(byName.zen).toEqual({ path: '/zen', data_selector: '$', paginator: 'single_page', headers: { Accept: 'text/plain' } });
    expect(byName.labels).toEqual({ path: '/labels', data_selector: '$', paginator: 'single_page' });
    expect(byName.download).toEqual({ path: '/download', data_selector: '$', paginator: 'single_page', headers: { Accept: '*/*' } });
    const schemas = JSON.parse(readFileSync(path.join(dir, 'schemas.json'), 'utf8')) as { streams: Array<{ stream: string; schema: { properties: Record<string, unknown> } }> };
    const schema = (name: string) => schemas.streams.find((s) => s.stream === name)?.schema.properties;
    expect(schema('report')).toEqual({ value: { type: 'string', contentEncoding: 'base64', contentMediaType: 'application/pdf' }, content_type: { type: 'string' }, size: { type: 'integer' } });
    expect(schema('count')).toEqual({ value: { type: ['integer', 'null'] } });
    expect(schema('labels')).toEqual({ value: { type: ['string', 'null'] } });
    expect(schema('zen')).toEqual({ value: { type: 'string' } });
  });

  it('syncs each into typed records: XML lists (one element still a list), text, base64 bytes (a redirect followed), {value} scalars', async () => {
    const config = tmp.json('formats-config.json', { ...JSON.parse(readFileSync(path.join(dir, 'config.json'), 'utf8')), base_url: `${server.url}/v1` });
    const run = await runTap('tap-rest', ['--config', config]);
    expect(run.stderr).not.toMatch(/CRITICAL|WARN/);
    expect(run.code).toBe(0);
    // Every record validates against its stream's schema (checkSingerOutput).
    checkSingerOutput(run.messages);
    expect(recordsOf(run.messages, 'feeds')).toEqual(FEEDS);
    expect(recordsOf(run.messages, 'entries')).toEqual(ENTRIES);
    expect(recordsOf(run.messages, 'status')).toEqual([{ healthy: true, uptime: 3600 }]);
    expect(recordsOf(run.messages, 'describe_things')).toEqual(THINGS);
    expect(recordsOf(run.messages, 'zen')).toEqual([{ value: ZEN }]);
    expect(recordsOf(run.messages, 'report')).toEqual([{ value: PDF.toString('base64'), content_type: 'application/pdf', size: PDF.length }]);
    // The redirect followed: the PDF it leads to.
    expect(recordsOf(run.messages, 'download')).toEqual(recordsOf(run.messages, 'report'));
    expect(recordsOf(run.messages, 'count')).toEqual([{ value: FEEDS.length }]);
    expect(recordsOf(run.messages, 'labels')).toEqual(LABELS.map((value) => ({ value })));
  });

  it('the bundle alone (as a wheel or a global install holds it: no node_modules above it) reads XML too', async () => {
    // Every package the bundle needs is inside it; a runtime require of one would fail here.
    const alone = mkdtempSync(path.join(os.tmpdir(), 'bundle-alone-'));
    cpSync(path.join(ROOT, 'dist/bundle/rest'), path.join(alone, 'dist/bundle/rest'), { recursive: true });
    const source = tmp.json('alone-source.json', { client: { base_url: `${server.url}/v1` }, resources: [{ name: 'feeds', endpoint: { path: '/feeds', data_selector: '$.*.Feeds.Feed', paginator: 'single_page', headers: { Accept: 'application/xml' } } }] });
    const config = tmp.json('alone-config.json', { source, max_retries: 0 });
    try {
      const run = await promisify(execFile)(process.execPath, [path.join(alone, 'dist/bundle/rest/tap-rest.mjs'), '--config', config], { cwd: alone, encoding: 'utf8', timeout: 30_000, env: { ...process.env, LOGLEVEL: 'warn', NODE_PATH: '' } });
      expect(run.stderr).toBe('');
      const records = run.stdout.trim().split('\n').map((l) => JSON.parse(l) as { type: string }).filter((m) => m.type === 'RECORD');
      expect(records).toHaveLength(FEEDS.length);
    } finally {
      rmSync(alone, { recursive: true, force: true });
    }
  });

  it('an XML body that is not well-formed is one error line, the URL redacted, no stack', async () => {
    const source = tmp.json('broken.json', {
      client: { base_url: `${server.url}/v1`, auth: { type: 'api_key', name: 'key', api_key: '{config.api_key}', location: 'query' } },
      resources: [{ name: 'broken', endpoint: { path: '/broken', data_selector: '$.*', paginator: 'single_page', headers: { Accept: 'application/xml' } } }],
    });
    const config = tmp.json('broken-config.json', { source, api_key: 'sekrit-key-1234', max_retries: 0 });
    const run = await runTap('tap-rest', ['--config', config], { json: false });
    expect(run.code).not.toBe(0);
    const critical = run.stderr.split('\n').filter((l) => l.includes(' CRITICAL '));
    expect(critical, run.stderr).toHaveLength(1);
    expect(critical[0]).toMatch(/GET http:\/\/127\.0\.0\.1:\d+\/v1\/broken\?key=\*\*\* .*response is not well-formed XML \(line 1: /);
    expect(run.stderr).not.toContain('sekrit-key-1234');
    expect(run.stderr).not.toMatch(/\n\s+at /);
  });
});
