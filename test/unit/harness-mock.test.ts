import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { startPlayground, type Playground } from '../../src/playground/server.js';
import { harnessMock, HARNESS_ACCOUNT } from '../../src/playground/harness.js';

const TOKEN = 'harness-test-token';
const KEY = { 'x-api-key': TOKEN };
const ACCOUNT = `accountIdentifier=${HARNESS_ACCOUNT}`;

let pg: Playground;

beforeAll(async () => {
  pg = await startPlayground({ port: 0, seed: 42, token: TOKEN, scale: 1, factories: [harnessMock] });
});

afterAll(async () => {
  await pg?.close();
});

type Body = any;

async function call(path: string, init: { method?: string; headers?: Record<string, string>; body?: unknown } = {}): Promise<{ status: number; body: Body }> {
  const res = await fetch(`${pg.url}${path}`, {
    method: init.method ?? 'GET',
    headers: { ...KEY, ...(init.body !== undefined ? { 'content-type': 'application/json' } : {}), ...init.headers },
    ...(init.body !== undefined ? { body: typeof init.body === 'string' ? init.body : JSON.stringify(init.body) } : {}),
  });
  return { status: res.status, body: await res.json() };
}

const stats = () => pg.mocks.find((m) => m.name === 'harness')!.stats();

/** Every item of an ng list, page by page. */
async function ngAll(path: string, pageSize: number): Promise<Body[]> {
  const out: Body[] = [];
  for (let pageIndex = 0; ; pageIndex++) {
    const { status, body } = await call(`${path}?${ACCOUNT}&pageIndex=${pageIndex}&pageSize=${pageSize}`);
    expect(status).toBe(200);
    out.push(...body.data.content);
    if (pageIndex + 1 >= body.data.totalPages) return out;
  }
}

const dora = (body: unknown, auth = `APIKEY ${TOKEN}`) =>
  call('/gratis/sei/api/v1/dora/mean-time', { method: 'POST', headers: { authorization: auth, 'x-api-key': '' }, body });
const window = { $gt: '1760000000', $lt: '1762592000' };

describe('Harness mock', () => {
  it('projects: more than one page at the maximum page size 100, wrapped items, epoch-ms times, page envelope', async () => {
    const first = await call(`/ng/api/projects?${ACCOUNT}&pageIndex=0&pageSize=100`);
    expect(first.status).toBe(200);
    expect(first.body.status).toBe('SUCCESS');
    const data = first.body.data;
    expect(data).toMatchObject({ totalItems: 230, totalPages: 3, pageSize: 100, pageIndex: 0, pageItemCount: 100, empty: false });
    const item = data.content[0];
    expect(Object.keys(item).sort()).toEqual(['createdAt', 'isFavorite', 'lastModifiedAt', 'project']);
    expect(typeof item.createdAt).toBe('number');
    expect(item.createdAt).toBeGreaterThan(1e12);
    expect(Array.isArray(item.project.modules)).toBe(true);
    expect(typeof item.project.tags).toBe('object');
    const all = await ngAll('/ng/api/projects', 100);
    expect(all).toHaveLength(stats().user_projects!);
    // An identifier is unique within its organization only; some are used in several organizations.
    expect(new Set(all.map((p) => `${p.project.orgIdentifier}/${p.project.identifier}`)).size).toBe(all.length);
    expect(new Set(all.map((p) => p.project.identifier)).size).toBeLessThan(all.length - 50);
    // newest lastModifiedAt first
    expect(all.map((p) => p.lastModifiedAt)).toEqual([...all.map((p) => p.lastModifiedAt)].sort((a, b) => b - a));
    // past the end: an empty page, flagged
    const past = await call(`/ng/api/projects?${ACCOUNT}&pageIndex=9&pageSize=100`);
    expect(past.body.data).toMatchObject({ content: [], empty: true, pageItemCount: 0 });
    // a page size above 100 is capped
    expect((await call(`/ng/api/projects?${ACCOUNT}&pageIndex=0&pageSize=500`)).body.data.pageSize).toBe(100);
  });

  it('organizations: wrapped in `organization`, the default org harness-managed', async () => {
    const all = await ngAll('/ng/api/organizations', 3);
    expect(all).toHaveLength(stats().organizations!);
    expect(all.find((o) => o.organization.identifier === 'default')?.harnessManaged).toBe(true);
    const projects = await ngAll('/ng/api/projects', 100);
    const orgIds = new Set(all.map((o) => o.organization.identifier));
    expect(projects.every((p) => orgIds.has(p.project.orgIdentifier))).toBe(true);
  });

  it('pipelines: POST with filterType, a Spring page per project; none for some, several pages for one', async () => {
    const projects = (await ngAll('/ng/api/projects', 100)).map((p) => p.project);
    let total = 0;
    let empty = 0;
    let multiPage = 0;
    for (const p of projects) {
      for (let page = 0; ; page++) {
        const { status, body } = await call(`/pipeline/api/pipelines/list?${ACCOUNT}&orgIdentifier=${p.orgIdentifier}&projectIdentifier=${p.identifier}&page=${page}&size=100`,
          { method: 'POST', body: { filterType: 'PipelineSetup' } });
        expect(status).toBe(200);
        const d = body.data;
        expect(d).toMatchObject({ number: page, size: 100, first: page === 0 });
        total += d.content.length;
        if (d.totalElements === 0) empty++;
        if (d.totalPages > 1 && page === 0) multiPage++;
        for (const pl of d.content) {
          expect(typeof pl.createdAt).toBe('number');
          expect(typeof pl.executionSummaryInfo).toBe('object');
          expect(Array.isArray(pl.modules)).toBe(true);
        }
        if (page + 1 >= d.totalPages) {
          expect(d.last).toBe(true);
          break;
        }
      }
    }
    expect(total).toBe(stats().pipelines);
    expect(empty).toBeGreaterThan(10);
    expect(multiPage).toBe(1);
  });

  it('pipelines: GET is 405, a body without filterType or an unknown project is 400', async () => {
    const p = (await call(`/ng/api/projects?${ACCOUNT}&pageIndex=0&pageSize=1`)).body.data.content[0].project;
    const path = `/pipeline/api/pipelines/list?${ACCOUNT}&orgIdentifier=${p.orgIdentifier}&projectIdentifier=${p.identifier}`;
    expect((await call(path)).status).toBe(405);
    const noFilter = await call(path, { method: 'POST', body: {} });
    expect(noFilter.status).toBe(400);
    expect(noFilter.body).toMatchObject({ status: 'ERROR', code: 'INVALID_REQUEST' });
    const unknown = await call(`/pipeline/api/pipelines/list?${ACCOUNT}&orgIdentifier=default&projectIdentifier=nope`, { method: 'POST', body: { filterType: 'PipelineSetup' } });
    expect(unknown.status).toBe(400);
  });

  it('catalogue and budgets', async () => {
    const cat = await call(`/ng/api/connectors/catalogue?${ACCOUNT}`);
    expect(cat.body.data.catalogue).toHaveLength(stats().connectors!);
    for (const c of cat.body.data.catalogue) expect(Array.isArray(c.connectors)).toBe(true);
    const budgets = (await call(`/ccm/api/budgets?${ACCOUNT}`)).body.data;
    expect(budgets).toHaveLength(stats().budgets!);
    for (const b of budgets) {
      expect(typeof b.budgetAmount).toBe('number');
      expect(typeof b.scope).toBe('object');
      expect(Array.isArray(b.alertThresholds)).toBe(true);
      expect(b.startTime).toBeGreaterThan(1e12);
    }
  });

  it('errors: 401 INVALID_TOKEN for a wrong or missing key, 400 INVALID_REQUEST for a wrong or missing account', async () => {
    for (const headers of [{ 'x-api-key': 'wrong' }, { 'x-api-key': '' }]) {
      const r = await call(`/ng/api/projects?${ACCOUNT}`, { headers });
      expect(r.status).toBe(401);
      expect(r.body).toMatchObject({ status: 'ERROR', code: 'INVALID_TOKEN', message: 'Token is not valid.' });
    }
    const wrong = await call('/ccm/api/budgets?accountIdentifier=someone-else');
    expect(wrong.status).toBe(400);
    expect(wrong.body).toMatchObject({ status: 'ERROR', code: 'INVALID_REQUEST' });
    expect(wrong.body.message).toContain('someone-else');
    expect((await call('/ng/api/organizations')).status).toBe(400);
  });

  it('DORA: APIKEY auth, the body validated, the SEI paginated list of stage aggregations, deterministic per window, counted in stats', async () => {
    const before = stats().mean_time_to_resolution!;
    const good = { filter: { time_range: window }, ou_ids: ['c1'], widget_id: 'w1', across: 'velocity' };
    const a = await dora(good);
    expect(a.status).toBe(200);
    expect(Object.keys(a.body).sort()).toEqual(['_metadata', 'count', 'records']);
    expect(a.body._metadata).toEqual({ page_size: 4, page: 0, has_next: false, total_count: 4 });
    expect(a.body.records.map((r: Body) => r.key)).toEqual(['Acknowledge', 'Investigate', 'Fix', 'Deploy Fix']);
    for (const r of a.body.records) {
      expect(Number.isInteger(r.count)).toBe(true);
      expect(Object.keys(r.velocity_stage_result).sort()).toEqual(['lower_limit_unit', 'lower_limit_value', 'rating', 'upper_limit_unit', 'upper_limit_value']);
      // DbAggregationResult's statistics, in seconds, absent (never null) when no incident reached the stage.
      if (r.count > 0) {
        expect(Object.keys(r).sort()).toEqual(['count', 'key', 'max', 'mean', 'median', 'min', 'p90', 'p95', 'velocity_stage_result']);
        expect(r.min <= r.median && r.median <= r.p90 && r.p90 <= r.p95 && r.p95 <= r.max).toBe(true);
      } else expect(Object.keys(r).sort()).toEqual(['count', 'key', 'velocity_stage_result']);
    }
    const empty = await dora({ ...good, filter: { time_range: { $gt: '1760000000', $lt: '1760000001' } } });
    expect(empty.body.records.every((r: Body) => r.count === 0 && r.velocity_stage_result.rating === 'MISSING')).toBe(true);
    expect((await dora(good, `apikey ${TOKEN}`)).body).toEqual(a.body);
    expect(stats().mean_time_to_resolution).toBe(before + 3 * 4);
    expect((await dora(good, `Bearer ${TOKEN}`)).status).toBe(401);
    expect((await dora(good, 'APIKEY wrong')).status).toBe(401);
    const bad: unknown[] = [
      { ...good, ou_ids: [] },
      { ...good, widget_id: '' },
      { ou_ids: ['c1'], widget_id: 'w1' },
      { ...good, filter: { time_range: { $gt: 1760000000, $lt: 1762592000 } } },
      { ...good, filter: { time_range: { $gt: window.$lt, $lt: window.$gt } } },
      { ...good, filter: { time_range: window, integration_ids: 'x' } },
      'not json',
    ];
    for (const body of bad) {
      const r = await dora(body);
      expect(r.status, JSON.stringify(body)).toBe(400);
      expect(r.body.code).toBe('INVALID_REQUEST');
    }
    expect(stats().mean_time_to_resolution).toBe(before + 3 * 4);
  });

  it('the request log lists method, path and body (never headers)', async () => {
    await dora({ filter: { time_range: window }, ou_ids: ['logged'], widget_id: 'w-log' });
    const log = (await (await fetch(`${pg.url}/__playground/requests`)).json()) as { requests: Array<{ method: string; path: string; body: string }> };
    const last = log.requests.filter((r) => r.path.startsWith('/gratis/')).at(-1)!;
    expect(last.method).toBe('POST');
    expect(JSON.parse(last.body)).toMatchObject({ ou_ids: ['logged'], widget_id: 'w-log' });
    expect(JSON.stringify(log)).not.toContain(TOKEN);
  });

  it('mutate: the least recently modified projects and an organization change, a project with two pipelines appears', async () => {
    const s0 = stats();
    const key = (p: Body) => `${p.project.orgIdentifier}/${p.project.identifier}`;
    const before = new Map((await ngAll('/ng/api/projects', 100)).map((p) => [key(p), p.lastModifiedAt]));
    const changed = pg.mocks.find((m) => m.name === 'harness')!.mutate(3);
    expect(changed).toBe(5);
    const after = await ngAll('/ng/api/projects', 100);
    const s1 = stats();
    expect(s1.user_projects).toBe(s0.user_projects! + 1);
    expect(s1.pipelines).toBe(s0.pipelines! + 2);
    const moved = after.filter((p) => before.has(key(p)) && before.get(key(p)) !== p.lastModifiedAt);
    expect(moved).toHaveLength(3);
    const added = after.filter((p) => !before.has(key(p)));
    expect(added).toHaveLength(1);
    expect(added[0].lastModifiedAt).toBeGreaterThan(Date.now() - 60_000);
    // newest first: the changed ones lead
    expect(new Set(after.slice(0, 4).map(key))).toEqual(new Set([...moved, ...added].map(key)));
  });
});

describe('Harness mock at other scales', () => {
  it('a project identifier is unique within its organization at any scale (and after mutations), and repeats across organizations', async () => {
    for (const scale of [0.5, 3]) {
      const other = await startPlayground({ port: 0, seed: 7, token: TOKEN, scale, factories: [harnessMock] });
      try {
        const list = async () => {
          const all: Body[] = [];
          for (let pageIndex = 0; ; pageIndex++) {
            const res = await fetch(`${other.url}/ng/api/projects?${ACCOUNT}&pageIndex=${pageIndex}&pageSize=100`, { headers: KEY });
            const { data } = (await res.json()) as Body;
            all.push(...data.content);
            if (pageIndex + 1 >= data.totalPages) return all;
          }
        };
        for (let round = 0; round < 3; round++) {
          const all = await list();
          expect(new Set(all.map((p) => `${p.project.orgIdentifier}/${p.project.identifier}`)).size, `scale ${scale}, round ${round}`).toBe(all.length);
          expect(new Set(all.map((p) => p.project.identifier)).size, `scale ${scale}`).toBeLessThan(all.length);
          other.mocks.find((m) => m.name === 'harness')!.mutate(3);
        }
      } finally {
        await other.close();
      }
    }
  });
});
