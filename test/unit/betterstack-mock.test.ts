import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { startPlayground, type Playground } from '../../src/playground/server.js';
import { betterstackMock } from '../../src/playground/betterstack.js';
import { mockFactories } from '../../src/playground/registry.js';

const TOKEN = 'bs-test-token';
const AUTH = { authorization: `Bearer ${TOKEN}` };
const TS_RE = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}(Z|[+-]\d{2}:\d{2})$/;

/** endpoint -> [stats key, JSON:API type, max per_page] */
const ENDPOINTS: ReadonlyArray<readonly [string, string, string, number]> = [
  ['/api/v2/monitors', 'monitors', 'monitor', 250],
  ['/api/v2/status-pages', 'status_pages', 'status_page', 250],
  ['/api/v2/monitor-groups', 'monitor_groups', 'monitor_group', 250],
  ['/api/v2/heartbeats', 'heartbeats', 'heartbeat', 250],
  ['/api/v2/heartbeat-groups', 'heartbeat_groups', 'heartbeat_group', 250],
  ['/api/v3/incidents', 'incidents', 'incident', 50],
  ['/api/v2/on-calls', 'on_call_calendars', 'on_call_calendar', 250],
];

let pg: Playground;

beforeAll(async () => {
  pg = await startPlayground({ port: 0, seed: 42, token: TOKEN, scale: 1 });
});

afterAll(async () => {
  await pg?.close();
});

async function getJson(url: string, headers: Record<string, string> = AUTH): Promise<{ status: number; body: any; res: Response }> {
  const res = await fetch(url, { headers });
  const text = await res.text();
  return { status: res.status, body: JSON.parse(text), res };
}

function bsStats(p: Playground): Record<string, number> {
  const mock = p.mocks.find((m) => m.name === 'betterstack');
  if (!mock) throw new Error('betterstack mock not mounted');
  return mock.stats();
}

/** Follow `pagination.next` from `first`; returns every item and every page body. */
async function walk(first: string): Promise<{ items: any[]; pages: any[] }> {
  const items: any[] = [];
  const pages: any[] = [];
  let url: string | null = first;
  while (url) {
    const { status, body } = await getJson(url);
    expect(status, url).toBe(200);
    pages.push(body);
    items.push(...body.data);
    url = body.pagination.next;
    if (pages.length > 1000) throw new Error('pagination does not end');
  }
  return { items, pages };
}

function utcDate(ts: string): string {
  return new Date(Date.parse(ts)).toISOString().slice(0, 10);
}

describe('betterstack mock: registration and auth', () => {
  it('is registered in the playground registry', () => {
    expect(mockFactories).toContain(betterstackMock);
    expect(pg.mocks.map((m) => m.name)).toContain('betterstack');
  });

  it('401 with the real JSON body without a token, with a wrong token or scheme', async () => {
    for (const headers of [{}, { authorization: 'Bearer nope' }, { authorization: `Basic ${TOKEN}` }, { authorization: TOKEN }]) {
      for (const [path] of ENDPOINTS) {
        const { status, body, res } = await getJson(`${pg.url}${path}`, headers);
        expect(status).toBe(401);
        expect(res.headers.get('content-type')).toBe('application/json; charset=utf-8');
        expect(Object.keys(body)).toEqual(['errors']);
        expect(body.errors).toMatch(/^Invalid Team API token\. /);
      }
    }
  });

  it('answers JSON with the right content type, and 405 to other methods', async () => {
    const { res } = await getJson(`${pg.url}/api/v2/monitors`);
    expect(res.headers.get('content-type')).toBe('application/json; charset=utf-8');
    const post = await fetch(`${pg.url}/api/v2/monitors`, { method: 'POST', headers: AUTH, body: '{}' });
    expect(post.status).toBe(405);
  });
});

describe('betterstack mock: pagination', () => {
  it('walking pagination.next yields exactly stats() records with unique ids, for every endpoint', async () => {
    const stats = bsStats(pg);
    expect(stats).toEqual({
      monitors: 520,
      status_pages: 12,
      monitor_groups: 8,
      heartbeats: 40,
      heartbeat_groups: 6,
      incidents: 130,
      incident_monitor: expect.any(Number),
      on_call_calendars: 5,
      on_call_users: expect.any(Number),
    });
    for (const [path, key, type, max] of ENDPOINTS) {
      for (const query of ['', `?per_page=${max}`]) {
        const { items, pages } = await walk(`${pg.url}${path}${query}`);
        expect(items.length, path + query).toBe(stats[key]);
        expect(new Set(items.map((i) => i.id)).size, path + query).toBe(items.length);
        for (const item of items) {
          expect(item.type).toBe(type);
          expect(item.id).toMatch(/^[1-9]\d*$/);
          expect(typeof item.attributes).toBe('object');
        }
        const last = pages[pages.length - 1];
        expect(last.pagination.next).toBeNull();
        expect(pages[0].pagination.prev).toBeNull();
        expect(last.pagination.last).toBe(pages.length > 1 ? pages[pages.length - 2].pagination.next : pages[0].pagination.first);
      }
    }
  });

  it('monitors take 3 pages at per_page=250, incidents 3 at 50; default page sizes 50 and 10', async () => {
    expect((await walk(`${pg.url}/api/v2/monitors?per_page=250`)).pages).toHaveLength(3);
    expect((await walk(`${pg.url}/api/v3/incidents?per_page=50`)).pages).toHaveLength(3);
    expect((await getJson(`${pg.url}/api/v2/monitors`)).body.data).toHaveLength(50);
    expect((await getJson(`${pg.url}/api/v3/incidents`)).body.data).toHaveLength(10);
  });

  it('caps per_page to the maximum instead of failing', async () => {
    const inc = await getJson(`${pg.url}/api/v3/incidents?per_page=100`);
    expect(inc.status).toBe(200);
    expect(inc.body.data).toHaveLength(50);
    const mon = await getJson(`${pg.url}/api/v2/monitors?per_page=1000`);
    expect(mon.status).toBe(200);
    expect(mon.body.data).toHaveLength(250);
    expect(new URL(mon.body.pagination.next).searchParams.get('per_page')).toBe('250');
  });

  it('pagination links are absolute and keep the other query params', async () => {
    const { body } = await getJson(`${pg.url}/api/v3/incidents?from=2025-10-01&monitor_id=5&per_page=5&page=2`);
    const { first, last, prev, next } = body.pagination;
    for (const link of [first, last, prev, next]) {
      expect(link.startsWith(`${pg.url}/api/v3/incidents?`)).toBe(true);
      const u = new URL(link);
      expect(u.searchParams.get('from')).toBe('2025-10-01');
      expect(u.searchParams.get('monitor_id')).toBe('5');
      expect(u.searchParams.get('per_page')).toBe('5');
    }
    expect(new URL(first).searchParams.get('page')).toBe('1');
    expect(new URL(prev).searchParams.get('page')).toBe('1');
    expect(new URL(next).searchParams.get('page')).toBe('3');
    const plain = await getJson(`${pg.url}/api/v2/monitors`);
    expect(plain.body.pagination).toEqual({
      first: `${pg.url}/api/v2/monitors?page=1`,
      last: `${pg.url}/api/v2/monitors?page=11`,
      prev: null,
      next: `${pg.url}/api/v2/monitors?page=2`,
    });
  });

  it('a page past the end is empty with next null', async () => {
    const { status, body } = await getJson(`${pg.url}/api/v2/heartbeat-groups?page=9`);
    expect(status).toBe(200);
    expect(body.data).toEqual([]);
    expect(body.pagination.next).toBeNull();
  });

  it('lists are in ascending numeric id order, with ids that sort differently as strings', async () => {
    for (const [path] of ENDPOINTS.filter(([p]) => p !== '/api/v3/incidents')) {
      const { items } = await walk(`${pg.url}${path}?per_page=250`);
      const nums = items.map((i) => Number(i.id));
      expect(nums).toEqual([...nums].sort((a, b) => a - b));
    }
    const { items } = await walk(`${pg.url}/api/v2/monitors?per_page=250`);
    const ids = items.map((i) => i.id as string);
    expect(ids.some((id) => id.length === 1)).toBe(true);
    expect(ids.some((id) => id.length >= 5)).toBe(true);
    expect([...ids].sort()).not.toEqual(ids);
  });
});

describe('betterstack mock: shapes', () => {
  it('monitors have typed attributes', async () => {
    const { items } = await walk(`${pg.url}/api/v2/monitors?per_page=250`);
    for (const m of items) {
      const a = m.attributes;
      for (const k of ['check_frequency', 'request_timeout', 'recovery_period', 'confirmation_period']) expect(typeof a[k]).toBe('number');
      for (const k of ['verify_ssl', 'call', 'sms', 'email', 'push']) expect(typeof a[k]).toBe('boolean');
      for (const k of ['regions', 'request_headers', 'expected_status_codes', 'maintenance_days']) expect(Array.isArray(a[k])).toBe(true);
      expect(a.regions.length).toBeGreaterThan(0);
      expect(a.regions.every((r: string) => ['us', 'eu', 'as', 'au'].includes(r))).toBe(true);
      expect(a.port === null || typeof a.port === 'string').toBe(true);
      expect(a.monitor_group_id === null || typeof a.monitor_group_id === 'number').toBe(true);
      expect(a.policy_id === null || typeof a.policy_id === 'string').toBe(true);
      expect(['paused', 'pending', 'maintenance', 'up', 'validating', 'down']).toContain(a.status);
      expect(a.created_at).toMatch(TS_RE);
      expect(a.updated_at).toMatch(TS_RE);
      expect(Date.parse(a.updated_at)).toBeGreaterThanOrEqual(Date.parse(a.created_at));
      expect(a.paused_at === null).toBe(a.status !== 'paused');
    }
    const all = items.map((m) => m.attributes);
    expect(all.some((a) => a.request_headers.length > 0 && typeof a.request_headers[0].id === 'string')).toBe(true);
    expect(all.some((a) => a.expected_status_codes.length > 0 && typeof a.expected_status_codes[0] === 'number')).toBe(true);
    expect(all.some((a) => a.ssl_expiration === null)).toBe(true);
    expect(all.some((a) => typeof a.ssl_expiration === 'number')).toBe(true);
    expect(all.some((a) => a.maintenance_from === null)).toBe(true);
    expect(all.some((a) => /^\d{2}:\d{2}:\d{2}$/.test(a.maintenance_from ?? ''))).toBe(true);
    expect(all.some((a) => typeof a.port === 'string')).toBe(true);
    // Mostly UTC `Z`, a few with an offset.
    const offsets = all.flatMap((a) => [a.created_at, a.updated_at]).filter((t: string) => !t.endsWith('Z'));
    expect(offsets.length).toBeGreaterThan(0);
    expect(offsets.length).toBeLessThan(40);
  });

  it('other resources carry the documented attributes', async () => {
    const sp = (await getJson(`${pg.url}/api/v2/status-pages`)).body.data[0].attributes;
    expect(Object.keys(sp)).toEqual([
      'company_name', 'company_url', 'contact_url', 'logo_url', 'timezone', 'subdomain', 'custom_domain',
      'min_incident_length', 'subscribable', 'hide_from_search_engines', 'custom_css', 'custom_javascript',
      'google_analytics_id', 'announcement', 'password_enabled', 'history', 'aggregate_state', 'created_at', 'updated_at',
    ]);
    expect(typeof sp.min_incident_length).toBe('number');
    expect(typeof sp.history).toBe('number');
    for (const path of ['/api/v2/monitor-groups', '/api/v2/heartbeat-groups']) {
      const g = (await getJson(`${pg.url}${path}`)).body.data[0].attributes;
      expect(Object.keys(g).sort()).toEqual(['created_at', 'name', 'paused', 'sort_index', 'team_name', 'updated_at']);
      expect(typeof g.sort_index).toBe('number');
      expect(typeof g.paused).toBe('boolean');
    }
    const hb = (await getJson(`${pg.url}/api/v2/heartbeats`)).body.data[0].attributes;
    for (const k of ['period', 'grace']) expect(typeof hb[k]).toBe('number');
    expect(hb.created_at).toMatch(TS_RE);
  });

  it('incidents: no created_at/updated_at, newest first, three relationship shapes', async () => {
    const { items } = await walk(`${pg.url}/api/v3/incidents?per_page=50`);
    const started = items.map((i) => Date.parse(i.attributes.started_at));
    expect(started).toEqual([...started].sort((a, b) => b - a));
    const monitorIds = new Set((await walk(`${pg.url}/api/v2/monitors?per_page=250`)).items.map((m) => m.id));
    const heartbeatIds = new Set((await walk(`${pg.url}/api/v2/heartbeats?per_page=250`)).items.map((m) => m.id));
    let withMonitor = 0;
    let withHeartbeat = 0;
    let neither = 0;
    for (const inc of items) {
      const a = inc.attributes;
      expect(a).not.toHaveProperty('created_at');
      expect(a).not.toHaveProperty('updated_at');
      expect(['Started', 'Acknowledged', 'Resolved']).toContain(a.status);
      expect(a.resolved_at === null).toBe(a.status !== 'Resolved');
      expect(a.started_at).toMatch(TS_RE);
      expect(typeof a.metadata).toBe('object');
      expect(Array.isArray(a.metadata)).toBe(false);
      const rel = inc.relationships;
      expect(rel).toHaveProperty('monitor');
      const m = rel.monitor.data;
      if (m !== null) {
        expect(Array.isArray(m)).toBe(false);
        expect(m.type).toBe('monitor');
        expect(monitorIds.has(m.id)).toBe(true);
        expect(rel).not.toHaveProperty('heartbeat');
        withMonitor++;
      } else if (rel.heartbeat) {
        expect(rel.heartbeat.data.type).toBe('heartbeat');
        expect(heartbeatIds.has(rel.heartbeat.data.id)).toBe(true);
        withHeartbeat++;
      } else {
        neither++;
      }
    }
    expect(withMonitor).toBe(bsStats(pg).incident_monitor);
    expect(withMonitor).toBeGreaterThan(items.length * 0.6);
    expect(withHeartbeat).toBeGreaterThan(items.length * 0.1);
    expect(neither).toBeGreaterThan(0);
    expect(items.some((i) => !i.attributes.started_at.endsWith('Z'))).toBe(true);
    expect(items.some((i) => Object.keys(i.attributes.metadata).length > 0)).toBe(true);
    expect(items.some((i) => i.attributes.resolved_at === null)).toBe(true);
  });

  it('incidents: from/to filter on the started_at date (UTC), 400 on a bad date', async () => {
    const { items: all } = await walk(`${pg.url}/api/v3/incidents?per_page=50`);
    const dates = all.map((i) => utcDate(i.attributes.started_at));
    const to = dates[20]!;
    const from = dates[60]!;
    const expected = all.filter((_, k) => dates[k]! >= from && dates[k]! <= to).map((i) => i.id);
    expect(expected.length).toBeGreaterThan(30);
    expect(expected.length).toBeLessThan(all.length);
    const { items } = await walk(`${pg.url}/api/v3/incidents?from=${from}&to=${to}&per_page=7`);
    expect(items.map((i) => i.id)).toEqual(expected);
    const onlyFrom = await walk(`${pg.url}/api/v3/incidents?from=${from}&per_page=50`);
    expect(onlyFrom.items).toHaveLength(dates.filter((d) => d >= from).length);
    const onlyTo = await walk(`${pg.url}/api/v3/incidents?to=${to}&per_page=50`);
    expect(onlyTo.items).toHaveLength(dates.filter((d) => d <= to).length);
    const none = await getJson(`${pg.url}/api/v3/incidents?from=2030-01-01`);
    expect(none.body.data).toEqual([]);
    expect(none.body.pagination.next).toBeNull();
    for (const bad of ['2025-13-01', '2025-02-30', '01-02-2025', 'yesterday', '2025-1-1']) {
      const r = await getJson(`${pg.url}/api/v3/incidents?from=${bad}`);
      expect(r.status, bad).toBe(400);
      expect(typeof r.body.errors).toBe('string');
      expect((await getJson(`${pg.url}/api/v3/incidents?to=${bad}`)).status).toBe(400);
    }
  });

  it('on-calls: included users are exactly the users the page references, once each', async () => {
    for (const perPage of [1, 2, 50]) {
      const { pages } = await walk(`${pg.url}/api/v2/on-calls?per_page=${perPage}`);
      for (const page of pages) {
        const refs = page.data.flatMap((c: any) => c.relationships.on_call_users.data);
        const refIds = [...new Set(refs.map((r: any) => r.id))];
        expect(page.included.map((u: any) => u.id)).toEqual(refIds);
        const byId = new Map(page.included.map((u: any) => [u.id, u]));
        for (const ref of refs) {
          expect(ref.type).toBe('user');
          const user: any = byId.get(ref.id);
          expect(user.type).toBe('user');
          expect(ref.meta.email).toBe(user.attributes.email);
          expect(Object.keys(user.attributes)).toEqual(['first_name', 'last_name', 'email', 'phone_numbers']);
          expect(Array.isArray(user.attributes.phone_numbers)).toBe(true);
        }
      }
    }
    const { items, pages } = await walk(`${pg.url}/api/v2/on-calls`);
    expect(pages).toHaveLength(1);
    expect(items.filter((c) => c.attributes.name === null)).toHaveLength(1);
    expect(items.filter((c) => c.attributes.default_calendar === true)).toHaveLength(1);
    const counts = items.map((c) => c.relationships.on_call_users.data.length);
    expect(counts.every((n) => n >= 0 && n <= 4)).toBe(true);
    expect(counts).toContain(0);
    expect(counts.reduce((s, n) => s + n, 0)).toBe(bsStats(pg).on_call_users);
    // The pool is shared, so users repeat across calendars but appear once in `included`.
    expect(pages[0].included.length).toBeLessThan(counts.reduce((s, n) => s + n, 0));
  });
});

describe('betterstack mock: determinism, scale and mutation', () => {
  it('serves the same data for the same seed and different data for another seed', async () => {
    const same = await startPlayground({ port: 0, seed: 42, token: 'x', scale: 1 });
    const other = await startPlayground({ port: 0, seed: 7, token: 'x', scale: 1 });
    try {
      for (const [path] of ENDPOINTS) {
        const a = await getJson(`${pg.url}${path}?per_page=250`);
        const b = await getJson(`${same.url}${path}?per_page=250`, { authorization: 'Bearer x' });
        const c = await getJson(`${other.url}${path}?per_page=250`, { authorization: 'Bearer x' });
        expect(b.body.data).toEqual(a.body.data);
        expect(b.body.included).toEqual(a.body.included);
        expect(c.body.data).not.toEqual(a.body.data);
      }
    } finally {
      await same.close();
      await other.close();
    }
  });

  it('scales dataset sizes (rounded, at least 1)', () => {
    const tiny = betterstackMock({ seed: 1, token: 't', scale: 0.01 }).stats();
    expect(tiny).toMatchObject({ monitors: 5, status_pages: 1, monitor_groups: 1, heartbeats: 1, incidents: 1, on_call_calendars: 1 });
    const big = betterstackMock({ seed: 1, token: 't', scale: 2 }).stats();
    expect(big).toMatchObject({ monitors: 1040, incidents: 260, on_call_calendars: 10 });
  });

  it('mutate bumps updated_at, adds an incident started now and resolves an older one', async () => {
    const own = await startPlayground({ port: 0, seed: 42, token: TOKEN, scale: 1, factories: [betterstackMock] });
    try {
      const before = Date.now();
      const incidentsBefore = (await walk(`${own.url}/api/v3/incidents?per_page=50`)).items;
      const m = await fetch(`${own.url}/__playground/mutate?count=3`, { method: 'POST' });
      expect(m.status).toBe(200);
      // 3 monitors + 2 heartbeats + 1 resolved incident + 1 new incident.
      expect(await m.json()).toEqual({ changed: { betterstack: 7 } });
      expect(bsStats(own).incidents).toBe(131);

      const monitors = (await walk(`${own.url}/api/v2/monitors?per_page=250`)).items;
      const fresh = monitors.filter((x) => Date.parse(x.attributes.updated_at) >= before - 1000);
      expect(fresh).toHaveLength(3);
      for (const x of fresh) expect(x.attributes.updated_at).toMatch(/\.\d{3}Z$/);
      const heartbeats = (await walk(`${own.url}/api/v2/heartbeats`)).items;
      expect(heartbeats.filter((x) => Date.parse(x.attributes.updated_at) >= before - 1000)).toHaveLength(2);

      const incidents = (await walk(`${own.url}/api/v3/incidents?per_page=50`)).items;
      expect(incidents).toHaveLength(131);
      const newest = incidents[0];
      expect(incidentsBefore.map((i) => i.id)).not.toContain(newest.id);
      expect(Date.parse(newest.attributes.started_at)).toBeGreaterThanOrEqual(before - 1000);
      expect(newest.attributes.status).toBe('Started');
      expect(newest.relationships.monitor.data.type).toBe('monitor');
      const wasOpen = new Map(incidentsBefore.map((i) => [i.id, i.attributes.resolved_at === null]));
      const resolvedNow = incidents.filter((i) => wasOpen.get(i.id) === true && i.attributes.resolved_at !== null);
      expect(resolvedNow).toHaveLength(1);
      expect(resolvedNow[0].attributes.status).toBe('Resolved');
      expect(resolvedNow[0].attributes.resolved_by).toBeTypeOf('string');
      expect(Date.parse(resolvedNow[0].attributes.started_at)).toBeLessThan(before);

      // Repeated mutations keep working and cycle through other records.
      const again = await fetch(`${own.url}/__playground/mutate?count=2`, { method: 'POST' });
      expect((await again.json()).changed.betterstack).toBe(2 + 1 + 1 + 1);
      expect(bsStats(own).incidents).toBe(132);
    } finally {
      await own.close();
    }
  });
});
