/**
 * Issue 9's defects in the sync loop, each proven against the real loop (sync-harness.ts): every test
 * here failed before its fix.
 */
import { describe, it, expect } from 'vitest';
import { rest, childRows } from '../../../src/kit/tap/stream.js';
import { offset, nextUrl } from '../../../src/kit/paging/index.js';
import { buildCatalog } from '../../../src/kit/catalog/catalog.js';
import type { JsonSchema } from '../../../src/kit/core/json.js';
import { syncWith, sendJson, recordsOf, lastState, type Message } from './sync-harness.js';

const obj = (properties: Record<string, JsonSchema>): JsonSchema => ({ type: 'object', properties });
const idSchema = obj({ id: { type: 'integer' }, name: { type: ['string', 'null'] } });

describe('data loss or corruption', () => {
  it('#1 integers above 2^53 reach stdout exact, records and STATE (two ids do not collapse)', async () => {
    const r = await syncWith({
      streams: [rest({ name: 'items', path: '/items', primaryKey: ['id'], replicationKey: 'seq', records: 'data',
        schema: obj({ id: { type: 'integer' }, seq: { type: 'integer' }, code: { type: 'string' } }) })],
      handler: (_req, res) => sendJson(res, '{"data":[{"id":9007199254740993,"seq":12345678901234567891,"code":12345678901234567890},{"id":9007199254740992,"seq":12345678901234567892,"code":"x"}]}'),
    });
    expect(r.error).toBeUndefined();
    expect(r.stdout).toContain('"id":9007199254740993');
    expect(r.stdout).toContain('"id":9007199254740992');
    // a long integer where the schema says string becomes its exact digits
    expect(r.stdout).toContain('"code":"12345678901234567890"');
    expect(r.stdout).toMatch(/"replication_key_value":12345678901234567892/);
  });

  it('#4 a union that allows strings keeps "01234"; a number-only field still coerces', async () => {
    const r = await syncWith({
      streams: [rest({ name: 'items', path: '/items', primaryKey: ['id'], records: 'data',
        schema: obj({ id: { type: 'integer' }, zip: { type: ['string', 'integer', 'null'] }, n: { type: ['integer', 'null'] }, flag: { anyOf: [{ type: 'boolean' }, { type: 'string' }] } }) })],
      handler: (_req, res) => sendJson(res, { data: [{ id: 1, zip: '01234', n: '42', flag: 'true' }] }),
    });
    expect(recordsOf(r, 'items')).toEqual([{ id: 1, zip: '01234', n: 42, flag: 'true' }]);
  });

  it('#5 ACTIVATE_VERSION only after the complete read, never before the rows (stateless run)', async () => {
    const r = await syncWith({
      settings: { emit_activate_version_messages: true },
      streams: [rest({ name: 'items', path: '/items', primaryKey: ['id'], records: 'data', schema: idSchema })],
      handler: (_req, res) => sendJson(res, { data: [{ id: 1 }, { id: 2 }] }),
    });
    const kinds = r.messages.map((m) => m.type);
    expect(kinds.filter((k) => k === 'ACTIVATE_VERSION')).toHaveLength(1);
    expect(kinds.indexOf('ACTIVATE_VERSION')).toBeGreaterThan(kinds.lastIndexOf('RECORD'));
  });

  it('#5 a read that fails half-way sends no ACTIVATE_VERSION at all', async () => {
    const r = await syncWith({
      settings: { emit_activate_version_messages: true, max_retries: 0 },
      streams: [rest({ name: 'items', path: '/items', primaryKey: ['id'], records: 'data', schema: idSchema, paginator: nextUrl('next') })],
      handler: (req, res) => (req.url === '/items' ? sendJson(res, { data: [{ id: 1 }], next: '/items?p=2' }) : sendJson(res, { error: 'gone' }, 500)),
    });
    expect(r.error?.message).toMatch(/HTTP 500/);
    expect(r.messages.some((m) => m.type === 'ACTIVATE_VERSION')).toBe(false);
  });

  it('#6 a nested field deselected in the catalog leaves SCHEMA and RECORD', async () => {
    const schema = obj({ id: { type: 'integer' }, a: obj({ b: { type: 'string' }, c: { type: 'string' } }), list: { type: 'array', items: obj({ x: { type: 'integer' }, y: { type: 'integer' } }) } });
    const streams = [rest({ name: 'items', path: '/items', primaryKey: ['id'], records: 'data', schema })];
    const catalog = buildCatalog([{ name: 'items', schema, primaryKey: ['id'] }]);
    catalog.streams[0]!.metadata.push({ breadcrumb: ['properties', 'a', 'properties', 'b'], metadata: { selected: false } });
    catalog.streams[0]!.metadata.push({ breadcrumb: ['properties', 'list', 'items', 'properties', 'y'], metadata: { selected: false } });
    catalog.streams[0]!.metadata[0]!.metadata.selected = true;
    const r = await syncWith({ streams, catalog, handler: (_req, res) => sendJson(res, { data: [{ id: 1, a: { b: 'secret-ish', c: 'kept' }, list: [{ x: 1, y: 2 }] }] }) });
    const s = r.messages.find((m) => m.type === 'SCHEMA') as Message;
    expect(Object.keys((s.schema!.properties!.a as JsonSchema).properties!)).toEqual(['c']);
    expect(recordsOf(r, 'items')).toEqual([{ id: 1, a: { c: 'kept' }, list: [{ x: 1 }] }]);
  });

  it('#7 key and replication-key fields deselected in the catalog are kept (automatic), with a warning', async () => {
    const schema = obj({ id: { type: 'integer' }, updated: { type: 'string', format: 'date-time' }, name: { type: 'string' } });
    const streams = [rest({ name: 'items', path: '/items', primaryKey: ['id'], replicationKey: 'updated', records: 'data', schema })];
    const catalog = buildCatalog([{ name: 'items', schema, primaryKey: ['id'], replicationKey: 'updated' }]);
    for (const m of catalog.streams[0]!.metadata) m.metadata = m.breadcrumb.length ? { inclusion: 'available', selected: false } : { ...m.metadata, selected: true };
    const r = await syncWith({ streams, catalog, handler: (_req, res) => sendJson(res, { data: [{ id: 1, updated: '2025-01-01T00:00:00Z', name: 'n' }] }) });
    expect(recordsOf(r, 'items')).toEqual([{ id: 1, updated: '2025-01-01T00:00:00Z' }]);
    expect(lastState(r)?.bookmarks.items?.replication_key_value).toBe('2025-01-01T00:00:00Z');
    expect(r.stderr).toContain("field 'id' is a key or replication key: it is always synced");
  });

  it('#8 child partitions of a full-table parent are checkpointed as they finish', async () => {
    const streams = [
      rest({ name: 'parents', path: '/parents', primaryKey: ['id'], records: 'data', schema: idSchema }),
      rest({ name: 'kids', parent: 'parents', path: '/parents/{id}/kids', primaryKey: ['id'], replicationKey: 'updated', records: 'data',
        schema: obj({ id: { type: 'integer' }, updated: { type: 'string', format: 'date-time' } }) }),
    ];
    const r = await syncWith({
      tap: { stateCheckpointInterval: 5 },
      streams,
      handler: (req, res, url) => {
        if (url.pathname === '/parents') return sendJson(res, { data: Array.from({ length: 10 }, (_, i) => ({ id: i + 1 })) });
        const p = Number(url.pathname.split('/')[2]);
        if (p === 8) return sendJson(res, { error: 'crash' }, 400);
        return sendJson(res, { data: [{ id: p * 10, updated: '2025-01-01T00:00:00Z' }, { id: p * 10 + 1, updated: '2025-01-02T00:00:00Z' }] });
      },
    });
    expect(r.error?.message).toMatch(/HTTP 400/);
    // The run failed at parent 8; STATE already covers the partitions that finished before it.
    const partitions = lastState(r)?.bookmarks.kids?.partitions as Array<{ context: { id: number } }> | undefined;
    expect(partitions?.length ?? 0).toBeGreaterThanOrEqual(4);
    expect(partitions!.every((p) => p.context.id < 8)).toBe(true);
  });

  it('#10 a stream declared sorted that goes back below a checkpointed bookmark fails clearly', async () => {
    const r = await syncWith({
      tap: { stateCheckpointInterval: 2 },
      streams: [rest({ name: 'items', path: '/items', primaryKey: ['id'], replicationKey: 'n', sorted: true, records: 'data', paginator: nextUrl('next'),
        schema: obj({ id: { type: 'integer' }, n: { type: 'integer' } }) })],
      handler: (req, res) => (req.url === '/items'
        ? sendJson(res, { data: [{ id: 1, n: 1 }, { id: 2, n: 5 }], next: '/items?p=2' })
        : sendJson(res, { data: [{ id: 3, n: 3 }] })),
    });
    expect(r.error?.message).toMatch(/stream 'items' is declared sorted by 'n', but a record with "3" came after the bookmark "5" was checkpointed/);
  });

  it('#11 each record carries the time its own page was fetched, not its children\'s', async () => {
    let t = 0;
    const streams = [
      rest({ name: 'parents', path: '/parents', primaryKey: ['id'], records: 'data', schema: idSchema }),
      rest({ name: 'kids', parent: 'parents', path: '/parents/{id}/kids', primaryKey: ['id'], records: 'data', schema: idSchema }),
    ];
    const r = await syncWith({
      streams,
      handler: (_req, res, url) => {
        t++;
        const delay = url.pathname === '/parents' ? 0 : 15;
        setTimeout(() => sendJson(res, url.pathname === '/parents' ? { data: [{ id: 1 }, { id: 2 }, { id: 3 }] } : { data: [{ id: t }] }), delay);
      },
    });
    const parents = r.messages.filter((m) => m.type === 'RECORD' && m.stream === 'parents').map((m) => m.time_extracted);
    expect(new Set(parents).size).toBe(1);
    const kids = r.messages.filter((m) => m.type === 'RECORD' && m.stream === 'kids').map((m) => m.time_extracted as string);
    expect(kids.every((k) => k > (parents[0] as string))).toBe(true);
  });

  it('#14 a fatal error does not wait for the prefetched next page and its retries', async () => {
    const r = await syncWith({
      streams: [rest({ name: 'items', path: '/items', primaryKey: ['id'], records: 'data', schema: idSchema, paginator: nextUrl('next') })],
      // Page 2 never answers: without the abort, the run would wait out request_timeout and every retry.
      handler: (req, res) => (req.url === '/items' ? sendJson(res, { data: [{ id: 'not a number' }], next: '/items?p=2' }) : undefined),
    });
    expect(r.error?.message).toMatch(/record id="not a number"/);
    expect(r.requests.length).toBeLessThanOrEqual(2);
  }, 3000);

  it('#17 a record nested 200,000 levels deep is one line naming stream, key and field', async () => {
    const deep = '{"x":'.repeat(200_000) + '1' + '}'.repeat(200_000);
    const r = await syncWith({
      streams: [rest({ name: 'items', path: '/items', primaryKey: ['id'], records: 'data', schema: obj({ id: { type: 'integer' }, blob: {} }) })],
      handler: (_req, res) => sendJson(res, `{"data":[{"id":7,"blob":${deep}}]}`),
    });
    expect(r.error?.name).toBe('UserError');
    expect(r.error?.message).toBe("stream 'items' record id=7: field 'blob' is nested too deeply to be written");
  });
});

describe('silent surprises (#19)', () => {
  it('"selected": "yes" is said; a catalog schema without properties falls back to the tap\'s', async () => {
    const streams = [rest({ name: 'items', path: '/items', primaryKey: ['id'], records: 'data', schema: idSchema })];
    const catalog = { streams: [{ tap_stream_id: 'items', stream: 'items', schema: { type: 'object' }, metadata: [{ breadcrumb: [], metadata: { selected: 'yes' } }] }] };
    const r = await syncWith({ streams, catalog, handler: (_req, res) => sendJson(res, { data: [{ id: 1 }] }) });
    expect(r.error).toBeUndefined();
    expect(r.stderr).toContain(`"selected" must be true or false, got "yes"; ignored`);
    expect(r.stderr).toContain(`its schema has no "properties"; using the tap's own schema`);
  });

  it('a field not in the schema is said once per stream and field', async () => {
    const r = await syncWith({
      streams: [rest({ name: 'items', path: '/items', primaryKey: ['id'], records: 'data', schema: idSchema })],
      handler: (_req, res) => sendJson(res, { data: [{ id: 1, extra: 1 }, { id: 2, extra: 2 }] }),
    });
    expect(r.stderr.match(/field 'extra' is not in the stream's schema/g)).toHaveLength(1);
  });

  it('a numeric bookmark on a date-time key is said; "2025-01-01T10:00Z" is normalised', async () => {
    const schema = obj({ id: { type: 'integer' }, updated: { type: 'string', format: 'date-time' } });
    const r = await syncWith({
      state: { bookmarks: { items: { replication_key: 'updated', replication_key_value: 1735725600 } } },
      streams: [rest({ name: 'items', path: '/items', primaryKey: ['id'], replicationKey: 'updated', records: 'data', schema })],
      handler: (_req, res) => sendJson(res, { data: [{ id: 1, updated: '2025-01-01T10:00Z' }] }),
    });
    expect(r.error).toBeUndefined();
    expect(r.stderr).toContain("bookmark 1735725600 on date-time key 'updated' is a number; read as epoch seconds (2025-01-01T10:00:00.000Z)");
    expect(recordsOf(r, 'items')).toEqual([{ id: 1, updated: '2025-01-01T10:00:00.000Z' }]);
  });
});

describe('error policy (#20)', () => {
  const schema = obj({ id: { type: 'integer' }, n: { type: 'integer' } });
  const pages = (req: { url?: string }, res: Parameters<typeof sendJson>[0]) => sendJson(res, {
    data: req.url === '/items' ? [{ id: 1, n: 1 }, { id: 2, n: 'bad' }, { id: 3, n: 3 }] : [],
  });

  it('by default one bad record fails the run', async () => {
    const r = await syncWith({ streams: [rest({ name: 'items', path: '/items', primaryKey: ['id'], replicationKey: 'n', sorted: true, records: 'data', schema })], handler: pages });
    expect(r.error?.message).toMatch(/record id=2/);
  });

  it('skip: the bad record is skipped with a WARN and a METRIC, and the bookmark stays before it', async () => {
    const r = await syncWith({
      settings: { error_policy: 'skip' },
      streams: [rest({ name: 'items', path: '/items', primaryKey: ['id'], replicationKey: 'n', sorted: true, records: 'data', schema })],
      handler: pages,
    });
    expect(r.error).toBeUndefined();
    expect(recordsOf(r, 'items').map((x) => x.id)).toEqual([1, 3]);
    expect(r.stderr).toMatch(/WARN .*stream 'items': record skipped \(error_policy: skip/);
    expect(r.stderr).toContain('"metric":"skipped_count","value":1,"tags":{"stream":"items"}');
    // record 3 was written, but the bookmark stays where the run started (no bookmark): the next run reads record 2 again.
    expect(lastState(r)?.bookmarks.items?.replication_key_value).toBeUndefined();
  });

  it('skip: a child partition answered 404 is skipped; the parent bookmark stays before that parent', async () => {
    const streams = [
      rest({ name: 'parents', path: '/parents', primaryKey: ['id'], replicationKey: 'n', sorted: true, records: 'data', schema }),
      rest({ name: 'kids', parent: 'parents', path: '/parents/{id}/kids', primaryKey: ['id'], records: 'data', schema: idSchema }),
      childRows({ name: 'tags', parent: 'parents', primaryKey: ['id'], schema: idSchema, rows: (item) => [{ id: item.id ?? 0 }] }),
    ];
    const r = await syncWith({
      settings: { error_policy: 'skip' },
      streams,
      handler: (_req, res, url) => {
        if (url.pathname === '/parents') return sendJson(res, { data: [{ id: 1, n: 1 }, { id: 2, n: 2 }, { id: 3, n: 3 }] });
        if (url.pathname === '/parents/2/kids') return sendJson(res, { error: 'no such parent' }, 404);
        return sendJson(res, { data: [{ id: Number(url.pathname.split('/')[2]) * 10 }] });
      },
    });
    expect(r.error).toBeUndefined();
    expect(recordsOf(r, 'kids').map((x) => x.id)).toEqual([10, 30]);
    expect(r.stderr).toMatch(/stream 'kids': partition \{"id":2\} skipped/);
    expect(lastState(r)?.bookmarks.parents?.replication_key_value).toBeUndefined();
  });
});

void offset;
