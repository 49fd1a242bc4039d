/**
 * End-to-end tests of tap-rest: the real bin/tap-rest running the shipped dlt definitions (and
 * variants of them) against the real bin/playground, every message checked.
 */
import { readFileSync, existsSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, it } from 'vitest';
import {
  ROOT, checkSingerOutput, instant, recordCounts, recordsOf, runTap, schemasOf, stackTraceLines, startPlayground, statesOf, TempFiles,
  type PlaygroundProcess, type StateValue,
} from './helpers.js';
import { startPlayground as startMockServer, type Playground } from '../../src/playground/server.js';
import { LIST, PARENTS, children, diffMock, lateChildren } from '../interop/dlt-diff/mock.js';

const TAP = 'tap-rest';
const INCIDENT_STREAMS = ['environments', 'services', 'functionalities', 'teams', 'webhooks'];
const source = (name: string) => JSON.parse(readFileSync(path.join(ROOT, 'sample-config', name), 'utf8')) as Record<string, unknown> & { resources: Array<Record<string, unknown> & { endpoint: Record<string, unknown> }> };
const withPaginator = (def: ReturnType<typeof source>, paginator: unknown) => ({ ...def, resources: def.resources.map((r) => ({ ...r, endpoint: { ...r.endpoint, paginator } })) });

let pg: PlaygroundProcess;
let tmp: TempFiles;
let stats: Record<string, Record<string, number>>;
let files = 0;
/** Writes a JSON file (config, definition, state) and returns its path. */
const file = (value: unknown) => tmp.json(`file-${++files}.json`, value);

beforeAll(async () => {
  tmp = new TempFiles('tap-rest-e2e-');
  pg = await startPlayground();
  stats = await pg.stats();
});
afterAll(async () => {
  await pg?.stop();
  tmp?.cleanup();
});

const monitoringConfig = (def: unknown = 'sample-config/monitoring.source.json', extra: Record<string, unknown> = {}) =>
  file({ source: typeof def === 'string' ? def : file(def), base_url: pg.url, api_key: pg.token, ...extra });
const incidentsConfig = (def: unknown = 'sample-config/incidents.source.json') =>
  file({ source: typeof def === 'string' ? def : file(def), base_url: `${pg.url}/incidents-api/v1`, api_token: pg.token });

describe('seed 003: the monitoring API (api key in the query, offset pages)', () => {
  for (const [label, def] of [['as written (offset, limit 100)', 'sample-config/monitoring.source.json'], ['with the auto paginator', withPaginator(source('monitoring.source.json'), 'auto')]] as const) {
    it(`${label}: every record of every page, keys and schema`, async ({ expect }) => {
      const run = await runTap(TAP, ['--config', monitoringConfig(def)]);
      expect(run.code, run.stderr).toBe(0);
      checkSingerOutput(run.messages, { requireTimeExtracted: true });
      expect(recordCounts(run.messages)).toEqual({ resource_name: stats.monitoring!.resource });
      expect(schemasOf(run.messages, 'resource_name')[0]!.key_properties).toEqual(['id']);
      expect(run.stderr).toMatch(/stream 'resource_name': done, 250 records, 3 pages/);
      if (typeof def !== 'string') expect(run.stderr).toContain("paginator auto: detected offset (offset/limit=100, total at 'total')");
      expect(run.stderr).not.toMatch(/ WARN /);
      expect(run.stderr).not.toContain(pg.token);
    });
  }

  it('reads a --config that can be read only once (a pipe, e.g. `--config <(vault read ...)`)', async ({ expect }) => {
    const { spawnSync } = await import('node:child_process');
    const settings = JSON.stringify({ source: 'sample-config/monitoring.source.json', base_url: pg.url, api_key: pg.token });
    const ran = spawnSync('bash', ['-c', `"${path.join(ROOT, 'bin', TAP)}" --config <(printf '%s' "$SETTINGS")`], { cwd: ROOT, encoding: 'utf8', env: { ...process.env, SETTINGS: settings } });
    expect(ran.status, ran.stderr).toBe(0);
    expect(ran.stdout.split('\n').filter((l) => l.startsWith('{"type":"RECORD"'))).toHaveLength(stats.monitoring!.resource!);
  });

  it('a wrong api key: one CRITICAL line with the redacted URL, exit 1, the key never printed', async ({ expect }) => {
    const wrong = 'Wr0ng-monitoring-KEY-991';
    const config = file({ source: 'sample-config/monitoring.source.json', base_url: pg.url, api_key: wrong });
    for (const args of [['--config', config], ['--config', config, '--discover']]) {
      const run = await runTap(TAP, args, { env: { LOGLEVEL: 'debug' } });
      expect(run.code).toBe(1);
      const critical = run.stderr.split('\n').filter((l) => l.includes('CRITICAL'));
      expect(critical).toHaveLength(1);
      expect(critical[0]).toMatch(/GET http:\/\/127\.0\.0\.1:\d+\/v1\/resource\?.*api_key=\*\*\* failed: HTTP 403 - Forbidden: invalid api_key \(check the credentials in the config\)/);
      expect(run.stderr).not.toContain(wrong);
      expect(run.stderr).not.toContain(encodeURIComponent(wrong));
      expect(stackTraceLines(run.stderr)).toEqual([]);
    }
  });

  it('--config=ENV: the definition inline (YAML) and its secret from the environment', async ({ expect }) => {
    const yaml = [
      'client:', '  base_url: https://api.example.com', '  auth: {type: api_key, name: api_key, api_key: "{config.api_key}", location: query}',
      'resources:', '  - name: monitors', '    primary_key: id', '    write_disposition: merge',
      '    endpoint: {path: /v1/resource, data_selector: data, paginator: {type: offset, limit: 50, total_path: total}}',
    ].join('\n');
    const run = await runTap(TAP, ['--config=ENV'], { env: { TAP_REST_SOURCE: yaml, TAP_REST_BASE_URL: pg.url, TAP_REST_API_KEY: pg.token } });
    expect(run.code, run.stderr).toBe(0);
    expect(recordCounts(run.messages)).toEqual({ monitors: stats.monitoring!.resource });
    expect(run.stderr).toMatch(/stream 'monitors': done, 250 records, 5 pages/);
  });

  it('incremental resume with a cursor (a variant of the seed): run 2 sends the changed records and the boundary', async ({ expect }) => {
    const own = await startPlayground();
    try {
      const def = source('monitoring.source.json');
      def.resources[0]!.endpoint.params = { updated_since: '{incremental.start_value}' };
      def.resources[0]!.endpoint.incremental = { cursor_path: 'updated_at', initial_value: '2020-01-01T00:00:00Z' };
      const config = file({ source: file(def), base_url: own.url, api_key: own.token });
      const run1 = await runTap(TAP, ['--config', config]);
      expect(run1.code, run1.stderr).toBe(0);
      expect(recordsOf(run1.messages)).toHaveLength(250);
      const state1 = statesOf(run1.messages).at(-1) as StateValue;
      const b1 = state1.bookmarks.resource_name!.replication_key_value as string;
      expect(state1.bookmarks.resource_name!.replication_key).toBe('updated_at');
      await own.mutate(3);
      const run2 = await runTap(TAP, ['--config', config, '--state', file(state1)]);
      expect(run2.code, run2.stderr).toBe(0);
      checkSingerOutput(run2.messages);
      const records = recordsOf(run2.messages);
      expect(records.filter((r) => instant(r.updated_at) > instant(b1))).toHaveLength(3);
      expect(records.every((r) => instant(r.updated_at) >= instant(b1))).toBe(true);
      expect(records.length).toBeLessThan(10);
    } finally {
      await own.stop();
    }
  });
});

describe('seed 004: the incident API (bearer, page number as a cursor, base path)', () => {
  for (const [label, def] of [['as written (cursor on pagination.next, limit 200)', 'sample-config/incidents.source.json'], ['with the auto paginator', withPaginator(source('incidents.source.json'), 'auto')]] as const) {
    it(`${label}: every page of all five resources`, async ({ expect }) => {
      const run = await runTap(TAP, ['--config', incidentsConfig(def)]);
      expect(run.code, run.stderr).toBe(0);
      checkSingerOutput(run.messages);
      expect(recordCounts(run.messages)).toEqual(Object.fromEntries(INCIDENT_STREAMS.map((s) => [s, stats.incidents![s]])));
      for (const s of INCIDENT_STREAMS) expect(schemasOf(run.messages, s)[0]!.key_properties).toEqual(['id']);
      expect(recordsOf(run.messages, 'teams')[0]).toMatchObject({ type: 'team', attributes: { name: 'team 1' } });
      if (typeof def !== 'string') expect(run.stderr).toContain("stream 'services': paginator auto: detected page_number from 'pagination.next' sent as 'page'");
      expect(run.stderr).not.toMatch(/ WARN /);
    });
  }

  it('--about lists the definition\'s settings, credentials as secrets', async ({ expect }) => {
    const run = await runTap(TAP, ['--about', '--format', 'json', '--config', incidentsConfig()], { json: false });
    const about = JSON.parse(run.stdout) as { settings: { properties: Record<string, { secret?: boolean }>; required: string[] }; streams: Array<{ name: string }> };
    expect(about.settings.properties.api_token).toMatchObject({ type: 'string', secret: true });
    expect(about.settings.required).toEqual(expect.arrayContaining(['source', 'api_token']));
    expect(about.streams.map((s) => s.name)).toEqual(INCIDENT_STREAMS);
  });

  it('a misspelled key is one error line naming resource, key path and the fix; exit 1 before any request', async ({ expect }) => {
    const def = source('incidents.source.json');
    const { data_selector: _d, ...rest } = def.resources[2]!.endpoint;
    def.resources[2]!.endpoint = { ...rest, data_selecter: 'data' };
    const run = await runTap(TAP, ['--config', incidentsConfig(def), '--discover'], { json: false });
    expect(run.code).toBe(1);
    expect(run.stdout).toBe('');
    const lines = run.stderr.trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/CRITICAL tap-rest definition .*: resource 'functionalities': unknown key 'endpoint.data_selecter' \(did you mean 'data_selector'\?\); allowed: path, method/);
  });

  it('schema_cache: discovery writes it, the next discovery reuses it without a request', async ({ expect }) => {
    const cache = path.join(tmp.dir, 'cache', 'incidents.catalog.json');
    const config = file({ source: 'sample-config/incidents.source.json', base_url: `${pg.url}/incidents-api/v1`, api_token: pg.token, schema_cache: cache });
    const first = await runTap(TAP, ['--config', config, '--discover'], { json: false });
    expect(first.code, first.stderr).toBe(0);
    expect(existsSync(cache)).toBe(true);
    expect(first.stderr).toContain('schema inferred');
    const second = await runTap(TAP, ['--config', config, '--discover'], { json: false });
    expect(second.stderr).not.toContain('schema inferred');
    expect(second.stderr).not.toContain('http_request_duration');
    expect(JSON.parse(second.stdout)).toEqual(JSON.parse(first.stdout));
  });
});

describe('parent/child, OAuth2, single entities, response rules, replace', () => {
  const catalogDefinition = () => ({
    client: {
      base_url: `${pg.url}/catalog-api`,
      auth: { type: 'oauth2_client_credentials', access_token_url: `${pg.url}/oauth/token`, client_id: 'catalog-client', client_secret: '{config.client_secret}' },
    },
    resource_defaults: { primary_key: 'id', write_disposition: 'merge' },
    resources: [
      { name: 'projects', columns: { archived: { data_type: 'bool', nullable: false }, budget: { data_type: 'decimal' } }, endpoint: { path: '/projects', data_selector: 'projects', paginator: { type: 'json_link', next_url_path: 'next' } } },
      {
        name: 'tasks',
        include_from_parent: ['name'],
        endpoint: {
          path: '/projects/{resources.projects.id}/tasks', data_selector: 'items',
          params: { updated_since: '{incremental.start_value}' },
          paginator: { type: 'cursor', cursor_path: 'meta.next_cursor', has_more_path: 'meta.has_more' },
          incremental: { cursor_path: 'updated_at' },
        },
      },
      {
        name: 'project_detail', write_disposition: 'replace', endpoint: '/projects/{resources.projects.id}',
        schema: { type: 'object', properties: { id: { type: 'integer' }, name: { type: 'string' }, owner: { type: 'object' } } },
      },
      { name: 'missing', endpoint: { path: '/nothing-here', response_actions: [{ status_code: 404, action: 'ignore' }, { content: 'Not Found', action: 'ignore' }] } },
      // The endpoint's own auth replaces the client's: a wrong static token is refused (and that refusal ignored).
      { name: 'own_auth', endpoint: { path: '/projects/1', auth: { type: 'bearer', token: '{config.other_token}' }, response_actions: [{ status_code: 401, action: 'ignore' }] } },
    ],
  });

  it('children per parent record with per-parent bookmarks and parent fields; the token is renewed on 401 and never printed', async ({ expect }) => {
    const secret = pg.token;
    const config = file({ source: file(catalogDefinition()), client_secret: secret, other_token: 'not-the-token-77' });
    const run = await runTap(TAP, ['--config', config]);
    expect(run.code, run.stderr).toBe(0);
    checkSingerOutput(run.messages);
    const counts = recordCounts(run.messages);
    expect(counts).toEqual({ projects: stats.catalog!.projects, tasks: stats.catalog!.tasks, project_detail: stats.catalog!.projects });
    const tasks = recordsOf(run.messages, 'tasks');
    expect(tasks.every((t) => t._projects_name === `Project ${String(t.project_id)}`)).toBe(true);
    const state = statesOf(run.messages).at(-1) as StateValue;
    expect(state.bookmarks.tasks!.partitions).toHaveLength(stats.catalog!.projects!);
    expect(state.bookmarks.tasks!.partitions![0]!.context).toEqual({ id: 1 });
    // replace: a FULL_TABLE stream versioned and activated after the complete read
    expect(run.messages.filter((m) => m.type === 'ACTIVATE_VERSION' && m.stream === 'project_detail').length).toBeGreaterThanOrEqual(1);
    expect(run.stderr).toContain('renewing the access token');
    expect(run.stderr).toMatch(/matched response rule 'status 404 -> ignore'/);
    expect(run.stderr).toMatch(/stream 'own_auth': HTTP 401 from .* matched response rule 'status 401 -> ignore'/);
    expect(run.stderr).not.toContain('not-the-token-77');
    expect(run.stderr).not.toContain(secret);
    expect(run.stderr).not.toMatch(/cat-token-\d+/);
    // columns hints and a resource's own schema
    expect(schemasOf(run.messages, 'projects')[0]!.schema.properties).toMatchObject({ archived: { type: 'boolean' }, budget: { type: ['number', 'null'] } });
    expect(Object.keys(schemasOf(run.messages, 'project_detail')[0]!.schema.properties!)).toEqual(['id', 'name', 'owner']);
    // a field the schema lacks widens it, as dlt's schemas evolve (issue 16 #2): a second SCHEMA, said once, the value kept
    const widened = schemasOf(run.messages, 'project_detail');
    expect(widened).toHaveLength(2);
    expect(Object.keys(widened[1]!.schema.properties!)).toEqual(['id', 'name', 'owner', 'archived']);
    expect(Object.keys(recordsOf(run.messages, 'project_detail')[0]!)).toEqual(['id', 'name', 'owner', 'archived']);
    expect(run.stderr.match(/stream 'project_detail': field 'archived' not in its inferred schema: schema widened/g)).toHaveLength(1);

    // start_date bounds the first run of the incremental child, per parent
    const times = tasks.map((t) => instant(t.updated_at)).sort((a, b) => a - b);
    const start = new Date(times[Math.floor(times.length / 2)]!).toISOString();
    const bounded = await runTap(TAP, ['--config', file({ source: file(catalogDefinition()), client_secret: secret, other_token: 'x', start_date: start })]);
    expect(bounded.code, bounded.stderr).toBe(0);
    expect(recordsOf(bounded.messages, 'tasks')).toHaveLength(times.filter((t) => t >= instant(start)).length);
  });
});

describe('Better Stack as a definition (sample-config/betterstack.source.yaml)', () => {
  it('yields the records tap-betterstack yields for its top-level streams', async ({ expect }) => {
    const rest = await runTap(TAP, ['--config', file({ source: 'sample-config/betterstack.source.yaml', base_url: pg.url, api_key: pg.token })]);
    const hand = await runTap('tap-betterstack', ['--config', file({ base_url: pg.url, api_key: pg.token })]);
    expect(rest.code, rest.stderr).toBe(0);
    expect(hand.code, hand.stderr).toBe(0);
    // Scalars compare as printed (the hand-written tap types some ids as strings), timestamps as instants.
    const same = (a: unknown, b: unknown) => a === b || JSON.stringify(a) === JSON.stringify(b) || (a !== null && b !== null && typeof a !== 'object' && String(a) === String(b)) || (typeof a === 'string' && typeof b === 'string' && instant(a) === instant(b) && !Number.isNaN(instant(a)));
    for (const stream of ['monitors', 'status_pages', 'monitor_groups', 'heartbeats', 'heartbeat_groups', 'incidents', 'on_call_calendars']) {
      const ours = new Map(recordsOf(rest.messages, stream).map((r) => [r.id, r]));
      const theirs = recordsOf(hand.messages, stream);
      expect(ours.size, stream).toBe(theirs.length);
      for (const t of theirs) {
        const o = ours.get(t.id) as { type: unknown; attributes: Record<string, unknown> } | undefined;
        expect(o, `${stream} ${String(t.id)}`).toBeDefined();
        expect(o!.type).toBe(t.type);
        // tap-betterstack flattens attributes next to id; incidents also decode response_options (a hand-written transform).
        for (const [k, v] of Object.entries(o!.attributes)) {
          if (stream === 'incidents' && k === 'response_options') continue;
          expect(same(v, t[k]), `${stream} ${String(t.id)} ${k}: ${JSON.stringify(v)} vs ${JSON.stringify(t[k])}`).toBe(true);
        }
        // The cursor is moved out of attributes to its top-level column, never in the record twice.
        const cursor = stream === 'incidents' ? 'started_at' : stream === 'on_call_calendars' ? undefined : 'updated_at';
        if (cursor) {
          expect(Object.keys(o!.attributes), `${stream} ${String(t.id)}`).not.toContain(cursor);
          expect(same((o as Record<string, unknown>)[`attributes__${cursor}`], t[cursor]), `${stream} ${String(t.id)} attributes__${cursor}`).toBe(true);
        }
      }
    }
  });
});

describe('placeholders dlt fills in a path, and child schemas sampled across parents (cases of the differential test)', () => {
  let diff: Playground;
  let base: string;
  beforeAll(async () => {
    diff = await startMockServer({ port: 0, seed: 1, token: 'unused', scale: 1, factories: [diffMock] });
    base = `${diff.url}/diff/`;
  });
  afterAll(async () => {
    await diff?.close();
  });

  it("a child whose first parent has no children still gets every field: discovery samples the next parents' pages", async ({ expect }) => {
    const def = {
      client: { base_url: base, paginator: 'single_page' },
      resources: [
        { name: 'parents', primary_key: 'id', endpoint: 'late-parents' },
        { name: 'children', primary_key: 'id', write_disposition: 'merge', endpoint: 'late-parents/{resources.parents.id}/late' },
      ],
    };
    const run = await runTap(TAP, ['--config', file({ source: file(def) })]);
    expect(run.code, run.stderr).toBe(0);
    checkSingerOutput(run.messages);
    expect(Object.keys(schemasOf(run.messages, 'children')[0]!.schema.properties!).sort()).toEqual(['color', 'id', 'parent_id', 'title', 'weight']);
    expect(recordsOf(run.messages, 'children')).toEqual(PARENTS.flatMap((p) => lateChildren(p.id as number)));
    expect(run.stderr).toContain("stream 'children': schema inferred from 1 sample record(s) (2 parent record(s) asked)");
    expect(run.stderr).not.toContain('not extracted');
  });

  it('a resolve param and a plain param fill path placeholders; {incremental.start_value} in a path follows the bookmark', async ({ expect }) => {
    const def = {
      client: { base_url: base, paginator: 'single_page' },
      resource_defaults: { primary_key: 'id', write_disposition: 'merge' },
      resources: [
        'parents',
        { name: 'children', endpoint: { path: 'parents/{parent_id}/children', params: { parent_id: { type: 'resolve', resource: 'parents', field: 'id' } } } },
        { name: 'widgets', endpoint: { path: 'static-path/{kind}/items', params: { kind: 'widgets' } } },
        { name: 'recent', endpoint: { path: 'inc-path/{incremental.start_value}/items', incremental: { cursor_path: 'updated_at', initial_value: '2024-01-01T10:00:00Z' } } },
      ],
    };
    const config = file({ source: file(def) });
    const first = await runTap(TAP, ['--config', config]);
    expect(first.code, first.stderr).toBe(0);
    checkSingerOutput(first.messages);
    expect(recordCounts(first.messages)).toEqual({ parents: PARENTS.length, children: PARENTS.flatMap((p) => children(p.id as number)).length, widgets: LIST.length, recent: 16 });
    // The second run starts from the bookmark (the last updated_at), in the path.
    const state = statesOf(first.messages).at(-1) as StateValue;
    expect(state.bookmarks.recent!.replication_key_value).toBe('2024-01-02T01:00:00Z');
    const second = await runTap(TAP, ['--config', config, '--state', file(state)]);
    expect(second.code, second.stderr).toBe(0);
    expect(recordsOf(second.messages, 'recent').map((r) => r.id)).toEqual([25]);
  });

  it('response_actions beyond dlt\'s ignore: end keeps the pages read so far, fail stops with its message in one line', async ({ expect }) => {
    // end: the page whose next link names page 3 is the last one read.
    const paged = { client: { base_url: base }, resources: [{ name: 'items', primary_key: 'id', endpoint: { path: 'json-link/items', paginator: { type: 'json_link' }, response_actions: [{ content: 'page=3', action: 'end' }] } }] };
    const ended = await runTap(TAP, ['--config', file({ source: file(paged) })]);
    expect(ended.code, ended.stderr).toBe(0);
    checkSingerOutput(ended.messages);
    const items = recordsOf(ended.messages, 'items');
    expect(items.length).toBeGreaterThan(0);
    expect(items.length).toBeLessThan(LIST.length);
    expect(items).toEqual(LIST.slice(0, items.length));
    expect(ended.stderr).toMatch(/stream 'items': HTTP 200 from \S+page=2\S* matched response rule 'content "page=3" -> end'/);

    // fail: a child's 404 stops the run, naming the stream, the URL and the message.
    const family = {
      client: { base_url: base, paginator: 'single_page' },
      resources: [
        { name: 'parents', primary_key: 'id', endpoint: { path: 'actions' } },
        { name: 'children', primary_key: 'id', endpoint: { path: 'actions/{resources.parents.id}/children', response_actions: [{ status_code: 404, action: 'fail', message: 'a parent lost its children' }] } },
      ],
    };
    const failed = await runTap(TAP, ['--config', file({ source: file(family) })]);
    expect(failed.code).toBe(1);
    const critical = failed.stderr.split('\n').filter((l) => l.includes('CRITICAL'));
    expect(critical).toHaveLength(1);
    expect(critical[0]).toMatch(/stream 'children': GET \S+\/diff\/actions\/2\/children failed: HTTP 404 - a parent lost its children \(matched response rule 'status 404 -> fail'\)$/);
    expect(stackTraceLines(failed.stderr)).toEqual([]);
  });
});

describe('any key an API sends is data (`__proto__`, `constructor`, `toString`...)', () => {
  const oddDefinition = () => ({
    client: { base_url: `${pg.url}/catalog-api`, auth: { type: 'bearer', token: '{config.token}' } },
    resource_defaults: { write_disposition: 'merge' },
    resources: [
      { name: 'odd_keys', primary_key: 'id', endpoint: { path: '/odd-keys', data_selector: 'items', paginator: { type: 'json_link', next_url_path: 'next' }, incremental: { cursor_path: 'updated_at' } } },
      {
        name: 'odd_notes', primary_key: ['parent', 'note_id'], include_from_parent: ['__proto__', 'constructor', 'toString'],
        endpoint: { path: '/odd-keys/{resources.odd_keys.constructor}/notes', data_selector: 'items' },
      },
      // A stream (and its bookmark) named like one of Object.prototype's members.
      { name: 'constructor', primary_key: 'id', endpoint: { path: '/odd-keys', data_selector: 'items', incremental: { cursor_path: 'updated_at' } } },
    ],
  });
  /** The API's own items, parsed as JSON.parse reads them (own `__proto__` keys). */
  const wire = async (p: string) => ((await (await fetch(`${pg.url}/catalog-api${p}`, { headers: { authorization: `Bearer ${pg.token}` } })).json()) as { items: Array<Record<string, unknown>> }).items;
  /** JSON with sorted keys: compares records whatever their key order, `__proto__` as a key like any other. */
  const canonical = (v: unknown): string => JSON.stringify(v, (_k, x: unknown) => (x && typeof x === 'object' && !Array.isArray(x) ? Object.fromEntries(Object.entries(x).sort(([a], [b]) => (a < b ? -1 : 1))) : x));
  const own = (o: unknown, k: string) => Object.prototype.hasOwnProperty.call(o, k);

  it('discovery infers them, the sync (inferred schema, then --catalog) writes them as the API sent them, children read a `constructor` field', async ({ expect }) => {
    const config = file({ source: file(oddDefinition()), token: pg.token });
    const discovered = await runTap(TAP, ['--config', config, '--discover'], { json: false });
    expect(discovered.code, discovered.stderr).toBe(0);
    const catalog = JSON.parse(discovered.stdout) as { streams: Array<{ tap_stream_id: string; schema: { properties: Record<string, { type?: unknown; properties?: Record<string, unknown> }> } }> };
    const props = catalog.streams.find((s) => s.tap_stream_id === 'odd_keys')!.schema.properties;
    expect(Object.keys(props)).toEqual(['id', 'name', '__proto__', 'constructor', 'prototype', 'toString', 'valueOf', 'hasOwnProperty', 'nested', 'updated_at']);
    expect(props['__proto__']).toEqual({ type: ['object', 'null'], properties: { admin: { type: ['boolean', 'null'] }, level: { type: ['integer', 'null'] } } });
    expect(Object.keys(props.nested!.properties!)).toEqual(['__proto__', 'constructor', 'toString']);
    const noteProps = catalog.streams.find((s) => s.tap_stream_id === 'odd_notes')!.schema.properties;
    expect(Object.keys(noteProps)).toEqual(expect.arrayContaining(['__proto__', 'constructor', '_odd_keys___proto__', '_odd_keys_constructor', '_odd_keys_toString']));

    const items = await wire('/odd-keys');
    for (const args of [['--config', config], ['--config', config, '--catalog', file(catalog)]]) {
      const run = await runTap(TAP, args);
      expect(run.code, run.stderr).toBe(0);
      checkSingerOutput(run.messages);
      expect(run.stderr).not.toMatch(/ WARN | CRITICAL /);
      const records = recordsOf(run.messages, 'odd_keys');
      expect(records.map(canonical)).toEqual(items.map(canonical));
      // A field the API did not send is absent, never one of Object.prototype's members.
      expect(own(records[1], 'toString')).toBe(false);
      expect(run.stdout).not.toMatch(/function|\[object/);
      const notes = recordsOf(run.messages, 'odd_notes');
      expect(notes).toHaveLength(stats.catalog!.odd_notes!);
      for (const item of items) {
        const expected = (await wire(`/odd-keys/${String(item.constructor)}/notes`)).map((n) => ({
          ...n, _odd_keys___proto__: own(item, '__proto__') ? item['__proto__'] : null, _odd_keys_constructor: item.constructor, _odd_keys_toString: own(item, 'toString') ? item.toString : null,
        }));
        expect(notes.filter((n) => n.parent === item.constructor).map(canonical)).toEqual(expected.map(canonical));
      }
      const bookmarks = statesOf(run.messages).at(-1)!.bookmarks;
      expect(bookmarks.odd_keys!.replication_key_value).toBe('2025-04-01T00:00:00Z');
      expect(own(bookmarks, 'constructor') && bookmarks['constructor']!.replication_key_value).toBe('2025-04-01T00:00:00Z');
      expect(recordsOf(run.messages, 'constructor').map(canonical)).toEqual(items.map(canonical));
    }
  });

  it('flattening makes columns of them (`__proto____admin`), in SCHEMA and RECORD alike', async ({ expect }) => {
    const run = await runTap(TAP, ['--config', file({ source: file(oddDefinition()), token: pg.token, flattening_enabled: true, flattening_max_depth: 1 })]);
    expect(run.code, run.stderr).toBe(0);
    const columns = Object.keys(schemasOf(run.messages, 'odd_keys')[0]!.schema.properties!);
    expect(columns).toEqual(['id', 'name', '__proto____admin', '__proto____level', 'constructor', 'prototype__version', 'toString', 'valueOf', 'hasOwnProperty', 'nested____proto__', 'nested__constructor', 'nested__toString', 'updated_at']);
    const first = recordsOf(run.messages, 'odd_keys')[0]!;
    expect(first).toMatchObject({ '__proto____admin': true, '__proto____level': 1, constructor: 'builder-1', prototype__version: 1, nested____proto__: 'inner 1', nested__constructor: null, nested__toString: '[1,2]' });
    expect(own(first, '__proto__')).toBe(false);
    for (const r of recordsOf(run.messages, 'odd_keys')) for (const k of Object.keys(r)) expect(columns.includes(k) || (k === '__proto__' && r[k] === null), k).toBe(true);
  });
});

describe('a setting\'s value is data, even with braces', () => {
  it('a secret with braces in a header template is sent, and no fragment of it is printed (it was read as a placeholder: "unknown placeholder {abc}")', async ({ expect }) => {
    const secret = 'sekrit-{abc}-xyz';
    const def = {
      client: { base_url: `${pg.url}/catalog-api`, auth: { type: 'bearer', token: '{config.token}' } },
      resources: [{ name: 'odd_keys', primary_key: 'id', endpoint: { path: '/odd-keys', data_selector: 'items', headers: { 'X-Note': 'n-{config.note_secret}' }, params: { q: '{config.filter}' } } }],
    };
    const run = await runTap(TAP, ['--config', file({ source: file(def), token: pg.token, note_secret: secret, filter: '{"a":1}' })]);
    expect(run.code, run.stderr).toBe(0);
    expect(recordCounts(run.messages).odd_keys).toBeGreaterThan(0);
    for (const fragment of ['sekrit', '{abc}', 'abc}']) {
      expect(run.stderr).not.toContain(fragment);
      expect(JSON.stringify(run.messages)).not.toContain(fragment);
    }
    expect(stackTraceLines(run.stderr)).toEqual([]);
  });
});

describe('a child placeholder its parent does not supply', () => {
  const definition = (child: Record<string, unknown>) => ({
    client: { base_url: `${pg.url}/catalog-api`, auth: { type: 'bearer', token: '{config.token}' } },
    resource_defaults: { primary_key: 'id', write_disposition: 'merge' },
    resources: [
      { name: 'odd_keys', endpoint: { path: '/odd-keys', data_selector: 'items' } },
      { name: 'notes', primary_key: ['parent', 'note_id'], endpoint: { data_selector: 'items', ...child } },
    ],
  });
  const onlyCritical = (stderr: string) => stderr.split('\n').filter((l) => / (CRITICAL|ERROR|WARN) /.test(l) || /^\s+at /.test(l));

  it('a field the parent does not have: one line naming resource and placeholder at start-up (discover, sync with or without --catalog), no child request', async ({ expect }) => {
    const own = await startPlayground();
    try {
      const good = file({ source: file({ ...definition({ path: '/odd-keys/{resources.odd_keys.constructor}/notes' }), client: { base_url: `${own.url}/catalog-api`, auth: { type: 'bearer', token: '{config.token}' } } }), token: own.token });
      const catalog = file(JSON.parse((await runTap(TAP, ['--config', good, '--discover'], { json: false })).stdout));
      const notesRequests = async () => (await own.requests()).filter((r) => r.path.includes('/notes')).length;
      const before = await notesRequests();
      for (const [where, child] of [['path', { path: '/odd-keys/{resources.odd_keys.builder}/notes' }], ['params', { path: '/odd-keys/builder-1/notes', params: { of: '{resources.odd_keys.nested.builder}' } }]] as const) {
        const def = { ...definition(child), client: { base_url: `${own.url}/catalog-api`, auth: { type: 'bearer', token: '{config.token}' } } };
        const config = file({ source: file(def), token: own.token });
        for (const args of where === 'path' ? [['--discover'], ['--catalog', catalog]] : [[]]) {
          const run = await runTap(TAP, ['--config', config, ...args], { json: false });
          expect(run.code, run.stderr).toBe(1);
          expect(run.stdout).toBe('');
          const line = where === 'path'
            ? "resource 'notes': {resources.odd_keys.builder} in endpoint.path: 'builder' is not a field of resource 'odd_keys' (its fields: id, name, __proto__, constructor, prototype, toString, valueOf, hasOwnProperty, nested, updated_at)"
            : "resource 'notes': {resources.odd_keys.nested.builder} in endpoint.params: 'nested.builder' is not a field of resource 'odd_keys' (fields of 'nested': __proto__, constructor, toString)";
          expect(onlyCritical(run.stderr), args.join(' ')).toEqual([expect.stringMatching(/^\S+ CRITICAL tap-rest definition \S+: /)]);
          expect(onlyCritical(run.stderr)[0]).toContain(line);
        }
      }
      expect(await notesRequests()).toBe(before);
    } finally {
      await own.stop();
    }
  });

  it('a parent record without the value (null): one line naming stream and placeholder, exit 1 (never an internal error)', async ({ expect }) => {
    // `nested.constructor` is null in the first item only: discovery samples the child from the second.
    const config = file({ source: file(definition({ path: '/odd-keys/builder-{resources.odd_keys.nested.constructor}/notes' })), token: pg.token });
    const discovered = await runTap(TAP, ['--config', config, '--discover'], { json: false });
    expect(discovered.code, discovered.stderr).toBe(0);
    expect(discovered.stderr).toContain("stream 'notes': schema inferred from 2 sample record(s)");
    const run = await runTap(TAP, ['--config', config, '--catalog', file(JSON.parse(discovered.stdout))]);
    expect(run.code, run.stderr).toBe(1);
    expect(onlyCritical(run.stderr)).toEqual([expect.stringContaining("CRITICAL tap-rest stream 'notes': path /odd-keys/builder-{nested.constructor}/notes: placeholder {nested.constructor} has no value: the parent record passed 'nested.constructor' as null")]);
    expect(stackTraceLines(run.stderr)).toEqual([]);
  });
});

describe('Better Stack as a definition: flattening and incidents resolved after a run', () => {
  it('with flattening_enabled every stream\'s SCHEMA has each column once (as target-postgres folds names), records only those columns', async ({ expect }) => {
    const run = await runTap(TAP, ['--config', file({ source: 'sample-config/betterstack.source.yaml', base_url: pg.url, api_key: pg.token, flattening_enabled: true, flattening_max_depth: 1 })]);
    expect(run.code, run.stderr).toBe(0);
    checkSingerOutput(run.messages);
    for (const stream of ['monitors', 'status_pages', 'monitor_groups', 'heartbeats', 'heartbeat_groups', 'incidents', 'on_call_calendars']) {
      const [schema] = schemasOf(run.messages, stream);
      const columns = Object.keys(schema!.schema.properties!);
      // target-postgres folds names to lower case with non-alphanumerics as `_`: two of them landing on one column break its CREATE TABLE.
      const folded = columns.map((c) => c.toLowerCase().replace(/[^a-z0-9_]/g, '_'));
      expect(folded.filter((c, i) => folded.indexOf(c) !== i), stream).toEqual([]);
      expect(columns.filter((c) => c.length > 63), `${stream}: PostgreSQL identifiers hold 63 bytes`).toEqual([]);
      const cursor = stream === 'incidents' ? 'attributes__started_at' : stream === 'on_call_calendars' ? undefined : 'attributes__updated_at';
      if (cursor) {
        expect(columns.filter((c) => c === cursor), stream).toEqual([cursor]);
        expect(schema!.bookmark_properties).toEqual([cursor]);
      }
      // attributes itself is flattened into columns.
      expect(columns, stream).not.toContain('attributes');
      expect(columns.filter((c) => c.startsWith('attributes__') && c !== cursor).length, stream).toBeGreaterThan(0);
      for (const r of recordsOf(run.messages, stream)) for (const k of Object.keys(r)) expect(columns, `${stream}: ${k}`).toContain(k);
    }
  });

  it('incremental: the second run writes the incident resolved after the first (a 7-day lag on started_at)', async ({ expect }) => {
    const own = await startPlayground();
    try {
      const config = file({ source: 'sample-config/betterstack.source.yaml', base_url: own.url, api_key: own.token });
      const catalog = JSON.parse((await runTap(TAP, ['--config', config, '--discover'], { json: false })).stdout) as { streams: Array<{ tap_stream_id: string; metadata: Array<{ breadcrumb: string[]; metadata: Record<string, unknown> }> }> };
      for (const s of catalog.streams) for (const m of s.metadata) if (m.breadcrumb.length === 0) m.metadata.selected = s.tap_stream_id === 'incidents';
      const catalogFile = file(catalog);
      const run1 = await runTap(TAP, ['--config', config, '--catalog', catalogFile]);
      expect(run1.code, run1.stderr).toBe(0);
      const first = new Map(recordsOf(run1.messages, 'incidents').map((r) => [r.id, r]));
      const state1 = statesOf(run1.messages).at(-1) as StateValue;
      const bookmark = state1.bookmarks.incidents!.replication_key_value as string;
      expect(state1.bookmarks.incidents!.replication_key).toBe('attributes__started_at');
      await own.mutate(1);
      const run2 = await runTap(TAP, ['--config', config, '--catalog', catalogFile, '--state', file(state1)]);
      expect(run2.code, run2.stderr).toBe(0);
      checkSingerOutput(run2.messages);
      const attrs = (r: Record<string, unknown>) => r.attributes as Record<string, unknown>;
      const second = recordsOf(run2.messages, 'incidents');
      const resolved = second.filter((r) => first.get(r.id) && attrs(first.get(r.id)!).resolved_at === null && attrs(r).resolved_at !== null);
      expect(resolved, 'the incident resolved between the runs').toHaveLength(1);
      expect(attrs(resolved[0]!).status).toBe('Resolved');
      expect(instant(resolved[0]!.attributes__started_at)).toBeLessThan(instant(bookmark));
      // Re-read: what started in the 7 days before the bookmark (and the new incident), nothing older.
      expect(second.every((r) => instant(r.attributes__started_at) >= instant(bookmark) - 7 * 86_400_000)).toBe(true);
      expect(second.length).toBeLessThan(first.size);
    } finally {
      await own.stop();
    }
  });
});
