/**
 * End-to-end tests of tap-harness: the real bin/tap-harness against the real bin/playground (its
 * Harness mock), stdout parsed as Singer messages and checked with the generic conformance checker.
 * Expected values come from the mock itself: its admin stats, its request log, and its API read
 * directly with fetch (the "raw" responses).
 *
 * One shared playground that no test mutates or reads the request log of; tests that do get their own.
 */
import { afterAll, beforeAll, describe, it } from 'vitest';
import {
  checkSingerOutput,
  instant,
  logLines,
  recordCounts,
  recordsOf,
  runTap,
  schemasOf,
  sorted,
  stackTraceLines,
  startPlayground,
  TempFiles,
  typeOf,
  type CatalogLike,
  type PlaygroundProcess,
} from './helpers.js';

const TAP = 'tap-harness';
const ACCOUNT = 'playground-account';
const DORA = { ou_ids: ['collection-1', 'collection-2'], widget_id: 'mttr-widget-7' };
const STREAMS = ['budgets', 'connectors', 'mean_time_to_resolution', 'organizations', 'pipelines', 'user_projects'];
const WRONG_TOKEN = 'pat.acct.WRONG-TOKEN-SECRET-123';
const DAY_MS = 86_400_000;

let pg: PlaygroundProcess;
let tmp: TempFiles;
let config: string;
/** Stages of the playground's MTTR workflow profile: the DORA endpoint answers one record per stage. */
const DORA_STAGES = 4;
/** `harness` counts of the shared playground, before any sync (mean_time_to_resolution: DORA stage records answered). */
let stats: Record<string, number>;

beforeAll(async () => {
  tmp = new TempFiles('tap-harness-e2e-');
  pg = await startPlayground();
  config = configWith('config.json', {});
  stats = (await pg.stats()).harness!;
});

afterAll(async () => {
  await pg?.stop();
  tmp?.cleanup();
});

function configWith(name: string, settings: Record<string, unknown>, server: PlaygroundProcess = pg): string {
  return tmp.json(name, { api_token: server.token, account_id: ACCOUNT, base_url: server.url, dora: DORA, ...settings });
}

/** Expected records per stream: the mock's counts, one DORA row per stage per sync. */
const expectedCounts = (s: Record<string, number>) => ({ ...s, mean_time_to_resolution: DORA_STAGES });

// ---------------------------------------------------------------------------------------------
// The raw API, read directly.

type Item = Record<string, unknown>;

async function rawJson(server: PlaygroundProcess, path: string, body?: unknown): Promise<{ data: Record<string, unknown> }> {
  const res = await fetch(`${server.url}${path}`, {
    method: body === undefined ? 'GET' : 'POST',
    headers: { 'x-api-key': server.token, 'content-type': 'application/json' },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  if (!res.ok) throw new Error(`${path}: HTTP ${res.status}`);
  return (await res.json()) as { data: Record<string, unknown> };
}

async function rawNg(server: PlaygroundProcess, path: string): Promise<Item[]> {
  const out: Item[] = [];
  for (let i = 0; ; i++) {
    const { data } = await rawJson(server, `${path}?accountIdentifier=${ACCOUNT}&pageIndex=${i}&pageSize=100`);
    out.push(...(data.content as Item[]));
    if (i + 1 >= (data.totalPages as number)) return out;
  }
}

async function rawPipelines(server: PlaygroundProcess, org: string, project: string): Promise<Item[]> {
  const out: Item[] = [];
  for (let page = 0; ; page++) {
    const { data } = await rawJson(server, `/pipeline/api/pipelines/list?accountIdentifier=${ACCOUNT}&orgIdentifier=${org}&projectIdentifier=${project}&page=${page}&size=100`, { filterType: 'PipelineSetup' });
    out.push(...(data.content as Item[]));
    if (page + 1 >= (data.totalPages as number)) return out;
  }
}

interface Raw { projects: Item[]; organizations: Item[]; pipelines: Map<string, Item[]>; catalogue: Item[]; budgets: Item[] }

async function rawAll(server: PlaygroundProcess): Promise<Raw> {
  const projects = await rawNg(server, '/ng/api/projects');
  const organizations = await rawNg(server, '/ng/api/organizations');
  const pipelines = new Map<string, Item[]>();
  for (const p of projects.map((x) => x.project as Item)) {
    pipelines.set(`${String(p.orgIdentifier)}/${String(p.identifier)}`, await rawPipelines(server, String(p.orgIdentifier), String(p.identifier)));
  }
  const catalogue = (await rawJson(server, `/ng/api/connectors/catalogue?accountIdentifier=${ACCOUNT}`)).data.catalogue as Item[];
  const budgets = (await rawJson(server, `/ccm/api/budgets?accountIdentifier=${ACCOUNT}`)).data as unknown as Item[];
  return { projects, organizations, pipelines, catalogue, budgets };
}

let rawShared: Promise<Raw> | undefined;
const raw = () => (rawShared ??= rawAll(pg));

let fullSyncRun: ReturnType<typeof runTap> | undefined;
const fullSync = () => (fullSyncRun ??= runTap(TAP, ['--config', config]));

const criticalLines = (stderr: string) => logLines(stderr, 'CRITICAL');
const warnLines = (stderr: string) => logLines(stderr, 'WARN');
const ids = (records: Item[], key = 'identifier') => sorted(records.map((r) => String(r[key])));
/** A project's key: its identifier is unique within its organization only. */
const projectKey = (p: Item) => `${String(p.orgIdentifier)}/${String(p.identifier)}`;
const projectKeys = (projects: Item[]) => sorted(projects.map(projectKey));
/** A string that is JSON of an object or array (what a connector that stringifies nested values sends). */
const stringifiedJson = (v: unknown) => typeof v === 'string' && /^\s*[[{]/.test(v) && (() => { try { JSON.parse(v); return true; } catch { return false; } })();
const ISO_UTC = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z$/;

async function discover(configFile: string): Promise<CatalogLike> {
  const run = await runTap(TAP, ['--config', configFile, '--discover'], { json: false });
  if (run.code !== 0) throw new Error(run.stderr);
  return JSON.parse(run.stdout) as CatalogLike;
}

function rootMetadata(entry: CatalogLike['streams'][number]): Record<string, unknown> {
  return entry.metadata!.find((m) => m.breadcrumb.length === 0)!.metadata;
}

// ---------------------------------------------------------------------------------------------

describe.concurrent('tap-harness e2e', () => {
  describe('--discover and --about', () => {
    it('--discover: six streams, keys, replication, pipelines a child of user_projects', async ({ expect }) => {
      const catalog = await discover(config);
      expect(sorted(catalog.streams.map((s) => s.tap_stream_id))).toEqual(STREAMS);
      const keys: Record<string, string[]> = {
        user_projects: ['orgIdentifier', 'identifier'], organizations: ['identifier'], pipelines: ['orgIdentifier', 'projectIdentifier', 'identifier'],
        connectors: ['category'], budgets: ['uuid'], mean_time_to_resolution: ['widget_id', 'time_range_start', 'time_range_end', 'key'],
      };
      const rk: Record<string, string> = { user_projects: 'lastModifiedAt', organizations: 'lastModifiedAt', mean_time_to_resolution: 'time_range_end' };
      for (const entry of catalog.streams) {
        const id = entry.tap_stream_id;
        const root = rootMetadata(entry);
        expect(root['table-key-properties'], id).toEqual(keys[id]);
        expect(root['forced-replication-method'], id).toBe(rk[id] ? 'INCREMENTAL' : 'FULL_TABLE');
        if (rk[id]) {
          expect(root['replication-key'], id).toBe(rk[id]);
          expect(entry.schema!.properties![rk[id]!]!.format, id).toBe('date-time');
        }
        expect(root['parent-tap-stream-id'], id).toBe(id === 'pipelines' ? 'user_projects' : undefined);
        expect(root['selected-by-default'], id).toBe(true);
      }
    });

    it('--discover without `dora`: mean_time_to_resolution is not selected by default', async ({ expect }) => {
      const catalog = await discover(tmp.json('config-no-dora.json', { api_token: 'x', account_id: ACCOUNT }));
      for (const entry of catalog.streams) {
        expect(rootMetadata(entry)['selected-by-default'], entry.tap_stream_id).toBe(entry.tap_stream_id !== 'mean_time_to_resolution');
      }
    });

    it('--about --format json: settings, secrets, defaults', async ({ expect }) => {
      const run = await runTap(TAP, ['--about', '--format', 'json'], { json: false });
      expect(run.code, run.stderr).toBe(0);
      const about = JSON.parse(run.stdout) as { settings: { properties: Record<string, Record<string, unknown>>; required: string[] } };
      const p = about.settings.properties;
      expect(about.settings.required).toEqual(expect.arrayContaining(['api_token', 'account_id']));
      expect(p.api_token).toMatchObject({ type: 'string', secret: true });
      expect(p.sei_api_key).toMatchObject({ type: 'string', secret: true });
      expect(p.base_url?.default).toBe('https://app.harness.io');
      expect(p.page_size).toMatchObject({ type: 'integer', default: 100, maximum: 100 });
      expect(p.dora).toMatchObject({ type: 'object', required: ['ou_ids', 'widget_id'] });
      expect(p.dora_window_days).toMatchObject({ type: 'integer', default: 30 });
    });
  });

  describe('full sync', () => {
    it('every stream, every page: as many records as the mock has, unique keys, the same identifiers', async ({ expect }) => {
      const run = await fullSync();
      expect(run.code, run.stderr).toBe(0);
      const result = checkSingerOutput(run.messages, { requireTimeExtracted: true });
      expect(result.counts).toEqual(expectedCounts(stats));
      expect(stats.user_projects, 'more than one page of 100').toBeGreaterThan(200);
      const api = await raw();
      // Identifiers are unique per organization only: several projects share one, each is its own row.
      const shared = api.projects.map((p) => String((p.project as Item).identifier)).filter((id, i, all) => all.indexOf(id) !== i);
      expect(shared.length, 'projects sharing an identifier across organizations').toBeGreaterThan(5);
      expect(recordsOf(run.messages, 'user_projects').filter((r) => shared.includes(String(r.identifier))).length).toBeGreaterThan(shared.length);
      expect(projectKeys(recordsOf(run.messages, 'user_projects'))).toEqual(projectKeys(api.projects.map((p) => p.project as Item)));
      expect(ids(recordsOf(run.messages, 'organizations'))).toEqual(ids(api.organizations.map((o) => o.organization as Item)));
      expect(ids(recordsOf(run.messages, 'connectors'), 'category')).toEqual(ids(api.catalogue, 'category'));
      expect(ids(recordsOf(run.messages, 'budgets'), 'uuid')).toEqual(ids(api.budgets, 'uuid'));
      // Pipelines: per project, the same identifiers (some projects have none, one has several pages).
      const byProject = new Map<string, string[]>();
      for (const r of recordsOf(run.messages, 'pipelines')) {
        const k = `${String(r.orgIdentifier)}/${String(r.projectIdentifier)}`;
        byProject.set(k, [...(byProject.get(k) ?? []), String(r.identifier)]);
      }
      let none = 0;
      let big = 0;
      for (const [k, list] of api.pipelines) {
        expect(sorted(byProject.get(k) ?? []), k).toEqual(ids(list));
        if (list.length === 0) none++;
        if (list.length > 100) big++;
      }
      expect(none).toBeGreaterThan(0);
      expect(big).toBe(1);
      // Bookmarks: the highest lastModifiedAt emitted; the DORA window's end.
      for (const stream of ['user_projects', 'organizations']) {
        const bm = result.finalState!.bookmarks[stream]!;
        expect(bm.replication_key).toBe('lastModifiedAt');
        expect(instant(bm.replication_key_value)).toBe(Math.max(...recordsOf(run.messages, stream).map((r) => instant(r.lastModifiedAt))));
      }
      const dora = recordsOf(run.messages, 'mean_time_to_resolution')[0]!;
      expect(result.finalState!.bookmarks.mean_time_to_resolution!.replication_key_value).toBe(dora.time_range_end);
      expect(criticalLines(run.stderr)).toEqual([]);
      expect(stackTraceLines(run.stderr)).toEqual([]);
    });

    it('types: no stringified JSON, arrays and objects kept, epoch milliseconds as the same UTC instants', async ({ expect }) => {
      const run = await fullSync();
      expect(run.code, run.stderr).toBe(0);
      const result = checkSingerOutput(run.messages);
      for (const stream of STREAMS) {
        const schema = result.schemas.get(stream)!.schema;
        for (const r of recordsOf(run.messages, stream)) {
          for (const [k, v] of Object.entries(r)) {
            expect(stringifiedJson(v), `${stream}.${k} = ${String(v).slice(0, 60)}`).toBe(false);
            if (schema.properties?.[k]?.format === 'date-time' && v !== null) expect(v, `${stream}.${k}`).toMatch(ISO_UTC);
          }
        }
      }
      const api = await raw();
      const projects = new Map(recordsOf(run.messages, 'user_projects').map((r) => [projectKey(r), r]));
      for (const item of api.projects) {
        const p = item.project as Item;
        const r = projects.get(projectKey(p))!;
        expect(instant(r.createdAt)).toBe(item.createdAt);
        expect(instant(r.lastModifiedAt)).toBe(item.lastModifiedAt);
        expect(r.modules).toEqual(p.modules);
        expect(r.tags).toEqual(p.tags);
        expect(r.isFavorite).toBe(item.isFavorite);
        expect(r.orgIdentifier).toBe(p.orgIdentifier);
      }
      const orgs = new Map(recordsOf(run.messages, 'organizations').map((r) => [r.identifier, r]));
      for (const item of api.organizations) {
        const r = orgs.get((item.organization as Item).identifier)!;
        expect(instant(r.lastModifiedAt)).toBe(item.lastModifiedAt);
        expect(typeOf(r.tags)).toBe('object');
      }
      const pipelines = new Map(recordsOf(run.messages, 'pipelines').map((r) => [`${String(r.orgIdentifier)}/${String(r.projectIdentifier)}/${String(r.identifier)}`, r]));
      for (const [k, list] of api.pipelines) {
        for (const p of list) {
          const r = pipelines.get(`${k}/${String(p.identifier)}`)!;
          expect(instant(r.createdAt)).toBe(p.createdAt);
          expect(instant(r.lastUpdatedAt)).toBe(p.lastUpdatedAt);
          expect(r.executionSummaryInfo).toEqual(p.executionSummaryInfo);
          expect(r.modules).toEqual(p.modules);
          expect(r.tags).toEqual(p.tags);
          expect(r.numOfStages).toBe(p.numOfStages);
        }
      }
      for (const c of recordsOf(run.messages, 'connectors')) expect(typeOf(c.connectors)).toBe('array');
      const budgets = new Map(recordsOf(run.messages, 'budgets').map((r) => [r.uuid, r]));
      for (const b of api.budgets) {
        const r = budgets.get(b.uuid)!;
        for (const k of ['budgetAmount', 'actualCost', 'forecastCost', 'lastMonthCost', 'growthRate']) expect(r[k], k).toBe(b[k]);
        expect(r.scope).toEqual(b.scope);
        expect(r.alertThresholds).toEqual(b.alertThresholds);
        for (const k of ['startTime', 'endTime', 'createdAt', 'lastUpdatedAt']) expect(instant(r[k]), k).toBe(b[k]);
      }
    });
  });

  describe('--test', () => {
    it('one record per stream, pipelines included (projects are read on, unwritten, until one has pipelines)', async ({ expect }) => {
      const run = await runTap(TAP, ['--config', config, '--test']);
      expect(run.code, run.stderr).toBe(0);
      checkSingerOutput(run.messages, { finalState: false });
      expect(recordCounts(run.messages)).toEqual(Object.fromEntries(STREAMS.map((s) => [s, 1])));
      expect(run.messages.filter((m) => m.type === 'STATE')).toEqual([]);
    });
  });

  describe('mean_time_to_resolution', () => {
    it('one row per record the API answers (a stage of the workflow profile), as sent, plus the request\'s ou_ids, widget_id and a 30-day window ending at the sync\'s start', async ({ expect }) => {
      const before = Date.now();
      const run = await runTap(TAP, ['--config', config, '--catalog', await onlyDoraCatalog()]);
      expect(run.code, run.stderr).toBe(0);
      checkSingerOutput(run.messages);
      const rows = recordsOf(run.messages, 'mean_time_to_resolution');
      expect(rows).toHaveLength(DORA_STAGES);
      const row = rows[0]!;
      expect(instant(row.time_range_end) - instant(row.time_range_start)).toBe(30 * DAY_MS);
      expect(instant(row.time_range_end)).toBeGreaterThanOrEqual(Math.floor(before / 1000) * 1000 - 1000);
      expect(instant(row.time_range_end)).toBeLessThanOrEqual(Date.now());
      // The API's own answer for that window: {records, count, _metadata}; each record is one row.
      const window = { $gt: String(instant(row.time_range_start) / 1000), $lt: String(instant(row.time_range_end) / 1000) };
      const res = await fetch(`${pg.url}/gratis/sei/api/v1/dora/mean-time?accountIdentifier=${ACCOUNT}`, {
        method: 'POST', headers: { authorization: `APIKEY ${pg.token}`, 'content-type': 'application/json' },
        body: JSON.stringify({ filter: { time_range: window }, ou_ids: DORA.ou_ids, widget_id: DORA.widget_id, across: 'velocity' }),
      });
      const answer = (await res.json()) as { records: Item[]; count: number; _metadata: Item };
      expect(answer.count).toBe(DORA_STAGES);
      expect(rows).toEqual(answer.records.map((r) => ({
        ...r, widget_id: DORA.widget_id, ou_ids: DORA.ou_ids, integration_ids: null, time_range_start: row.time_range_start, time_range_end: row.time_range_end,
      })));
      expect(new Set(rows.map((r) => r.key)).size).toBe(DORA_STAGES);
      for (const r of rows) {
        expect(Number.isInteger(r.count)).toBe(true);
        expect(typeOf(r.velocity_stage_result)).toBe('object');
        if ((r.count as number) > 0) for (const k of ['mean', 'median', 'p90', 'p95']) expect(typeof r[k], `${String(r.key)}.${k}`).toBe('number');
      }
    });

    it('the body as sent (request log): ou_ids, widget_id, filter.time_range in epoch seconds; start_date and dora_window_days set the window', async ({ expect }) => {
      const server = await startPlayground();
      try {
        const catalog = await onlyDoraCatalog();
        const start = '2026-01-15T00:00:00Z';
        const runs = [
          await runTap(TAP, ['--config', configWith('config-dora-a.json', { dora: { ...DORA, integration_ids: ['pd-1'], across: 'stages' } }, server), '--catalog', catalog]),
          await runTap(TAP, ['--config', configWith('config-dora-b.json', { start_date: start }, server), '--catalog', catalog]),
          await runTap(TAP, ['--config', configWith('config-dora-c.json', { dora_window_days: 7 }, server), '--catalog', catalog]),
        ];
        const sent = (await server.requests()).filter((r) => r.path.startsWith('/gratis/sei/api/v1/dora/mean-time'));
        expect(sent).toHaveLength(3);
        for (const [i, run] of runs.entries()) {
          expect(run.code, run.stderr).toBe(0);
          const row = recordsOf(run.messages, 'mean_time_to_resolution')[0]!;
          const body = JSON.parse(sent[i]!.body) as Record<string, unknown>;
          expect(sent[i]!.method).toBe('POST');
          expect(new URL(sent[i]!.path, 'http://x').searchParams.get('accountIdentifier')).toBe(ACCOUNT);
          expect(body).toEqual({
            filter: {
              time_range: { $gt: String(instant(row.time_range_start) / 1000), $lt: String(instant(row.time_range_end) / 1000) },
              ...(i === 0 ? { integration_ids: ['pd-1'] } : {}),
            },
            ou_ids: DORA.ou_ids,
            widget_id: DORA.widget_id,
            across: i === 0 ? 'stages' : 'velocity',
          });
          if (i === 0) expect(row.integration_ids).toEqual(['pd-1']);
        }
        const window = (i: number) => {
          const row = recordsOf(runs[i]!.messages, 'mean_time_to_resolution')[0]!;
          return [instant(row.time_range_start), instant(row.time_range_end)] as const;
        };
        expect(window(1)[0]).toBe(instant(start));
        expect(window(2)[1] - window(2)[0]).toBe(7 * DAY_MS);
        // Only the DORA endpoint was asked: the catalog selected nothing else.
        expect((await server.requests()).every((r) => r.path.startsWith('/gratis/'))).toBe(true);
      } finally {
        await server.stop();
      }
    });

    it('selected without `dora`: one warning, no SCHEMA, no record, exit 0', async ({ expect }) => {
      const noDora = tmp.json('config-select-no-dora.json', { api_token: pg.token, account_id: ACCOUNT, base_url: pg.url });
      const run = await runTap(TAP, ['--config', noDora, '--catalog', await onlyDoraCatalog()]);
      expect(run.code, run.stderr).toBe(0);
      checkSingerOutput(run.messages);
      expect(schemasOf(run.messages, 'mean_time_to_resolution')).toEqual([]);
      expect(recordCounts(run.messages)).toEqual({});
      const warnings = warnLines(run.stderr).filter((l) => l.includes('mean_time_to_resolution'));
      expect(warnings, run.stderr).toHaveLength(1);
      expect(warnings[0]).toContain('dora');
      // Without a catalog it is simply not synced, silently.
      const plain = await runTap(TAP, ['--config', noDora]);
      expect(plain.code, plain.stderr).toBe(0);
      expect(recordCounts(plain.messages).mean_time_to_resolution).toBeUndefined();
      expect(warnLines(plain.stderr).filter((l) => l.includes('mean_time_to_resolution'))).toEqual([]);
    });
  });

  describe('errors', () => {
    it('wrong api_token: one CRITICAL line with stream, HTTP 401, INVALID_TOKEN and its message, the URL; the token never printed', async ({ expect }) => {
      const run = await runTap(TAP, ['--config', configWith('config-bad-token.json', { api_token: WRONG_TOKEN })]);
      expect(run.code).toBe(1);
      const critical = criticalLines(run.stderr);
      expect(critical, run.stderr).toHaveLength(1);
      expect(critical[0]).toContain("stream 'user_projects'");
      expect(critical[0]).toMatch(/\bHTTP 401\b/);
      expect(critical[0]).toContain('INVALID_TOKEN: Token is not valid.');
      expect(critical[0]).toContain(`${pg.url}/ng/api/projects?accountIdentifier=${ACCOUNT}`);
      for (const text of [run.stdout, run.stderr]) {
        expect(text).not.toContain(WRONG_TOKEN);
        expect(text).not.toContain('WRONG-TOKEN');
      }
      expect(recordCounts(run.messages)).toEqual({});
      expect(stackTraceLines(run.stderr)).toEqual([]);
    });

    it('wrong account_id: one CRITICAL line with HTTP 400, INVALID_REQUEST and the API\'s message', async ({ expect }) => {
      const run = await runTap(TAP, ['--config', configWith('config-bad-account.json', { account_id: 'not-my-account' })]);
      expect(run.code).toBe(1);
      const critical = criticalLines(run.stderr);
      expect(critical, run.stderr).toHaveLength(1);
      expect(critical[0]).toMatch(/stream 'user_projects': GET \S+accountIdentifier=not-my-account\S* failed: HTTP 400 - INVALID_REQUEST: Invalid request: Account \[not-my-account\]/);
      expect(run.stderr).not.toContain(pg.token);
      expect(stackTraceLines(run.stderr)).toEqual([]);
    });

    it('wrong sei_api_key: the CRITICAL line names mean_time_to_resolution and 401; neither key printed', async ({ expect }) => {
      const sei = 'sei-KEY-SECRET-456';
      const run = await runTap(TAP, ['--config', configWith('config-bad-sei.json', { sei_api_key: sei }), '--catalog', await onlyDoraCatalog()]);
      expect(run.code).toBe(1);
      const critical = criticalLines(run.stderr);
      expect(critical, run.stderr).toHaveLength(1);
      expect(critical[0]).toMatch(/stream 'mean_time_to_resolution': POST \S+\/gratis\/sei\/api\/v1\/dora\/mean-time\S* failed: HTTP 401 - INVALID_TOKEN/);
      for (const text of [run.stdout, run.stderr]) {
        expect(text).not.toContain(sei);
        expect(text).not.toContain(pg.token);
      }
    });

    it('missing account_id or a malformed dora: one line naming the setting, no Singer output', async ({ expect }) => {
      const missing = await runTap(TAP, ['--config', tmp.json('config-no-account.json', { api_token: pg.token, base_url: pg.url })], { json: false });
      expect(missing.code).toBe(1);
      expect(missing.stdout).toBe('');
      expect(criticalLines(missing.stderr)).toHaveLength(1);
      expect(criticalLines(missing.stderr)[0]).toContain("'account_id' is required");
      const bad = await runTap(TAP, ['--config', configWith('config-bad-dora.json', { dora: { widget_id: 'w' } })], { json: false });
      expect(bad.code).toBe(1);
      expect(bad.stdout).toBe('');
      expect(criticalLines(bad.stderr).join('\n')).toContain('dora.ou_ids');
    });
  });

  describe('own playgrounds', () => {
    it('requests (request log): pageIndex 0..2 at pageSize 100, pipelines per project by page with the body, accountIdentifier everywhere', async ({ expect }) => {
      const server = await startPlayground();
      try {
        const counts = (await server.stats()).harness!;
        const run = await runTap(TAP, ['--config', configWith('config-req.json', {}, server)]);
        expect(run.code, run.stderr).toBe(0);
        expect(checkSingerOutput(run.messages).counts).toEqual(expectedCounts(counts));
        const log = await server.requests();
        const q = (path: string) => new URL(path, 'http://x').searchParams;
        const projects = log.filter((r) => r.path.startsWith('/ng/api/projects?'));
        // Pages 1 and 2 planned in parallel from page 0's total, then page 0 read again: the same rows, so the list did not change.
        expect(projects.map((r) => q(r.path).get('pageIndex'))).toEqual(['0', '1', '2', '0']);
        expect(projects.every((r) => q(r.path).get('pageSize') === '100')).toBe(true);
        const pipelines = log.filter((r) => r.path.startsWith('/pipeline/api/pipelines/list?'));
        // One request per project, two more for the project with three pages, and its page 0 read again to verify.
        expect(pipelines.length).toBe(counts.user_projects! + 3);
        for (const r of pipelines) {
          expect(r.method).toBe('POST');
          expect(JSON.parse(r.body)).toEqual({ filterType: 'PipelineSetup' });
          expect(q(r.path).get('size')).toBe('100');
        }
        expect(pipelines.filter((r) => q(r.path).get('page') !== '0')).toHaveLength(2);
        for (const r of log) expect(q(r.path).get('accountIdentifier'), r.path).toBe(ACCOUNT);
      } finally {
        await server.stop();
      }
    });

    it('429 on every 5th request: every record exactly once, the retries logged', async ({ expect }) => {
      const server = await startPlayground({ faults: ['429:5:0'] });
      try {
        const counts = (await server.stats()).harness!;
        const run = await runTap(TAP, ['--config', configWith('config-429.json', {}, server)], { timeoutMs: 50_000 });
        expect(run.code, run.stderr).toBe(0);
        expect(checkSingerOutput(run.messages).counts).toEqual(expectedCounts(counts));
        expect(run.stderr.split('\n').filter((l) => /HTTP 429; retry/.test(l)).length).toBeGreaterThan(20);
      } finally {
        await server.stop();
      }
    }, 60_000);

    it('a failing pipelines request (503, no retries left) is reported as the pipelines stream\'s, not its parent\'s', async ({ expect }) => {
      // The 6th request is a pipelines one: projects' next page is fetched only after the first page's 100 projects.
      const server = await startPlayground({ faults: ['503:6'] });
      try {
        // One request at a time: "the 6th request" names a pipelines request only in that order.
        const run = await runTap(TAP, ['--config', configWith('config-503.json', { max_retries: 0, max_parallel_requests: 1, max_parallel_streams: 1 }, server)]);
        expect(run.code).toBe(1);
        const critical = criticalLines(run.stderr);
        expect(critical, run.stderr).toHaveLength(1);
        expect(critical[0]).toMatch(/stream 'pipelines': POST \S+\/pipeline\/api\/pipelines\/list\?\S+ failed: HTTP 503/);
      } finally {
        await server.stop();
      }
    });

    it('incremental: run 1 -> mutate(3) -> run 2 from its STATE: changed and new projects, the changed org, a new DORA window', async ({ expect }) => {
      const server = await startPlayground();
      try {
        const configFile = configWith('config-incr.json', {}, server);
        const run1 = await runTap(TAP, ['--config', configFile]);
        expect(run1.code, run1.stderr).toBe(0);
        const s1 = checkSingerOutput(run1.messages).finalState!;
        const before = await rawAll(server);
        const changed = await server.mutate(3);
        expect(changed.harness).toBe(5);
        const after = await rawAll(server);
        const counts = (await server.stats()).harness!;

        const run2 = await runTap(TAP, ['--config', configFile, '--state', tmp.json('state-incr.json', s1)]);
        expect(run2.code, run2.stderr).toBe(0);
        const c2 = checkSingerOutput(run2.messages);
        // Projects by organization and identifier (an identifier alone names several); organizations by identifier.
        const keyOf = (r: Item) => (r.orgIdentifier === undefined ? String(r.identifier) : projectKey(r));
        const moved = (list: Item[], old: Item[], wrapper: string) => {
          const was = new Map(old.map((x) => [keyOf(x[wrapper] as Item), x.lastModifiedAt]));
          return list.filter((x) => was.get(keyOf(x[wrapper] as Item)) !== x.lastModifiedAt).map((x) => keyOf(x[wrapper] as Item));
        };
        for (const [stream, wrapper, key, n] of [['user_projects', 'project', 'projects', 4], ['organizations', 'organization', 'organizations', 1]] as const) {
          const changedIds = moved(after[key], before[key], wrapper);
          expect(changedIds, stream).toHaveLength(n);
          const b1 = instant(s1.bookmarks[stream]!.replication_key_value);
          // The record at the bookmark itself is sent again (at-least-once); nothing else older.
          const ties = recordsOf(run1.messages, stream).filter((r) => instant(r.lastModifiedAt) === b1).map(keyOf);
          expect(sorted(recordsOf(run2.messages, stream).map(keyOf)), stream).toEqual(sorted(new Set([...changedIds, ...ties])));
          expect(instant(c2.finalState!.bookmarks[stream]!.replication_key_value), stream).toBeGreaterThan(b1);
        }
        // Pipelines are read for every project, the new one's included; the edited ones carry their new time.
        expect(recordsOf(run2.messages, 'pipelines')).toHaveLength(counts.pipelines!);
        // A new DORA window, from run 1's end.
        const d1 = recordsOf(run1.messages, 'mean_time_to_resolution')[0]!;
        const d2 = recordsOf(run2.messages, 'mean_time_to_resolution')[0]!;
        expect(recordsOf(run2.messages, 'mean_time_to_resolution')).toHaveLength(DORA_STAGES);
        expect(d2.time_range_start).toBe(d1.time_range_end);
        expect(instant(d2.time_range_end)).toBeGreaterThanOrEqual(instant(d1.time_range_end));
      } finally {
        await server.stop();
      }
    }, 60_000);
  });
});

/** A catalog from discovery selecting mean_time_to_resolution only (written once). */
let doraCatalog: Promise<string> | undefined;
function onlyDoraCatalog(): Promise<string> {
  doraCatalog ??= (async () => {
    const catalog = await discover(config);
    for (const entry of catalog.streams) rootMetadata(entry).selected = entry.tap_stream_id === 'mean_time_to_resolution';
    return tmp.json('catalog-dora.json', catalog);
  })();
  return doraCatalog;
}
