import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { startPlayground, type Playground } from '../../src/playground/server.js';
import { generateUsers, type User } from '../../src/playground/users.js';

const TOKEN = 'test-token';
const TS_RE = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/;
const UUID_RE = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

let pg: Playground;

beforeAll(async () => {
  pg = await startPlayground({ port: 0, seed: 42, token: TOKEN, scale: 1 });
});

afterAll(async () => {
  await pg?.close();
});

async function getJson(url: string, init?: RequestInit): Promise<{ status: number; body: any; res: Response }> {
  const res = await fetch(url, init);
  const text = await res.text();
  let body: unknown = text;
  if ((res.headers.get('content-type') ?? '').startsWith('application/json')) body = JSON.parse(text);
  return { status: res.status, body, res };
}

function expectSorted(users: User[], key: 'updatedAt' | 'createdAt', dir: 'asc' | 'desc' = 'asc') {
  for (let i = 1; i < users.length; i++) {
    const [a, b] = [users[i - 1]![key], users[i]![key]];
    if (dir === 'asc') expect(a <= b).toBe(true);
    else expect(a >= b).toBe(true);
  }
}

function expectAllOnce(users: User[], n = 200) {
  expect(users).toHaveLength(n);
  expect(new Set(users.map((u) => u.id)).size).toBe(n);
}

describe('generated users', () => {
  it('are deterministic per seed and well-formed', () => {
    const a = generateUsers(42);
    expect(generateUsers(42)).toEqual(a);
    expect(generateUsers(43)[0]).not.toEqual(a[0]);
    expect(a).toHaveLength(200);
    for (const u of a) {
      expect(Object.keys(u)).toEqual(['id', 'name', 'email', 'address', 'company', 'job', 'createdAt', 'updatedAt']);
      expect(u.id).toMatch(UUID_RE);
      expect(u.email).toMatch(/^[a-z.]+\d+@example\.(com|org|net)$/);
      expect(u.address).toMatch(/^\d+ .+\n.+, [A-Z]{2} \d{5}$/);
      expect(u.createdAt).toMatch(TS_RE);
      expect(u.updatedAt).toMatch(TS_RE);
      const delta = Date.parse(u.updatedAt) - Date.parse(u.createdAt);
      expect(delta).toBeGreaterThanOrEqual(0);
      expect(delta).toBeLessThan(3_600_000);
    }
    expectSorted(a, 'createdAt');
  });

  it('serves the same data for the same seed', async () => {
    const other = await startPlayground({ port: 0, seed: 42, token: 'x', scale: 1 });
    const third = await startPlayground({ port: 0, seed: 7, token: 'x', scale: 1 });
    try {
      const q = '/pagination/offset?limit=50&offset=0';
      const [a, b, c] = await Promise.all([getJson(pg.url + q), getJson(other.url + q), getJson(third.url + q)]);
      expect(b.body).toEqual(a.body);
      expect(c.body.data[0].id).not.toBe(a.body.data[0].id);
    } finally {
      await other.close();
      await third.close();
    }
  });
});

describe('/auth/http_bearer', () => {
  it('401 with an HTML page when the header is missing', async () => {
    const res = await fetch(`${pg.url}/auth/http_bearer`);
    expect(res.status).toBe(401);
    expect(res.headers.get('content-type')).toMatch(/^text\/html/);
    expect(await res.text()).toContain('<p>Authorization header is missing</p>');
  });

  it('401 on a wrong token or scheme', async () => {
    for (const auth of ['Bearer nope', `Basic ${TOKEN}`, TOKEN, `Bearer  ${TOKEN}`]) {
      const res = await fetch(`${pg.url}/auth/http_bearer`, { headers: { authorization: auth } });
      expect(res.status).toBe(401);
      expect(await res.text()).toContain('Invalid API key or format');
    }
  });

  it('200 with the first 20 users for the right token', async () => {
    const { status, body, res } = await getJson(`${pg.url}/auth/http_bearer`, {
      headers: { authorization: `Bearer ${TOKEN}` },
    });
    expect(status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/json');
    expect(body.data).toEqual(generateUsers(42).slice(0, 20));
  });
});

describe('pagination', () => {
  it('next_page_url walks every user once', async () => {
    const seen: User[] = [];
    let url: string | null = `${pg.url}/pagination/next_page_url?per_page=17`;
    let pages = 0;
    while (url) {
      const { status, body } = await getJson(url);
      expect(status).toBe(200);
      expect(body.total_items).toBe(200);
      expect(body.per_page).toBe(17);
      expect(body.page).toBe(pages + 1);
      seen.push(...body.data);
      url = body.next_page_url;
      if (url) {
        expect(url.startsWith(`${pg.url}/pagination/next_page_url?page=${pages + 2}&per_page=17`)).toBe(true);
        expect(url).toContain('&order_by=updatedAt&order_type=asc');
      }
      pages++;
    }
    expect(pages).toBe(12);
    expectAllOnce(seen);
    expectSorted(seen, 'updatedAt');
  });

  it('next_page_url keeps order and updated_since in the link', async () => {
    const since = generateUsers(42)[100]!.updatedAt;
    const { body } = await getJson(
      `${pg.url}/pagination/next_page_url?order_by=createdAt&order_type=desc&per_page=5&updated_since=${since}`,
    );
    expect(body.next_page_url).toBe(
      `${pg.url}/pagination/next_page_url?page=2&per_page=5&order_by=createdAt&order_type=desc&updated_since=${since}`,
    );
    expectSorted(body.data, 'createdAt', 'desc');
  });

  it('page_number walks every user once', async () => {
    const seen: User[] = [];
    let page = 1;
    let totalPages = Infinity;
    while (page <= totalPages) {
      const { status, body } = await getJson(`${pg.url}/pagination/page_number?page=${page}&per_page=30`);
      expect(status).toBe(200);
      expect(body).toMatchObject({ page, page_size: 30, total_pages: 7, total_items: 200 });
      totalPages = body.total_pages;
      seen.push(...body.data);
      page++;
    }
    expectAllOnce(seen);
    expectSorted(seen, 'updatedAt');
  });

  it('offset walks every user once', async () => {
    const seen: User[] = [];
    let offset = 0;
    let total = Infinity;
    while (offset < total) {
      const { status, body } = await getJson(
        `${pg.url}/pagination/offset?offset=${offset}&limit=50&order_by=createdAt&order_type=desc`,
      );
      expect(status).toBe(200);
      expect(body).toMatchObject({ offset, limit: 50, total: 200 });
      total = body.total;
      seen.push(...body.data);
      offset += body.limit;
    }
    expectAllOnce(seen);
    expectSorted(seen, 'createdAt', 'desc');
  });

  it('keyset walks every user once in pages of 50', async () => {
    const seen: User[] = [];
    let scroll: string | null = null;
    let pages = 0;
    do {
      const q: string = scroll ? `?scroll_param=${encodeURIComponent(scroll)}` : '';
      const { status, body } = await getJson(`${pg.url}/pagination/keyset${q}`);
      expect(status).toBe(200);
      pages++;
      if (body.scroll_param) {
        expect(body.data).toHaveLength(50);
        expect(Buffer.from(body.scroll_param, 'base64').toString()).toBe(body.data[49].updatedAt);
      }
      seen.push(...body.data);
      scroll = body.scroll_param;
    } while (scroll);
    expect(pages).toBe(4);
    expectAllOnce(seen);
    expectSorted(seen, 'updatedAt');
  });

  it('updated_since keeps updatedAt >= since, on every paginator', async () => {
    const all = generateUsers(42);
    const since = [...all].sort((a, b) => (a.updatedAt < b.updatedAt ? -1 : 1))[150]!.updatedAt;
    const expected = all.filter((u) => u.updatedAt >= since).length;
    expect(expected).toBeGreaterThanOrEqual(50);
    const pn = await getJson(`${pg.url}/pagination/page_number?per_page=50&updated_since=${since}`);
    expect(pn.body.total_items).toBe(expected);
    expect(pn.body.data.every((u: User) => u.updatedAt >= since)).toBe(true);
    const off = await getJson(`${pg.url}/pagination/offset?updated_since=${since}`);
    expect(off.body.total).toBe(expected);
    const nu = await getJson(`${pg.url}/pagination/next_page_url?updated_since=${since}`);
    expect(nu.body.total_items).toBe(expected);
    const ks = await getJson(`${pg.url}/pagination/keyset?updated_since=${since}`);
    expect(ks.body.data[0].updatedAt).toBe(since);
  });

  it('rejects updated_since without Z, or malformed', async () => {
    for (const path of ['next_page_url', 'page_number', 'offset', 'keyset']) {
      const missing = await getJson(`${pg.url}/pagination/${path}?updated_since=2025-12-01T00:00:00`);
      expect(missing.status).toBe(400);
      expect(missing.body).toEqual({ error: "Invalid date format for 'updated_since'. Must end with 'Z' for UTC" });
      const bad = await getJson(`${pg.url}/pagination/${path}?updated_since=2025-02-30T00:00:00Z`);
      expect(bad.status).toBe(400);
      expect(bad.body).toEqual({ error: "Invalid date format for 'updated_since'. Use 'YYYY-MM-DDTHH:MM:SSZ'" });
    }
  });

  it('rejects unknown query parameters', async () => {
    const r = await getJson(`${pg.url}/pagination/page_number?page=1&foo=1&bar=2`);
    expect(r.status).toBe(400);
    expect(r.body).toEqual({ error: 'Unexpected query parameters: foo, bar' });
    const k = await getJson(`${pg.url}/pagination/keyset?per_page=10`);
    expect(k.status).toBe(400);
    expect(k.body).toEqual({ error: 'Unexpected query parameters: per_page' });
  });

  it('validates sizes, page, offset and ordering', async () => {
    const cases: Array<[string, string]> = [
      ['next_page_url?per_page=0', "Invalid value for 'per_page'. It should be between 1 and 50."],
      ['page_number?per_page=51', "Invalid value for 'per_page'. It should be between 1 and 50."],
      ['page_number?page=0', "Invalid value for 'page'. It must be greater than or equal to 1."],
      ['offset?limit=51', "Invalid value for 'limit'. It should be between 1 and 50."],
      ['offset?offset=-1', "Invalid value for 'offset'. It must be greater than or equal to 0."],
      ['offset?order_by=name', "Invalid value for 'order_by'. Use 'createdAt' or 'updatedAt'"],
      ['page_number?order_type=up', "Invalid value for 'order_type'. Use 'asc' or 'desc'"],
      ['keyset?scroll_param=!!!', 'Invalid scroll_param value'],
      [
        'keyset?scroll_param=MjAyNS0xMi0wMVQwMDowMDowMFo%3D&updated_since=2025-12-01T00:00:00Z',
        "You can only use 'updated_since' in first request, subsequent requests should use only 'scroll_param'",
      ],
    ];
    for (const [q, error] of cases) {
      const r = await getJson(`${pg.url}/pagination/${q}`);
      expect(r.status, q).toBe(400);
      expect(r.body, q).toEqual({ error });
    }
    // Flask's type=int falls back to the default for non-integers.
    const d = await getJson(`${pg.url}/pagination/offset?limit=abc`);
    expect(d.status).toBe(200);
    expect(d.body.limit).toBe(10);
  });
});

describe('admin and faults', () => {
  it('health, stats and 404', async () => {
    expect((await getJson(`${pg.url}/__playground/health`)).body.status).toBe('ok');
    expect((await getJson(`${pg.url}/__playground/stats`)).body).toMatchObject({ playground: { users: 200 } });
    const nf = await getJson(`${pg.url}/nope`);
    expect(nf.status).toBe(404);
    expect(nf.body.error).toBe('Not Found');
  });

  it('mutate moves updatedAt to now, changes job, and the record shows up after a since filter', async () => {
    const own = await startPlayground({ port: 0, seed: 42, token: TOKEN, scale: 1 });
    try {
      const since = new Date(Math.floor(Date.now() / 1000) * 1000).toISOString().slice(0, 19) + 'Z';
      const before = await getJson(`${own.url}/pagination/offset?updated_since=${since}`);
      expect(before.body.total).toBe(0);
      const m = await getJson(`${own.url}/__playground/mutate?count=3`, { method: 'POST' });
      expect(m.status).toBe(200);
      // 3 users, plus one department of each of the first ceil(3/2) = 2 companies.
      expect(m.body).toMatchObject({ changed: { playground: 5 } });
      const departments = await getJson(`${own.url}/cursors/1/departments?updated_since=${since}`);
      expect(departments.body.total_items).toBe(1);
      const after = await getJson(`${own.url}/pagination/offset?updated_since=${since}`);
      expect(after.body.total).toBe(3);
      const original = new Map(generateUsers(42).map((u) => [u.id, u]));
      const oldest = [...original.values()].sort((a, b) => (a.updatedAt < b.updatedAt ? -1 : 1)).slice(0, 3);
      expect(after.body.data.map((u: User) => u.id).sort()).toEqual(oldest.map((u) => u.id).sort());
      for (const u of after.body.data as User[]) {
        expect(u.updatedAt).toMatch(TS_RE);
        expect(u.updatedAt >= since).toBe(true);
        expect(u.job).not.toBe(original.get(u.id)!.job);
      }
      // Mutated users now sort last by updatedAt.
      const last = await getJson(`${own.url}/pagination/offset?offset=197&limit=3`);
      expect(last.body.data.map((u: User) => u.id).sort()).toEqual(oldest.map((u) => u.id).sort());
      expect((await getJson(`${own.url}/__playground/mutate`, { method: 'GET' })).status).toBe(405);
      expect((await getJson(`${own.url}/__playground/mutate?count=x`, { method: 'POST' })).status).toBe(400);
    } finally {
      await own.close();
    }
  });

  it('fault injection answers every Nth request with 429 + Retry-After', async () => {
    const f = await startPlayground({
      port: 0,
      seed: 42,
      token: TOKEN,
      scale: 1,
      faults: [{ status: 429, every: 3 }, { status: 503, every: 4, retryAfter: '7' }],
    });
    try {
      const statuses: number[] = [];
      for (let i = 0; i < 8; i++) {
        // Admin requests are never faulted nor counted.
        expect((await fetch(`${f.url}/__playground/health`)).status).toBe(200);
        const r = await getJson(`${f.url}/pagination/offset`);
        statuses.push(r.status);
        if (r.status === 429) {
          expect(r.res.headers.get('retry-after')).toBe('1');
          expect(r.body).toEqual({ error: 'Rate limit exceeded. Try again later.' });
        }
        if (r.status === 503) {
          expect(r.res.headers.get('retry-after')).toBe('7');
          expect(r.body.error).toBeTypeOf('string');
        }
      }
      expect(statuses).toEqual([200, 200, 429, 503, 200, 429, 200, 503]);
    } finally {
      await f.close();
    }
  });

  it('token-bucket rate limiter like the real playground', async () => {
    const f = await startPlayground({ port: 0, seed: 42, token: TOKEN, scale: 1, rateLimit: { capacity: 2, rps: 0.5 } });
    try {
      const a = await fetch(`${f.url}/pagination/offset`);
      expect(a.status).toBe(200);
      expect(a.headers.get('x-ratelimit-limit')).toBe('2');
      expect(a.headers.get('x-ratelimit-remaining')).toBe('1');
      expect((await fetch(`${f.url}/pagination/offset`)).status).toBe(200);
      const c = await getJson(`${f.url}/pagination/offset`);
      expect(c.status).toBe(429);
      expect(c.body).toEqual({ error: 'Rate limit exceeded' });
      expect(Number(c.res.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
      expect(c.res.headers.get('x-ratelimit-remaining')).toBe('0');
    } finally {
      await f.close();
    }
  });
});

describe('/cursors: companies and their departments', () => {
  it('lists companies and each company\'s departments, sorted and filtered like the pagination endpoints', async () => {
    const companies = await getJson(`${pg.url}/cursors/companies?order_by=updatedAt&order_type=desc`);
    expect(companies.status).toBe(200);
    expect(companies.body.total_items).toBe(2);
    const times = companies.body.data.map((c: { updatedAt: string }) => c.updatedAt);
    expect([...times].sort().reverse()).toEqual(times);
    for (const c of companies.body.data as Array<{ company_id: number }>) {
      const d = await getJson(`${pg.url}/cursors/${c.company_id}/departments`);
      expect(d.status).toBe(200);
      expect(d.body.data.map((x: { department_name: string }) => x.department_name).sort()).toEqual(['Engineering', 'Finance', 'HR', 'Sales']);
      expect(d.body.data.every((x: { company_id: number }) => x.company_id === c.company_id)).toBe(true);
    }
  });

  it('rejects what the real server rejects', async () => {
    expect((await getJson(`${pg.url}/cursors/99/departments`)).status).toBe(404);
    expect((await getJson(`${pg.url}/cursors/abc/departments`)).body.error).toMatch(/must be an integer/);
    expect((await getJson(`${pg.url}/cursors/companies?per_page=5`)).body.error).toMatch(/Unexpected query parameters: per_page/);
    expect((await getJson(`${pg.url}/cursors/companies?updated_since=2025-01-01T00:00:00`)).body.error).toMatch(/Must end with 'Z'/);
  });
});
