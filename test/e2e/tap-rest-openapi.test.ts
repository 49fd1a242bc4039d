/**
 * `tap-rest init --openapi`: the real bin/tap-rest writes a definition from test/fixtures/openapi/shop.yaml,
 * discovers typed schemas from it with no request, and syncs it against a local server of the document's data.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { ROOT, checkSingerOutput, recordsOf, runTap, TempFiles } from './helpers.js';
import { CUSTOMERS, TOKEN, orders, startShop, type ShopServer } from '../fixtures/openapi/server.js';

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
    expect(init.stderr).toContain('6 operation(s), 5 GET endpoint(s) with JSON records (2 list(s)); wrote 5 resource(s) (2 list(s), 3 single object(s)): 5 with a paginator (single objects: single_page), 4 with a primary key, 1 incremental, 3 child(ren) of another resource');
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
    expect(none.stderr).toMatch(/no GET endpoint with JSON records to write .*none matching --only nothing\*/);
  });
});
