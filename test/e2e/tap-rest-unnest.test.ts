/**
 * tap-rest's `max_table_nesting` (issue 16 #5): nested lists unnested as dlt's normaliser does, as
 * child streams `<resource>__<field>` carrying the parent's key and the item's position; off by
 * default (lists stay JSON columns).
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, it } from 'vitest';
import { recordsOf, runTap, TempFiles } from './helpers.js';

let tmp: TempFiles;
let server: Server;
let base = '';
const ORDERS = [
  { id: 1, name: 'a', lines: [{ sku: 'x', qty: 2 }, { sku: 'y', qty: 1 }], tags: ['red', 'blue'] },
  { id: 2, name: 'b', lines: [], tags: ['green'] },
];

beforeAll(async () => {
  tmp = new TempFiles();
  server = createServer((_req, res) => { res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ data: ORDERS })); });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => {
  server?.close();
  tmp?.cleanup();
});

const definition = (resource: object = {}) => ({
  client: { base_url: base },
  resources: [{ name: 'orders', primary_key: 'id', write_disposition: 'merge', endpoint: { path: '/orders', data_selector: 'data', paginator: 'single_page' }, ...resource }],
});

describe('max_table_nesting', () => {
  it('1: each list field is a child stream, one record per item with the parent key and _dlt_list_idx; the parent loses the lists', async ({ expect }) => {
    const run = await runTap('tap-rest', ['--config', tmp.json('nest.json', { source: tmp.json('nest-def.json', definition()), max_table_nesting: 1 })]);
    expect(run.code, run.stderr).toBe(0);
    expect(recordsOf(run.messages, 'orders')).toEqual([{ id: 1, name: 'a' }, { id: 2, name: 'b' }]);
    expect(recordsOf(run.messages, 'orders__lines')).toEqual([
      { _orders_id: 1, _dlt_list_idx: 0, sku: 'x', qty: 2 },
      { _orders_id: 1, _dlt_list_idx: 1, sku: 'y', qty: 1 },
    ]);
    expect(recordsOf(run.messages, 'orders__tags')).toEqual([
      { _orders_id: 1, _dlt_list_idx: 0, value: 'red' },
      { _orders_id: 1, _dlt_list_idx: 1, value: 'blue' },
      { _orders_id: 2, _dlt_list_idx: 0, value: 'green' },
    ]);
    const schemas = run.messages.filter((m) => m.type === 'SCHEMA') as Array<{ stream: string; key_properties: string[]; schema: { properties: Record<string, unknown> } }>;
    expect(schemas.find((s) => s.stream === 'orders__lines')?.key_properties).toEqual(['_orders_id', '_dlt_list_idx']);
    expect(Object.keys(schemas.find((s) => s.stream === 'orders')?.schema.properties ?? {})).toEqual(['id', 'name']);
  });
  it('a resource\'s own max_table_nesting wins; 0 (the default) keeps lists as JSON columns', async ({ expect }) => {
    const off = await runTap('tap-rest', ['--config', tmp.json('flat.json', { source: tmp.json('flat-def.json', definition()) })]);
    expect(off.code, off.stderr).toBe(0);
    expect(recordsOf(off.messages, 'orders')).toEqual(ORDERS);
    expect(off.messages.some((m) => m.type === 'SCHEMA' && String(m.stream).includes('__'))).toBe(false);
    const own = await runTap('tap-rest', ['--config', tmp.json('own.json', { source: tmp.json('own-def.json', definition({ max_table_nesting: 1 })) })]);
    expect(recordsOf(own.messages, 'orders__tags')).toHaveLength(3);
  });
});
