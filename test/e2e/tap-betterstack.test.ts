/**
 * End-to-end tests of tap-betterstack: the real bin/tap-betterstack against the real bin/playground
 * (its Better Stack Uptime mock), stdout parsed as Singer messages and checked with the generic
 * conformance checker. Expected values come from the mock itself: its admin stats and its API,
 * read directly with fetch and the bearer token (the "raw" responses).
 *
 * Layout: one shared playground for the file, which no test mutates, so every test runs
 * concurrently. Tests that mutate data, log requests (--verbose) or inject faults get their own
 * playground.
 */
import { afterAll, beforeAll, describe, it } from 'vitest';
import {
  checkSingerOutput,
  instant,
  recordCounts,
  recordsOf,
  runTap,
  schemasOf,
  spawnTap,
  stackTraceLines,
  startPlayground,
  statesOf,
  TempFiles,
  type CatalogLike,
  type JsonSchema,
  type PlaygroundProcess,
  type SingerMessage,
  type TapRun,
} from './helpers.js';

const TAP = 'tap-betterstack';
/** Incremental on `updated_at` (the API cannot filter on it: client-side). */
const UPDATED_AT_STREAMS = ['monitors', 'status_pages', 'monitor_groups', 'heartbeats', 'heartbeat_groups'] as const;
/** Top-level streams and their endpoints. */
const ENDPOINTS = {
  monitors: '/api/v2/monitors',
  status_pages: '/api/v2/status-pages',
  monitor_groups: '/api/v2/monitor-groups',
  heartbeats: '/api/v2/heartbeats',
  heartbeat_groups: '/api/v2/heartbeat-groups',
  incidents: '/api/v3/incidents',
  on_call_calendars: '/api/v2/on-calls',
} as const;
type TopStream = keyof typeof ENDPOINTS;
const TOP_STREAMS = Object.keys(ENDPOINTS) as TopStream[];
const INCREMENTAL_STREAMS = [...UPDATED_AT_STREAMS, 'incidents'] as const;
const STREAMS = [...TOP_STREAMS, 'incident_monitor', 'on_call_users'].sort();
const WRONG_KEY = 'bad-KEY-SECRET-987';
const DAY_MS = 86_400_000;

let pg: PlaygroundProcess;
let tmp: TempFiles;
/** Config file for the shared playground. */
let config: string;
/** GET /__playground/stats of the shared playground: `betterstack` counts per stream. */
let stats: Record<string, number>;

beforeAll(async () => {
  tmp = new TempFiles('tap-betterstack-e2e-');
  pg = await startPlayground();
  config = tmp.json('config.json', { api_key: pg.token, base_url: pg.url });
  stats = (await pg.stats()).betterstack!;
});

afterAll(async () => {
  await pg?.stop();
  tmp?.cleanup();
});

// ---------------------------------------------------------------------------------------------
// The raw API, read directly.

interface Resource {
  id: string;
  type: string;
  attributes: Record<string, unknown>;
  relationships?: Record<string, { data: unknown }>;
}
interface RawList {
  data: Resource[];
  included: Resource[];
}

/** Every page of a list endpoint, following `pagination.next`. */
async function rawList(server: PlaygroundProcess, path: string): Promise<RawList> {
  const out: RawList = { data: [], included: [] };
  let url: string | null = `${server.url}${path}?per_page=${path === ENDPOINTS.incidents ? 50 : 250}`;
  while (url) {
    const res = await fetch(url, { headers: { authorization: `Bearer ${server.token}` } });
    if (!res.ok) throw new Error(`GET ${url}: HTTP ${res.status}`);
    const body = (await res.json()) as { data: Resource[]; included?: Resource[]; pagination: { next: string | null } };
    out.data.push(...body.data);
    out.included.push(...(body.included ?? []));
    url = body.pagination.next;
  }
  return out;
}

async function rawAll(server: PlaygroundProcess): Promise<Record<TopStream, RawList>> {
  const lists = await Promise.all(TOP_STREAMS.map((s) => rawList(server, ENDPOINTS[s])));
  return Object.fromEntries(TOP_STREAMS.map((s, i) => [s, lists[i]])) as Record<TopStream, RawList>;
}

/** The raw API of the shared playground (never mutated), read once. */
let rawShared: Promise<Record<TopStream, RawList>> | undefined;
const raw = () => (rawShared ??= rawAll(pg));

// ---------------------------------------------------------------------------------------------
// Small helpers.

/** One full sync of the shared playground, shared by the tests that need it. */
let fullSyncRun: Promise<TapRun> | undefined;
const fullSync = () => (fullSyncRun ??= runTap(TAP, ['--config', config]));

const ids = (records: Array<Record<string, unknown>>) => records.map((r) => String(r.id));
const sorted = (values: Iterable<string>) => [...values].sort();
const criticalLines = (stderr: string) => stderr.split('\n').filter((l) => / CRITICAL /.test(l));
const byId = <T extends { id: unknown }>(list: T[]) => new Map(list.map((x) => [String(x.id), x]));
const typeOf = (v: unknown) => (v === null ? 'null' : Array.isArray(v) ? 'array' : typeof v);
const dateTimeProps = (schema: JsonSchema) =>
  Object.entries(schema.properties ?? {}).filter(([, p]) => p.format === 'date-time').map(([k]) => k);
const schemaTypes = (schema: JsonSchema, prop: string): string[] => {
  const t = schema.properties?.[prop]?.type;
  return Array.isArray(t) ? t : t ? [t] : [];
};
/** The `GET /api/...` request lines (--verbose) of a playground's stderr, from `offset` on. */
/**
 * Requests for a list of `pages` pages read in parallel: after the planned pages, its first page is
 * read once more, to check that the list did not change while it was read.
 */
const withCheck = (pages: number) => (pages > 1 ? pages + 1 : pages);

const requestLines = (server: PlaygroundProcess, from = 0, to?: number) =>
  server.stderr().slice(from, to).split('\n').filter((l) => /^GET \/api\//.test(l));
/** Waits until the playground's request log stops growing (its lines arrive asynchronously). */
async function settled(server: PlaygroundProcess): Promise<number> {
  let length = -1;
  while (server.stderr().length !== length) {
    length = server.stderr().length;
    await new Promise((resolve) => setTimeout(resolve, 150));
  }
  return length;
}
const queryOf = (line: string) => new URL(line.split(' ')[1]!, 'http://x').searchParams;

function configWith(name: string, settings: Record<string, unknown>, server: PlaygroundProcess = pg): string {
  return tmp.json(name, { api_key: server.token, base_url: server.url, ...settings });
}

function rootMetadata(entry: CatalogLike['streams'][number]): Record<string, unknown> {
  return entry.metadata!.find((m) => m.breadcrumb.length === 0)!.metadata;
}

// ---------------------------------------------------------------------------------------------

describe.concurrent('tap-betterstack e2e', () => {
  // -------------------------------------------------------------------------------------------
  describe('--discover and --about', () => {
    it('--discover: nine streams with keys, replication methods and parent streams', async ({ expect }) => {
      const run = await runTap(TAP, ['--config', config, '--discover'], { json: false });
      expect(run.code, run.stderr).toBe(0);
      const catalog = JSON.parse(run.stdout) as CatalogLike & { streams: Array<Record<string, unknown>> };
      expect(criticalLines(run.stderr)).toEqual([]);
      expect(catalog.streams.map((s) => s.tap_stream_id).sort()).toEqual(STREAMS);

      const expectedKeys: Record<string, string[]> = { incident_monitor: ['incident_id', 'id'], on_call_users: ['on_call_calendar_id', 'id'] };
      const expectedRk: Record<string, string> = { ...Object.fromEntries(UPDATED_AT_STREAMS.map((s) => [s, 'updated_at'])), incidents: 'started_at' };
      const expectedParent: Record<string, string> = { incident_monitor: 'incidents', on_call_users: 'on_call_calendars' };
      for (const entry of catalog.streams) {
        const id = entry.tap_stream_id;
        expect(entry.stream, id).toBe(id);
        const root = rootMetadata(entry);
        const props = Object.keys(entry.schema!.properties ?? {});
        const keys = expectedKeys[id] ?? ['id'];
        expect(root['table-key-properties'], id).toEqual(keys);
        for (const k of keys) expect(props, id).toContain(k);
        const field = (name: string) => entry.metadata!.find((m) => m.breadcrumb.length === 2 && m.breadcrumb[1] === name)?.metadata;
        for (const k of keys) expect(field(k)?.inclusion, `${id}.${k}`).toBe('automatic');
        const rk = expectedRk[id];
        if (rk) {
          expect(root['forced-replication-method'], id).toBe('INCREMENTAL');
          expect(root['valid-replication-keys'], id).toEqual([rk]);
          expect(root['replication-key'], id).toBe(rk);
          expect(props, id).toContain(rk);
          expect(entry.schema!.properties![rk]!.format, `${id}.${rk}`).toBe('date-time');
          expect(field(rk)?.inclusion, `${id}.${rk}`).toBe('automatic');
        } else {
          expect(root['forced-replication-method'], id).toBe('FULL_TABLE');
          expect(root['valid-replication-keys'] ?? [], id).toEqual([]);
          expect(root['replication-key'], id).toBeUndefined();
        }
        expect(root['parent-tap-stream-id'], id).toBe(expectedParent[id]);
      }
    });

    it('--about --format json: api_key secret and required, per_page max 250, lookback default 7', async ({ expect }) => {
      const run = await runTap(TAP, ['--about', '--format', 'json'], { json: false });
      expect(run.code, run.stderr).toBe(0);
      const about = JSON.parse(run.stdout) as {
        name: string;
        capabilities: string[];
        settings: { properties: Record<string, Record<string, unknown>>; required: string[] };
      };
      expect(about.name).toBe('tap-betterstack');
      expect(about.capabilities).toEqual(expect.arrayContaining(['discover', 'catalog', 'state', 'activate-version']));
      const props = about.settings.properties;
      expect(props.api_key).toMatchObject({ type: 'string', secret: true });
      expect(about.settings.required).toContain('api_key');
      expect(props.per_page).toMatchObject({ type: 'integer', maximum: 250 });
      expect(props.incidents_lookback_days).toMatchObject({ type: 'integer', default: 7 });
      expect(props.base_url?.default).toBe('https://uptime.betterstack.com');
    });
  });

  // -------------------------------------------------------------------------------------------
  describe('full sync', () => {
    it('every stream: as many records as the mock has, unique keys, string ids', async ({ expect }) => {
      const run = await fullSync();
      expect(run.code, run.stderr).toBe(0);
      const result = checkSingerOutput(run.messages, { requireTimeExtracted: true });
      expect(result.counts).toEqual(stats);
      expect(Object.keys(stats).sort()).toEqual(STREAMS);
      const api = await raw();
      for (const stream of STREAMS) {
        const schemas = schemasOf(run.messages, stream);
        expect(schemas, stream).toHaveLength(1);
        for (const r of recordsOf(run.messages, stream)) expect(typeof r.id, `${stream}.id`).toBe('string');
      }
      for (const stream of TOP_STREAMS) {
        expect(sorted(ids(recordsOf(run.messages, stream))), stream).toEqual(sorted(api[stream].data.map((d) => d.id)));
      }
      // Every incremental stream ends with a bookmark at the highest value it emitted.
      for (const stream of INCREMENTAL_STREAMS) {
        const rk = stream === 'incidents' ? 'started_at' : 'updated_at';
        const bm = result.finalState!.bookmarks[stream]!;
        expect(bm.replication_key, stream).toBe(rk);
        expect(instant(bm.replication_key_value), stream).toBe(Math.max(...recordsOf(run.messages, stream).map((r) => instant(r[rk]))));
      }
      expect(criticalLines(run.stderr)).toEqual([]);
      expect(stackTraceLines(run.stderr)).toEqual([]);
    });

    it('every attribute keeps its JSON type (arrays, objects, numbers, booleans are never strings)', async ({ expect }) => {
      const run = await fullSync();
      expect(run.code, run.stderr).toBe(0);
      const result = checkSingerOutput(run.messages);
      const api = await raw();
      for (const stream of TOP_STREAMS) {
        const schema = result.schemas.get(stream)!.schema;
        const records = byId(recordsOf(run.messages, stream) as Array<Record<string, unknown> & { id: string }>);
        const dates = new Set(dateTimeProps(schema));
        for (const item of api[stream].data) {
          const record = records.get(item.id)!;
          expect(record, `${stream} ${item.id}`).toBeDefined();
          expect(record.id).toBe(item.id);
          for (const [k, v] of Object.entries(item.attributes)) {
            const where = `${stream} ${item.id}.${k} (API: ${JSON.stringify(v)}, record: ${JSON.stringify(record[k])})`;
            if (dates.has(k)) continue; // the date-time test compares instants
            if (stream === 'incidents' && k === 'response_options') {
              // The API sends a JSON-encoded string ("{}") or null: the record has the object.
              expect(record[k], where).toEqual(v === null ? null : JSON.parse(String(v)));
              expect(['object', 'null'], where).toContain(typeOf(record[k]));
              continue;
            }
            if (typeof v === 'number' && !schemaTypes(schema, k).some((t) => t === 'integer' || t === 'number')) {
              // Ids inside attributes (monitor_group_id, ...) are numbers on the wire, strings in the schema.
              expect(record[k], where).toBe(String(v));
              continue;
            }
            expect(typeOf(record[k]), where).toBe(typeOf(v));
            expect(record[k], where).toEqual(v);
          }
        }
      }
      // The attributes named in the brief, explicitly.
      const monitors = recordsOf(run.messages, 'monitors');
      for (const m of monitors) {
        expect(Array.isArray(m.regions), `monitor ${String(m.id)} regions`).toBe(true);
        expect(Array.isArray(m.request_headers)).toBe(true);
        for (const h of m.request_headers as unknown[]) expect(typeOf(h)).toBe('object');
        expect(typeof m.check_frequency).toBe('number');
        expect(typeof m.verify_ssl).toBe('boolean');
      }
      expect(monitors.some((m) => (m.request_headers as unknown[]).length > 0), 'some monitor has request headers').toBe(true);
      const incidents = recordsOf(run.messages, 'incidents');
      for (const i of incidents) {
        expect(typeOf(i.metadata), `incident ${String(i.id)} metadata`).toBe('object');
        expect(['object', 'null'], `incident ${String(i.id)} response_options`).toContain(typeOf(i.response_options));
      }
      expect(incidents.some((i) => typeOf(i.response_options) === 'object')).toBe(true);
      expect(incidents.some((i) => Object.keys(i.metadata as object).length > 0)).toBe(true);
    });

    it('every date-time is UTC ending in Z, the same instant as the API sent (offsets included)', async ({ expect }) => {
      const run = await fullSync();
      expect(run.code, run.stderr).toBe(0);
      const result = checkSingerOutput(run.messages);
      const api = await raw();
      let offsets = 0;
      let checked = 0;
      for (const stream of TOP_STREAMS) {
        const schema = result.schemas.get(stream)!.schema;
        const records = byId(recordsOf(run.messages, stream) as Array<Record<string, unknown> & { id: string }>);
        for (const prop of dateTimeProps(schema)) {
          for (const item of api[stream].data) {
            const sent = item.attributes[prop];
            const value = records.get(item.id)![prop];
            const where = `${stream} ${item.id}.${prop}: API ${JSON.stringify(sent)}, record ${JSON.stringify(value)}`;
            if (sent === null || sent === undefined) {
              expect(value ?? null, where).toBeNull();
              continue;
            }
            expect(typeof value, where).toBe('string');
            expect(value, where).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z$/);
            expect(instant(value), where).toBe(instant(sent));
            checked++;
            if (!String(sent).endsWith('Z')) offsets++;
          }
        }
      }
      expect(checked).toBeGreaterThan(1000);
      expect(offsets, 'the mock sent some date-times with an offset').toBeGreaterThan(5);
      // Bookmarks too.
      for (const stream of INCREMENTAL_STREAMS) {
        expect(String(result.finalState!.bookmarks[stream]!.replication_key_value), stream).toMatch(/Z$/);
      }
    });
  });

  // -------------------------------------------------------------------------------------------
  describe('child streams', () => {
    it('incident_monitor: one row per incident with a monitor, keyed to the emitted incidents', async ({ expect }) => {
      const run = await fullSync();
      expect(run.code, run.stderr).toBe(0);
      checkSingerOutput(run.messages);
      const api = (await raw()).incidents.data;
      const incidents = byId(recordsOf(run.messages, 'incidents') as Array<Record<string, unknown> & { id: string }>);
      const rows = recordsOf(run.messages, 'incident_monitor');
      for (const row of rows) {
        expect(incidents.has(String(row.incident_id)), `incident_monitor.incident_id ${String(row.incident_id)} is an emitted incident`).toBe(true);
      }
      const rowsByIncident = new Map<string, Array<Record<string, unknown>>>();
      for (const row of rows) rowsByIncident.set(String(row.incident_id), [...(rowsByIncident.get(String(row.incident_id)) ?? []), row]);

      let withMonitor = 0;
      let without = 0;
      let heartbeat = 0;
      for (const item of api) {
        const monitor = item.relationships!.monitor!.data as { id: string; type: string } | null;
        const record = incidents.get(item.id)!;
        const mine = rowsByIncident.get(item.id) ?? [];
        if (monitor) {
          withMonitor++;
          expect(mine, `incident ${item.id}`).toEqual([{ incident_id: item.id, id: monitor.id, type: 'monitor' }]);
          expect(record.monitor_id, `incident ${item.id}`).toBe(monitor.id);
        } else {
          without++;
          expect(mine, `incident ${item.id} has no monitor`).toEqual([]);
          expect(record.monitor_id, `incident ${item.id}`).toBeNull();
        }
        const hb = item.relationships!.heartbeat?.data as { id: string } | null | undefined;
        if (hb) {
          heartbeat++;
          expect(record.heartbeat_id, `incident ${item.id}`).toBe(hb.id);
        } else expect(record.heartbeat_id, `incident ${item.id}`).toBeNull();
      }
      expect(withMonitor).toBe(stats.incident_monitor);
      expect(rows).toHaveLength(withMonitor);
      expect(without, 'the mock has incidents without a monitor').toBeGreaterThan(0);
      expect(heartbeat, 'the mock has heartbeat incidents').toBeGreaterThan(0);
    });

    it('on_call_users: the users of each calendar, with their details from `included`', async ({ expect }) => {
      const run = await fullSync();
      expect(run.code, run.stderr).toBe(0);
      checkSingerOutput(run.messages);
      const api = (await raw()).on_call_calendars;
      const users = byId(api.included);
      const rows = recordsOf(run.messages, 'on_call_users');
      const calendarIds = new Set(ids(recordsOf(run.messages, 'on_call_calendars')));
      for (const row of rows) expect(calendarIds.has(String(row.on_call_calendar_id))).toBe(true);
      let empty = 0;
      for (const calendar of api.data) {
        const refs = calendar.relationships!.on_call_users!.data as Array<{ id: string; type: string; meta: { email: string } }>;
        const mine = rows.filter((r) => r.on_call_calendar_id === calendar.id);
        if (refs.length === 0) empty++;
        expect(sorted(ids(mine)), `calendar ${calendar.id}`).toEqual(sorted(refs.map((u) => u.id)));
        for (const ref of refs) {
          const user = users.get(ref.id)!;
          expect(user, `user ${ref.id} is in included`).toBeDefined();
          const row = mine.find((r) => r.id === ref.id);
          expect(row, `calendar ${calendar.id} user ${ref.id}`).toEqual({
            on_call_calendar_id: calendar.id,
            id: ref.id,
            type: ref.type,
            first_name: user.attributes.first_name,
            last_name: user.attributes.last_name,
            email: user.attributes.email,
            phone_numbers: user.attributes.phone_numbers,
          });
          expect(row!.email).toBe(ref.meta.email);
          expect(Array.isArray(row!.phone_numbers)).toBe(true);
        }
      }
      expect(empty, 'the mock has a calendar with nobody on call').toBeGreaterThan(0);
      expect(rows).toHaveLength(stats.on_call_users!);
    });
  });

  // -------------------------------------------------------------------------------------------
  describe('start_date', () => {
    it('in the future: no records of incremental streams (nor of incident_monitor), still a STATE', async ({ expect }) => {
      const future = '2099-01-01T00:00:00Z';
      const run = await runTap(TAP, ['--config', configWith('config-start-future.json', { start_date: future })]);
      expect(run.code, run.stderr).toBe(0);
      const result = checkSingerOutput(run.messages);
      expect(run.messages.at(-1)?.type).toBe('STATE');
      for (const stream of [...INCREMENTAL_STREAMS, 'incident_monitor']) expect(result.counts[stream] ?? 0, stream).toBe(0);
      expect(result.counts.on_call_calendars).toBe(stats.on_call_calendars);
      expect(result.counts.on_call_users).toBe(stats.on_call_users);
      for (const stream of INCREMENTAL_STREAMS) {
        const value = result.finalState!.bookmarks[stream]?.replication_key_value;
        if (value !== undefined) expect(instant(value), `${stream} bookmark`).toBe(instant(future));
      }
    });
  });

  // -------------------------------------------------------------------------------------------
  describe('errors', () => {
    it('wrong api_key: exit 1, one CRITICAL line naming HTTP 401 and /api/v2/monitors, the key never printed', async ({ expect }) => {
      const run = await runTap(TAP, ['--config', tmp.json('config-bad-key.json', { api_key: WRONG_KEY, base_url: pg.url })]);
      expect(run.code).toBe(1);
      const critical = criticalLines(run.stderr);
      expect(critical, run.stderr).toHaveLength(1);
      expect(critical[0]).toMatch(/\b401\b/);
      expect(critical[0]).toContain('/api/v2/monitors');
      for (const text of [run.stdout, run.stderr]) {
        expect(text).not.toContain(WRONG_KEY);
        expect(text).not.toContain('KEY-SECRET');
      }
      expect(recordCounts(run.messages)).toEqual({});
      expect(stackTraceLines(run.stderr)).toEqual([]);
    });

    it('missing api_key: exit 1, one line naming api_key, no Singer output, no stack trace', async ({ expect }) => {
      const run = await runTap(TAP, ['--config', tmp.json('config-no-key.json', { base_url: pg.url })], { json: false });
      expect(run.code).toBe(1);
      expect(run.stdout).toBe('');
      const lines = run.stderr.split('\n').filter((l) => l.includes('api_key'));
      expect(lines, run.stderr).toHaveLength(1);
      expect(criticalLines(run.stderr)).toEqual(lines);
      expect(stackTraceLines(run.stderr)).toEqual([]);
    });
  });

  // -------------------------------------------------------------------------------------------
  describe('activate-version', () => {
    it('ACTIVATE_VERSION for on_call_calendars and on_call_users, not for incident_monitor; versioned records', async ({ expect }) => {
      const run = await runTap(TAP, ['--config', configWith('config-activate.json', { emit_activate_version_messages: true })]);
      expect(run.code, run.stderr).toBe(0);
      const result = checkSingerOutput(run.messages);
      expect(result.counts).toEqual(stats);
      const versioned = ['on_call_calendars', 'on_call_users'];
      const activations = run.messages.filter((m): m is Extract<SingerMessage, { type: 'ACTIVATE_VERSION' }> => m.type === 'ACTIVATE_VERSION');
      expect(sorted(new Set(activations.map((a) => a.stream)))).toEqual(versioned);
      for (const stream of versioned) {
        const mine = run.messages.filter((m) => m.type !== 'STATE' && m.stream === stream);
        const last = mine.at(-1)!;
        expect(last.type, `${stream}: an ACTIVATE_VERSION follows its records`).toBe('ACTIVATE_VERSION');
        const version = (last as { version: number }).version;
        const records = mine.filter((m) => m.type === 'RECORD');
        expect(records).toHaveLength(stats[stream]!);
        for (const m of records) expect((m as { version?: number }).version, stream).toBe(version);
      }
      for (const m of run.messages) {
        if (m.type === 'RECORD' && !versioned.includes(m.stream)) expect(m.version, m.stream).toBeUndefined();
      }
    });
  });

  // -------------------------------------------------------------------------------------------
  describe('own playgrounds', () => {
    it('requests (--verbose log): per_page 250, incidents 50; with per_page 100 monitors use 100, incidents stay 50', async ({ expect }) => {
      const server = await startPlayground({ args: ['--verbose'] });
      try {
        const counts = (await server.stats()).betterstack!;
        const run1 = await runTap(TAP, ['--config', configWith('config-req-default.json', {}, server)]);
        expect(run1.code, run1.stderr).toBe(0);
        expect(checkSingerOutput(run1.messages).counts).toEqual(counts);
        const offset = await settled(server);
        const log1 = requestLines(server, 0, offset);
        const incidents1 = log1.filter((l) => l.startsWith('GET /api/v3/incidents?'));
        const monitors1 = log1.filter((l) => l.startsWith('GET /api/v2/monitors?'));
        expect(incidents1.length, server.stderr()).toBe(withCheck(Math.ceil(counts.incidents! / 50)));
        expect(monitors1.length).toBe(withCheck(Math.ceil(counts.monitors! / 250)));
        for (const l of incidents1) {
          expect(queryOf(l).get('per_page'), l).toBe('50');
          expect(queryOf(l).has('from'), `${l}: no from= without a bookmark or start_date`).toBe(false);
        }
        for (const l of log1.filter((x) => !x.startsWith('GET /api/v3/incidents'))) expect(queryOf(l).get('per_page'), l).toBe('250');
        for (const l of log1) expect(l, 'every request answered 200').toMatch(/ 200 /);

        const run2 = await runTap(TAP, ['--config', configWith('config-req-100.json', { per_page: 100 }, server)]);
        expect(run2.code, run2.stderr).toBe(0);
        expect(checkSingerOutput(run2.messages).counts).toEqual(counts);
        await settled(server);
        const log2 = requestLines(server, offset);
        const incidents2 = log2.filter((l) => l.startsWith('GET /api/v3/incidents?'));
        const monitors2 = log2.filter((l) => l.startsWith('GET /api/v2/monitors?'));
        expect(monitors2.length).toBe(withCheck(Math.ceil(counts.monitors! / 100)));
        for (const l of monitors2) expect(queryOf(l).get('per_page'), l).toBe('100');
        expect(incidents2.length).toBe(withCheck(Math.ceil(counts.incidents! / 50)));
        for (const l of incidents2) expect(queryOf(l).get('per_page'), l).toBe('50');
      } finally {
        await server.stop();
      }
    });

    it('429 on every 4th request (Retry-After: 1): every record exactly once, the retry logged', async ({ expect }) => {
      const faulty = await startPlayground({ faults: ['429:4'] });
      try {
        const counts = (await faulty.stats()).betterstack!;
        const run = await runTap(TAP, ['--config', configWith('config-faulty.json', {}, faulty)], { timeoutMs: 50_000 });
        expect(run.code, run.stderr).toBe(0);
        const result = checkSingerOutput(run.messages); // unique keys: no duplicates
        expect(result.counts).toEqual(counts);
        for (const stream of Object.keys(counts)) {
          const keys = recordsOf(run.messages, stream).map((r) => JSON.stringify([r.incident_id ?? r.on_call_calendar_id, r.id]));
          expect(new Set(keys).size, stream).toBe(counts[stream]);
        }
        const retries = run.stderr.split('\n').filter((l) => /429/.test(l) && /retry/i.test(l));
        expect(retries.length, run.stderr).toBeGreaterThanOrEqual(2);
        expect(run.stderr).not.toContain(faulty.token);
      } finally {
        await faulty.stop();
      }
    }, 60_000);

    it('incremental: run 1 -> mutate(3) -> run 2 from its STATE (and with incidents_lookback_days 0)', async ({ expect }) => {
      const server = await startPlayground({ args: ['--verbose'] });
      try {
        const configFile = configWith('config-incr.json', {}, server);
        const configNoLookback = configWith('config-incr-lookback0.json', { incidents_lookback_days: 0 }, server);
        const run1 = await runTap(TAP, ['--config', configFile]);
        expect(run1.code, run1.stderr).toBe(0);
        const c1 = checkSingerOutput(run1.messages);
        const s1 = c1.finalState!;
        const stateFile = tmp.json('state-incr-run1.json', s1);
        const before = await rawAll(server);

        const changed = await server.mutate(3);
        expect(changed.betterstack).toBeGreaterThan(0);
        const after = await rawAll(server);
        const changedIds = (stream: TopStream, attr: string) => {
          const old = byId(before[stream].data);
          return sorted(after[stream].data.filter((d) => old.has(d.id) && old.get(d.id)!.attributes[attr] !== d.attributes[attr]).map((d) => d.id));
        };
        const mutatedMonitors = changedIds('monitors', 'updated_at');
        const mutatedHeartbeats = changedIds('heartbeats', 'updated_at');
        const resolved = changedIds('incidents', 'resolved_at');
        const oldIncidentIds = new Set(before.incidents.data.map((d) => d.id));
        const added = after.incidents.data.filter((d) => !oldIncidentIds.has(d.id)).map((d) => d.id);
        expect(mutatedMonitors).toHaveLength(3);
        expect(mutatedHeartbeats).toHaveLength(2);
        expect(resolved).toHaveLength(1);
        expect(added).toHaveLength(1);
        const resolvedId = resolved[0]!;
        const newId = added[0]!;

        // Run 2, from run 1's state, with the default lookback (7 days) and with none, concurrently.
        const offset = await settled(server);
        const [run2, run2b] = await Promise.all([
          runTap(TAP, ['--config', configFile, '--state', stateFile]),
          runTap(TAP, ['--config', configNoLookback, '--state', stateFile]),
        ]);
        expect(run2.code, run2.stderr).toBe(0);
        expect(run2b.code, run2b.stderr).toBe(0);
        const c2 = checkSingerOutput(run2.messages);
        const c2b = checkSingerOutput(run2b.messages);
        expect(run2.messages[0], 'the given state is emitted first').toEqual({ type: 'STATE', value: s1 });

        // updated_at streams: only records at or after the bookmark: the mutated ones + boundary ties.
        const mutated: Record<string, string[]> = { monitors: mutatedMonitors, heartbeats: mutatedHeartbeats };
        for (const stream of UPDATED_AT_STREAMS) {
          const b1 = s1.bookmarks[stream]!.replication_key_value;
          const records = recordsOf(run2.messages, stream);
          expect(records.every((r) => instant(r.updated_at) >= instant(b1)), `${stream}: nothing older than ${String(b1)}`).toBe(true);
          const ties = ids(recordsOf(run1.messages, stream).filter((r) => instant(r.updated_at) === instant(b1)));
          expect(ties.length, `${stream}: run 1 has a record at its bookmark`).toBeGreaterThanOrEqual(1);
          const expected = sorted(new Set([...(mutated[stream] ?? []), ...ties]));
          expect(sorted(ids(records)), `${stream}: mutated + boundary records`).toEqual(expected);
          for (const id of mutated[stream] ?? []) expect(ids(records), `${stream}: mutated ${id}`).toContain(id);
          expect(sorted(ids(recordsOf(run2b.messages, stream))), `${stream} (lookback 0)`).toEqual(expected);
        }

        // incidents: everything started since bookmark - 7 days (the new one, the resolved older one), nothing older.
        const b1 = instant(s1.bookmarks.incidents!.replication_key_value);
        const since = b1 - 7 * DAY_MS;
        const incidents2 = recordsOf(run2.messages, 'incidents');
        expect(ids(incidents2)).toContain(newId);
        expect(ids(incidents2)).toContain(resolvedId);
        expect(incidents2.find((r) => r.id === resolvedId)!.status).toBe('Resolved');
        expect(incidents2.find((r) => r.id === resolvedId)!.resolved_at).not.toBeNull();
        expect(instant(incidents2.find((r) => r.id === resolvedId)!.started_at)).toBeLessThan(b1);
        expect(incidents2.every((r) => instant(r.started_at) >= since), 'no incident older than bookmark - lookback').toBe(true);
        const expectedIncidents = after.incidents.data.filter((d) => instant(d.attributes.started_at) >= since).map((d) => d.id);
        expect(sorted(ids(incidents2))).toEqual(sorted(expectedIncidents));
        expect(expectedIncidents.length).toBeLessThan(after.incidents.data.length);
        // Their monitors come along.
        const im2 = recordsOf(run2.messages, 'incident_monitor');
        expect(sorted(im2.map((r) => String(r.incident_id)))).toEqual(sorted(ids(incidents2.filter((r) => r.monitor_id !== null))));
        const newMonitor = after.incidents.data.find((d) => d.id === newId)!.relationships!.monitor!.data as { id: string };
        expect(im2.filter((r) => r.incident_id === newId)).toEqual([{ incident_id: newId, id: newMonitor.id, type: 'monitor' }]);

        // Without a lookback the resolved older incident is not re-read: the lookback is what catches it.
        const incidents2b = recordsOf(run2b.messages, 'incidents');
        expect(ids(incidents2b)).toContain(newId);
        expect(ids(incidents2b)).not.toContain(resolvedId);
        expect(incidents2b.every((r) => instant(r.started_at) >= b1)).toBe(true);
        expect(sorted(ids(incidents2b))).toEqual(sorted(after.incidents.data.filter((d) => instant(d.attributes.started_at) >= b1).map((d) => d.id)));

        // Bookmarks never move backwards; incidents' moved to the new incident.
        for (const [c, name] of [[c2, 'run 2'], [c2b, 'run 2 (lookback 0)']] as const) {
          for (const stream of INCREMENTAL_STREAMS) {
            const was = instant(s1.bookmarks[stream]!.replication_key_value);
            const now = instant(c.finalState!.bookmarks[stream]!.replication_key_value);
            expect(now, `${name} ${stream}`).toBeGreaterThanOrEqual(was);
          }
          expect(instant(c.finalState!.bookmarks.incidents!.replication_key_value), name).toBe(instant(after.incidents.data.find((d) => d.id === newId)!.attributes.started_at));
          expect(instant(c.finalState!.bookmarks.monitors!.replication_key_value), name).toBeGreaterThan(instant(s1.bookmarks.monitors!.replication_key_value));
        }

        // Requests: run 1 sent no from=; the run-2 pair sent from=(bookmark - 7 days) and from=(bookmark) as dates.
        const incidentsQueries = (lines: string[]) => lines.filter((l) => l.startsWith('GET /api/v3/incidents?')).map(queryOf);
        await settled(server);
        const q1 = incidentsQueries(requestLines(server, 0, offset));
        expect(q1.length).toBeGreaterThan(0);
        expect(q1.every((q) => !q.has('from'))).toBe(true);
        const q2 = incidentsQueries(requestLines(server, offset));
        for (const q of q2) expect(q.get('from'), String(q)).toMatch(/^\d{4}-\d{2}-\d{2}$/);
        expect(sorted(new Set(q2.map((q) => q.get('from')!)))).toEqual(
          // `from` is the day before the start (a date the API may read in the team's time zone).
          sorted(new Set([new Date(since - DAY_MS).toISOString().slice(0, 10), new Date(b1 - DAY_MS).toISOString().slice(0, 10)])),
        );
        for (const q of q2) expect(q.get('per_page')).toBe('50');
      } finally {
        await server.stop();
      }
    }, 60_000);
  });
});

// ---------------------------------------------------------------------------------------------
// A full-table stream stopped part-way must not activate its version (the target would delete the rest).
describe('activate-version and a stop', () => {
  it('SIGTERM during on_call_calendars: no ACTIVATE_VERSION after its records, exit 143', async ({ expect }) => {
    // 500 calendars = 2 pages; the 2nd request is answered 429 + Retry-After: 3, so the signal lands in the wait.
    const server = await startPlayground({ scale: 100, faults: ['429:2:3'] });
    const tmpFiles = new TempFiles('bs-av');
    try {
      const config = tmpFiles.json('config.json', { api_key: server.token, base_url: server.url, emit_activate_version_messages: true });
      const discovered = await runTap(TAP, ['--config', config, '--discover'], { json: false });
      const catalog = JSON.parse(discovered.stdout) as CatalogLike;
      for (const entry of catalog.streams) {
        const root = entry.metadata!.find((m) => m.breadcrumb.length === 0)!.metadata;
        root.selected = entry.tap_stream_id === 'on_call_calendars';
      }
      let signalled = false;
      const { result } = spawnTap(TAP, ['--config', config, '--catalog', tmpFiles.json('catalog.json', catalog)], {
        onLine: (line, child) => {
          if (!signalled && line.includes('"type":"RECORD"')) {
            signalled = true;
            child.kill('SIGTERM');
          }
        },
      });
      const run = await result;
      expect(signalled).toBe(true);
      expect(run.code).toBe(143);
      const records = recordsOf(run.messages, 'on_call_calendars');
      expect(records.length).toBeGreaterThan(0);
      expect(records.length).toBeLessThan((await server.stats()).betterstack!.on_call_calendars!);
      const firstRecord = run.messages.findIndex((m) => m.type === 'RECORD');
      const activations = run.messages.map((m, i) => [m, i] as const).filter(([m]) => m.type === 'ACTIVATE_VERSION');
      expect(activations.every(([, i]) => i < firstRecord), 'only the opening ACTIVATE_VERSION, before any record').toBe(true);
      const last = statesOf(run.messages).at(-1) as { bookmarks: Record<string, { version?: number }> } | undefined;
      expect(last?.bookmarks.on_call_calendars?.version, 'no version is recorded as complete').toBeUndefined();
    } finally {
      await server.stop();
      tmpFiles.cleanup();
    }
  }, 60_000);
});
