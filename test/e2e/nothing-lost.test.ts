/**
 * Issue 15's hand-found data-loss defects, each proven end to end against the real binaries: every
 * test here failed before its fix. The kill-anywhere checker (test/checker) finds the same defects
 * on generated sources; these pin each one to a readable case.
 */
import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, it } from 'vitest';
import {
  recordsOf,
  schemasOf,
  runTap,
  runTapUntil,
  spawnTap,
  startPlayground,
  statesOf,
  TempFiles,
  type PlaygroundProcess,
  type StateValue,
} from './helpers.js';

let tmp: TempFiles;
let pg: PlaygroundProcess;

beforeAll(async () => {
  tmp = new TempFiles();
  pg = await startPlayground({ seed: 15, scale: 5 });
});
afterAll(async () => {
  await pg?.stop();
  tmp?.cleanup();
});

const FAST = { retry_backoff_seconds: 0.01, request_timeout: 5 };

describe('a sorted incremental parent with HTTP children (#1)', () => {
  /** Projects sorted by id (incremental, row_order asc), their tasks read per project over HTTP. */
  const definition = (extra: object[] = []) => ({
    client: { base_url: `${pg.url}/catalog-api`, auth: { type: 'bearer', token: '{config.token}' } },
    resource_defaults: { primary_key: 'id' },
    resources: [
      {
        name: 'projects',
        endpoint: {
          // The server filters (`after`: ids above it), so a resumed run never sees the parents before its bookmark.
          path: '/projects', data_selector: 'projects', params: { after: '{incremental.start_value}' },
          paginator: { type: 'json_link', next_url_path: 'next' },
          incremental: { cursor_path: 'id', initial_value: 0, row_order: 'asc' },
        },
      },
      {
        name: 'tasks',
        endpoint: { path: '/projects/{resources.projects.id}/tasks', data_selector: 'items', paginator: { type: 'cursor', cursor_path: 'meta.next_cursor', has_more_path: 'meta.has_more' } },
      },
      ...extra,
    ],
  });
  const config = (def: object, settings: object = {}) =>
    tmp.json(`cfg-${Math.random().toString(36).slice(2)}.json`, { source: tmp.json(`def-${Math.random().toString(36).slice(2)}.json`, def), token: pg.token, ...FAST, ...settings });
  const taskIds = (messages: Parameters<typeof recordsOf>[0]) => new Set(recordsOf(messages, 'tasks').map((t) => t.id));

  for (const [parallel, part] of [[1, 0.2], [4, 0.2], [4, 0.45], [8, 0.7]] as const) {
    it(`SIGTERM after ${part * 100}% of the tasks, then resume from the last STATE: every task arrives (max_parallel_requests ${parallel})`, async ({ expect }) => {
      const all = (await pg.stats()).catalog!.tasks!;
      const cfg = config(definition(), { max_parallel_requests: parallel });
      const { run, signalled } = await runTapUntil('tap-rest', ['--config', cfg], '{"type":"RECORD","stream":"tasks"', Math.floor(all * part));
      expect(signalled).toBe(true);
      expect(run.code, run.stderr).toBe(143);
      const state = statesOf(run.messages).at(-1) as StateValue;
      // The parent's bookmark never passes a project whose tasks are not all written.
      const written = taskIds(run.messages);
      const bookmark = Number(state.bookmarks.projects?.replication_key_value ?? 0);
      expect(bookmark).toBeGreaterThan(0);
      const resumed = await runTap('tap-rest', ['--config', cfg, '--state', tmp.json(`state-${parallel}-${part}.json`, state)]);
      expect(resumed.code, resumed.stderr).toBe(0);
      const union = new Set([...written, ...taskIds(resumed.messages)]);
      expect(union.size).toBe(all);
    });
  }

  it('a sibling resource failing (404) stops the run with a STATE that loses no child', async ({ expect }) => {
    const all = (await pg.stats()).catalog!.tasks!;
    // A schema of its own: no request at start-up (inference), so it fails during the sync.
    const failing = { name: 'gone', schema: { type: 'object', properties: { id: { type: 'integer' } } }, endpoint: { path: '/nothing-here' } };
    const cfg = config(definition([failing]), { max_parallel_requests: 4, max_parallel_streams: 2 });
    const run = await runTap('tap-rest', ['--config', cfg]);
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/stream 'gone'.*404/);
    const state = statesOf(run.messages).at(-1) ?? { bookmarks: {} };
    const resumed = await runTap('tap-rest', ['--config', config(definition()), '--state', tmp.json('state-404.json', state)]);
    expect(resumed.code, resumed.stderr).toBe(0);
    const union = new Set([...taskIds(run.messages), ...taskIds(resumed.messages)]);
    expect(union.size).toBe(all);
  });
});

describe('error_policy skip with ACTIVATE_VERSION (#3)', () => {
  /** Monitors as a full-table stream replaced on every run; a column hint no null response time fits. */
  const definition = (extraResources: object[] = []) => ({
    client: { base_url: pg.url, auth: { type: 'api_key', name: 'api_key', api_key: '{config.api_key}', location: 'query' } },
    resource_defaults: { primary_key: 'id', write_disposition: 'replace' },
    resources: [
      { name: 'monitors', columns: { response_time_ms: { data_type: 'bigint', nullable: false } }, endpoint: { path: '/v1/resource', data_selector: 'data', paginator: { type: 'offset', limit: 100 } } },
      ...extraResources,
    ],
  });

  it('a version in which records were skipped is never activated (the target would delete their rows); one WARN says so', async ({ expect }) => {
    const cfg = tmp.json('skip-av.json', { source: tmp.json('skip-av-def.json', definition()), api_key: pg.token, error_policy: 'skip', emit_activate_version_messages: true, ...FAST });
    const run = await runTap('tap-rest', ['--config', cfg]);
    expect(run.code, run.stderr).toBe(0);
    const skipped = run.stderr.match(/stream 'monitors': record skipped/g)?.length ?? 0;
    expect(skipped).toBeGreaterThan(0);
    expect(run.messages.filter((m) => m.type === 'ACTIVATE_VERSION')).toEqual([]);
    const warn = run.stderr.split('\n').filter((l) => /WARN.*stream 'monitors'.*not activated/.test(l));
    expect(warn).toHaveLength(1);
    expect(warn[0]).toContain(`${skipped.toLocaleString('en')} record${skipped === 1 ? '' : 's'} skipped`);
    // The final STATE records no new version either: the next run's version replaces the old one whole.
    expect(JSON.stringify(statesOf(run.messages).at(-1))).not.toContain('"version"');
  });

  it('without skips the version is activated as before', async ({ expect }) => {
    const def = definition();
    (def.resources[0] as { columns?: unknown }).columns = undefined;
    const cfg = tmp.json('noskip-av.json', { source: tmp.json('noskip-av-def.json', def), api_key: pg.token, error_policy: 'skip', emit_activate_version_messages: true, ...FAST });
    const run = await runTap('tap-rest', ['--config', cfg]);
    expect(run.code, run.stderr).toBe(0);
    expect(run.messages.filter((m) => m.type === 'ACTIVATE_VERSION')).toHaveLength(1);
  });
});

describe('newest-first lists changing while they are read (#2)', () => {
  /**
   * tap-harness's projects come newest first (`lastModifiedAt,DESC`): a project created or changed
   * during the sync moves to the top and shifts the others down a page. The run then resumes from its
   * final STATE (rows changed during it are at or after its bookmark): the two runs together must hold
   * every project the source had at the start.
   */
  for (const parallel of [8, 1]) {
    it(`projects created and changed during the sync: none missed (max_parallel_requests ${parallel})`, async ({ expect }) => {
      const server = await startPlayground({ seed: 152 + parallel, scale: 1 });
      try {
        const before = (await server.stats()).harness!.user_projects!;
        const cfg = tmp.json(`harness-${parallel}.json`, {
          api_token: server.token, account_id: 'playground-account', base_url: server.url, page_size: 3, max_parallel_requests: parallel, ...FAST,
        });
        // Projects only (their pipelines would only make the run longer).
        const discovered = JSON.parse((await runTap('tap-harness', ['--config', cfg, '--discover'], { json: false })).stdout) as { streams: Array<{ tap_stream_id: string; metadata: Array<{ breadcrumb: string[]; metadata: Record<string, unknown> }> }> };
        for (const s of discovered.streams) for (const m of s.metadata) if (m.breadcrumb.length === 0) m.metadata.selected = s.tap_stream_id === 'user_projects';
        const catalog = tmp.json(`harness-catalog-${parallel}.json`, discovered);
        let mutations = 0;
        const pending: Array<Promise<unknown>> = [];
        const { result } = spawnTap('tap-harness', ['--config', cfg, '--catalog', catalog], {
          onLine: (line) => {
            // Changes land while the projects' pages are being requested.
            if (line.startsWith('{"type":"RECORD","stream":"user_projects"') && mutations < 6) {
              mutations++;
              pending.push(server.mutate(1));
            }
          },
        });
        const run = await result;
        await Promise.all(pending);
        expect(run.code, run.stderr).toBe(0);
        const state = statesOf(run.messages).at(-1) as StateValue;
        const resumed = await runTap('tap-harness', ['--config', cfg, '--catalog', catalog, '--state', tmp.json(`harness-state-${parallel}.json`, state)]);
        expect(resumed.code, resumed.stderr).toBe(0);
        const key = (r: Record<string, unknown>) => `${String(r.orgIdentifier)}/${String(r.identifier)}`;
        const seen = new Set([...recordsOf(run.messages, 'user_projects'), ...recordsOf(resumed.messages, 'user_projects')].map(key));
        const after = (await server.stats()).harness!.user_projects!;
        expect(after).toBeGreaterThan(before);
        expect(seen.size).toBe(after);
      } finally {
        await server.stop();
      }
    });
  }
});

describe('a server that is not there, and a fatal error among streams (#9)', () => {
  it('a closed port: a short bounded retry saying "connection refused", then one CRITICAL line, exit 1', async ({ expect }) => {
    // A port nothing listens on: bind one, note it, close it.
    const probe = createServer();
    await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
    const port = (probe.address() as AddressInfo).port;
    await new Promise<void>((resolve) => probe.close(() => resolve()));
    const run = await runTap('tap-playground', ['--config', tmp.json('closed.json', { bearer_token: 'x', base_url: `http://127.0.0.1:${port}`, max_retries: 5, retry_backoff_seconds: 1 })]);
    expect(run.code).toBe(1);
    const retries = run.stderr.split('\n').filter((l) => / WARN .*retry \d+\/\d+/.test(l));
    // At most two retries for each of the streams started at once, never the full five.
    expect(retries.length).toBeGreaterThan(0);
    expect(retries.length).toBeLessThanOrEqual(2 * 4);
    for (const l of retries) expect(l).toMatch(/connection refused \(is the server up, and is the base URL right\?\); retry [12]\/2 in [01]\.\ds/);
    const critical = run.stderr.split('\n').filter((l) => / CRITICAL /.test(l));
    expect(critical).toHaveLength(1);
    expect(critical[0]).toMatch(new RegExp(`stream '[a-z_]+': GET http://127\\.0\\.0\\.1:${port}/.* failed: no response - connection refused`));
  });

  it('one stream failing stops the others at once: a stream retrying a 503 gives up its retries, with a STATE', async ({ expect }) => {
    const server = createServer((req, res) => {
      if (req.url?.startsWith('/gone')) {
        setTimeout(() => { res.writeHead(404, { 'content-type': 'application/json' }).end('{"error":"no such thing"}'); }, 300);
        return;
      }
      res.writeHead(503, { 'content-type': 'application/json' }).end('{"error":"busy"}');
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
      const schema = { type: 'object', properties: { id: { type: 'integer' } } };
      const definition = {
        client: { base_url: base },
        resources: [
          { name: 'busy', primary_key: 'id', schema, endpoint: { path: '/busy', data_selector: 'data' } },
          { name: 'gone', primary_key: 'id', schema, endpoint: { path: '/gone', data_selector: 'data' } },
        ],
      };
      const run = await runTap('tap-rest', ['--config', tmp.json('fatal-others.json', { source: tmp.json('fatal-others-def.json', definition), max_retries: 4, retry_backoff_seconds: 3 })]);
      expect(run.code).toBe(1);
      const critical = run.stderr.split('\n').filter((l) => / CRITICAL /.test(l));
      expect(critical).toHaveLength(1);
      expect(critical[0]).toMatch(/stream 'gone': GET .*\/gone failed: HTTP 404/);
      // 'busy' was stopped at its first wait (3 s or more): it never got to retry 2 of 4.
      const busyRetries = run.stderr.split('\n').filter((l) => /stream 'busy': .*retry \d\/4/.test(l));
      expect(busyRetries.length).toBeLessThanOrEqual(1);
      expect(run.messages.at(-1)?.type).toBe('STATE');
    } finally {
      server.close();
    }
  });
});

describe('a list in cursor order read by positions, rows updated while it is read (checker finding F4)', () => {
  /**
   * 100 items in `updated_at` order, filtered by `since` (inclusive) and paged by offset. While the run
   * pages, items already read are updated: each moves to the end, and every item behind it slides back
   * one place, into a position already read. Read by positions, the item at the next offset is
   * skipped for good while the bookmark passes it.
   */
  async function movingList(): Promise<{ base: string; close(): void; ids: number[] }> {
    let clock = Date.parse('2026-01-01T00:00:00Z');
    const items = Array.from({ length: 100 }, (_, i) => ({ id: i + 1, updated_at: new Date(clock + i * 1000).toISOString() }));
    clock += 1_000_000;
    // On the 3rd, 5th and 7th request, an item read by then is updated: it moves to the end of the list.
    const moves = new Map([[3, 5], [5, 15], [7, 25]]);
    let requests = 0;
    const server = createServer((req, res) => {
      const url = new URL(req.url ?? '/', 'http://x');
      const since = url.searchParams.get('since') ?? '';
      const offset = Number(url.searchParams.get('offset') ?? 0);
      const limit = Number(url.searchParams.get('limit') ?? 10);
      const target = moves.get(++requests);
      const moved = items.find((item) => item.id === target);
      if (moved) {
        moved.updated_at = new Date((clock += 1000)).toISOString();
        items.sort((a, b) => a.updated_at.localeCompare(b.updated_at));
      }
      const rows = items.filter((item) => item.updated_at >= since);
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ data: rows.slice(offset, offset + limit), total: rows.length }));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    return { base: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, close: () => server.close(), ids: items.map((i) => i.id) };
  }

  for (const parallel of [1, 4]) {
    it(`every item is written, and the bookmark is the last update (max_parallel_requests ${parallel})`, async ({ expect }) => {
      const source = await movingList();
      try {
        const definition = {
          client: { base_url: source.base },
          resources: [{
            name: 'items', primary_key: 'id',
            endpoint: {
              path: '/items', data_selector: 'data', params: { since: '{incremental.start_value}' },
              paginator: { type: 'offset', limit: 10, total_path: 'total' },
              incremental: { cursor_path: 'updated_at', initial_value: '2025-01-01T00:00:00Z', row_order: 'asc' },
            },
          }],
        };
        const run = await runTap('tap-rest', ['--config', tmp.json(`f4-${parallel}.json`, { source: tmp.json(`f4-def-${parallel}.json`, definition), max_parallel_requests: parallel, ...FAST })]);
        expect(run.code, run.stderr).toBe(0);
        const written = new Set(recordsOf(run.messages, 'items').map((r) => r.id));
        expect([...source.ids].filter((id) => !written.has(id))).toEqual([]);
        const final = statesOf(run.messages).at(-1) as StateValue;
        expect(final.bookmarks?.items?.replication_key_value).toBe('2026-01-01T00:16:43.000Z');
      } finally {
        source.close();
      }
    });
  }
});

describe('a list in cursor order whose ties fill more than a page (checker seed 1)', () => {
  /**
   * 40 items in `updated_at` order, filtered by `since` (inclusive), 2 per page: groups of 5 share one
   * `updated_at`, so a page asked from a group's value holds that value only, and the next page of the
   * group can only be asked by position (offset 2 from that value). With `moves`, when that position
   * is first asked, the group's first item (already read) is updated: it moves to the end, the group
   * slides back one, and offset 2 no longer starts at the group's third item. Read by positions alone,
   * that item is skipped while the bookmark passes it.
   */
  async function tiedList(moves: boolean): Promise<{ base: string; close(): void; ids: number[]; last(): string }> {
    let clock = Date.parse('2026-01-01T00:00:00Z');
    const items = Array.from({ length: 40 }, (_, i) => ({ id: i + 1, updated_at: new Date(clock + Math.floor(i / 5) * 1000).toISOString() }));
    clock += 1_000_000;
    const moved = new Set<string>();
    const server = createServer((req, res) => {
      const url = new URL(req.url ?? '/', 'http://x');
      const since = url.searchParams.get('since') ?? '';
      const offset = Number(url.searchParams.get('offset') ?? 0);
      const limit = Number(url.searchParams.get('limit') ?? 10);
      const group = items.filter((item) => item.updated_at >= since)[0];
      if (moves && offset > 0 && group && group.updated_at === since && !moved.has(since)) {
        moved.add(since);
        group.updated_at = new Date((clock += 1000)).toISOString();
        items.sort((a, b) => a.updated_at.localeCompare(b.updated_at) || a.id - b.id);
      }
      const rows = items.filter((item) => item.updated_at >= since);
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ data: rows.slice(offset, offset + limit), total: rows.length }));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    return { base: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, close: () => server.close(), ids: items.map((i) => i.id), last: () => items.at(-1)!.updated_at };
  }

  function tiedDefinition(base: string, keyed: boolean): object {
    return {
      client: { base_url: base },
      resources: [{
        name: 'items', ...(keyed ? { primary_key: 'id', write_disposition: 'merge' } : {}),
        endpoint: {
          path: '/items', data_selector: 'data', params: { since: '{incremental.start_value}' },
          paginator: { type: 'offset', limit: 2, total_path: 'total' },
          incremental: { cursor_path: 'updated_at', initial_value: '2025-01-01T00:00:00Z', row_order: 'asc' },
        },
      }],
    };
  }

  it('a stream without a primary key (append) writes every record of a tie, once', async ({ expect }) => {
    const source = await tiedList(false);
    try {
      const run = await runTap('tap-rest', ['--config', tmp.json('ties-append.json', { source: tmp.json('ties-append-def.json', tiedDefinition(source.base, false)), ...FAST })]);
      expect(run.code, run.stderr).toBe(0);
      expect(schemasOf(run.messages, 'items')[0]?.key_properties).toEqual([]);
      // The first group's page is asked again from its value: its two records are not written twice.
      expect(recordsOf(run.messages, 'items').map((r) => r.id)).toEqual(source.ids);
    } finally {
      source.close();
    }
  });

  it('a tie read moving while its group is paged by position: the group is read again, every item is written', async ({ expect }) => {
    const source = await tiedList(true);
    try {
      const run = await runTap('tap-rest', ['--config', tmp.json('ties.json', { source: tmp.json('ties-def.json', tiedDefinition(source.base, true)), ...FAST })]);
      expect(run.code, run.stderr).toBe(0);
      const written = new Set(recordsOf(run.messages, 'items').map((r) => r.id));
      expect(source.ids.filter((id) => !written.has(id))).toEqual([]);
      const final = statesOf(run.messages).at(-1) as StateValue;
      expect(final.bookmarks?.items?.replication_key_value).toBe(source.last());
      // One group at a time: each of the 8 groups lost a row while it was paged, and was read again.
      expect(run.stderr.split('\n').filter((l) => / INFO .*stream 'items': a row left a group .* read again from/.test(l))).toHaveLength(8);
    } finally {
      source.close();
    }
  });
});

describe('a list in cursor order read by positions with no start filter (checker finding F4, no filter)', () => {
  it('cannot be read safely, and the run says so in one WARN naming the stream and the remedy', async ({ expect }) => {
    const server = createServer((_req, res) => { res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ data: [{ id: 1, updated_at: '2026-01-01T00:00:00Z' }], total: 1 })); });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const definition = {
        client: { base_url: `http://127.0.0.1:${(server.address() as AddressInfo).port}` },
        resources: [{ name: 'items', primary_key: 'id', endpoint: { path: '/items', data_selector: 'data', paginator: { type: 'offset', limit: 10, total_path: 'total' }, incremental: { cursor_path: 'updated_at', initial_value: '2025-01-01T00:00:00Z', row_order: 'asc' } } }],
      };
      const run = await runTap('tap-rest', ['--config', tmp.json('f4-nofilter.json', { source: tmp.json('f4-nofilter-def.json', definition), ...FAST })]);
      expect(run.code, run.stderr).toBe(0);
      expect(run.stderr.split('\n').filter((l) => / WARN .*stream 'items': row_order asc read by positions with no start filter.*incremental\.start_param/.test(l))).toHaveLength(1);
    } finally {
      server.close();
    }
  });
});

describe('an unsorted list with a Unix-time cursor (checker finding F5)', () => {
  it('the bookmark is never past the sync start: a row updated during the run on a page already read is read again', async ({ expect }) => {
    const now = Math.floor(Date.now() / 1000);
    // Unsorted; one row already carries a time after the sync started (updated while the run paged).
    const rows = [{ id: 1, updated_at: now - 300 }, { id: 2, updated_at: now + 3600 }, { id: 3, updated_at: now - 100 }];
    const server = createServer((_req, res) => { res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ data: rows })); });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const definition = {
        client: { base_url: `http://127.0.0.1:${(server.address() as AddressInfo).port}` },
        resources: [{ name: 'rows', primary_key: 'id', endpoint: { path: '/rows', data_selector: 'data', paginator: 'single_page', incremental: { cursor_path: 'updated_at', initial_value: 0 } } }],
      };
      const before = Math.floor(Date.now() / 1000);
      const run = await runTap('tap-rest', ['--config', tmp.json('f5.json', { source: tmp.json('f5-def.json', definition), ...FAST })]);
      expect(run.code, run.stderr).toBe(0);
      expect(recordsOf(run.messages, 'rows')).toHaveLength(3);
      const bookmark = (statesOf(run.messages).at(-1) as StateValue).bookmarks?.rows?.replication_key_value as number;
      expect(bookmark).toBeGreaterThanOrEqual(before - 5);
      expect(bookmark).toBeLessThanOrEqual(Math.floor(Date.now() / 1000));
    } finally {
      server.close();
    }
  });
});

describe('an integer cursor no discovery sample carried (checker finding F6)', () => {
  it('is typed from its initial_value: the catalog says integer, and the sync sends integers to the API', async ({ expect }) => {
    let rows: Array<{ id: number; version: number }> = [];
    const sent: string[] = [];
    const server = createServer((req, res) => {
      const since = new URL(req.url ?? '/', 'http://x').searchParams.get('since') ?? '';
      sent.push(since);
      if (!/^\d+$/.test(since)) { res.writeHead(400, { 'content-type': 'application/json' }).end('{"error":"since must be an integer"}'); return; }
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ data: rows.filter((r) => r.version >= Number(since)) }));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const definition = {
        client: { base_url: `http://127.0.0.1:${(server.address() as AddressInfo).port}` },
        resources: [{ name: 'rows', primary_key: 'id', write_disposition: 'merge', endpoint: { path: '/rows', data_selector: 'data', paginator: 'single_page', params: { since: '{incremental.start_value}' }, incremental: { cursor_path: 'version', initial_value: 0 } } }],
      };
      const config = tmp.json('f6.json', { source: tmp.json('f6-def.json', definition), ...FAST });
      // Discovered while the list is empty: the cursor is in no sample.
      const discovered = await runTap('tap-rest', ['--config', config, '--discover'], { json: false });
      expect(discovered.code, discovered.stderr).toBe(0);
      const catalog = JSON.parse(discovered.stdout) as { streams: Array<{ tap_stream_id: string; schema: { properties: Record<string, { type: string[]; format?: string }> } }> };
      const version = catalog.streams.find((s) => s.tap_stream_id === 'rows')?.schema.properties.version;
      expect(version?.type).toContain('integer');
      expect(version?.format).toBeUndefined();
      rows = [{ id: 1, version: 3 }, { id: 2, version: 7 }];
      const run = await runTap('tap-rest', ['--config', config, '--catalog', tmp.json('f6-catalog.json', catalog)]);
      expect(run.code, run.stderr).toBe(0);
      expect(recordsOf(run.messages, 'rows').map((r) => r.id)).toEqual([1, 2]);
      expect((statesOf(run.messages).at(-1) as StateValue).bookmarks?.rows?.replication_key_value).toBe(7);
      expect(sent.every((s) => /^\d+$/.test(s))).toBe(true);
    } finally {
      server.close();
    }
  });
});

describe('a field no sample had (issue 16 #2: schemas grow, nothing is dropped)', () => {
  it('widens the schema: a new SCHEMA before the first record with it, the value written, the schema_cache updated', async ({ expect }) => {
    const pages = [
      [{ id: 1, name: 'a' }, { id: 2, name: 'b' }],
      [{ id: 3, name: 'c' }],
      [{ id: 4, name: 'd', region: 'eu', score: 7 }, { id: 5, name: 'e', region: null }],
    ];
    const server = createServer((req, res) => {
      const page = Number(new URL(req.url ?? '/', 'http://x').searchParams.get('page') ?? 1);
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ data: pages[page - 1] ?? [], total_pages: pages.length }));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const definition = {
        client: { base_url: `http://127.0.0.1:${(server.address() as AddressInfo).port}` },
        resources: [{ name: 'items', primary_key: 'id', write_disposition: 'merge', endpoint: { path: '/items', data_selector: 'data', paginator: { type: 'page_number', base_page: 1, total_path: 'total_pages' } } }],
      };
      const cache = tmp.path('widen-cache.json');
      const run = await runTap('tap-rest', ['--config', tmp.json('widen.json', { source: tmp.json('widen-def.json', definition), schema_cache: cache, max_parallel_requests: 1, ...FAST })]);
      expect(run.code, run.stderr).toBe(0);
      const kinds = run.messages.filter((m) => m.type !== 'STATE').map((m) => (m.type === 'RECORD' ? `R${String((m.record as { id: number }).id)}` : m.type));
      expect(kinds).toEqual(['SCHEMA', 'R1', 'R2', 'R3', 'SCHEMA', 'R4', 'R5']);
      const widened = run.messages.filter((m) => m.type === 'SCHEMA')[1] as { schema: { properties: Record<string, { type: string[] }> } };
      expect(widened.schema.properties.region?.type).toEqual(['string', 'null']);
      expect(widened.schema.properties.score?.type).toEqual(['integer', 'null']);
      expect(recordsOf(run.messages, 'items').find((r) => r.id === 4)).toMatchObject({ region: 'eu', score: 7 });
      expect(run.stderr).toMatch(/stream 'items': fields 'region', 'score' not in its inferred schema: schema widened/);
      const cached = JSON.parse(readFileSync(cache, 'utf8')) as { streams: Array<{ schema: { properties: Record<string, unknown> } }> };
      expect(Object.keys(cached.streams[0]?.schema.properties ?? {})).toEqual(expect.arrayContaining(['id', 'name', 'region', 'score']));
    } finally {
      server.close();
    }
  });
});
