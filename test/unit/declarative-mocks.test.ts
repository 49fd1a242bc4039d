// The playground's mocks of the sources known only as dlt definitions, and the catalogue API.
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { startPlayground, type Playground } from '../../src/playground/server.js';

const TOKEN = 'mock-token';
let pg: Playground;
beforeAll(async () => {
  pg = await startPlayground({ port: 0, seed: 42, token: TOKEN, scale: 1 });
});
afterAll(async () => {
  await pg?.close();
});

async function get(path: string, init?: RequestInit): Promise<{ status: number; body: any }> {
  const res = await fetch(pg.url + path, init);
  return { status: res.status, body: await res.json() };
}

describe('monitoring API', () => {
  it('pages {data, offset, limit, total} with the api key in the query; limit capped at 100', async () => {
    const first = await get(`/v1/resource?api_key=${TOKEN}&offset=0&limit=500`);
    expect(first.status).toBe(200);
    expect(first.body).toMatchObject({ offset: 0, limit: 100, total: 250 });
    expect(first.body.data).toHaveLength(100);
    const last = await get(`/v1/resource?api_key=${TOKEN}&offset=200&limit=100`);
    expect(last.body.data.map((r: { id: number }) => r.id)).toEqual(Array.from({ length: 50 }, (_, i) => 201 + i));
  });
  it('403 on a missing or bad key', async () => {
    expect((await get('/v1/resource')).status).toBe(403);
    expect((await get('/v1/resource?api_key=nope')).body.error).toMatch(/invalid api_key/);
  });
});

describe('incident API', () => {
  const auth = { headers: { authorization: `Bearer ${TOKEN}` } };
  it('pages with pagination.next = next page number or null, page size capped at 50', async () => {
    const p1 = await get('/incidents-api/v1/teams?page=1&limit=200', auth);
    expect(p1.body.data).toHaveLength(50);
    expect(p1.body.data[0]).toMatchObject({ id: 'tea_00001', type: 'team', attributes: { name: 'team 1' } });
    expect(p1.body.pagination).toEqual({ next: 2 });
    const p2 = await get('/incidents-api/v1/teams?page=2&limit=200', auth);
    expect(p2.body.data).toHaveLength(25);
    expect(p2.body.pagination).toEqual({ next: null });
  });
  it('401 without the bearer token', async () => {
    expect((await get('/incidents-api/v1/services')).status).toBe(401);
  });
});

describe('catalogue API and OAuth2 token endpoint', () => {
  it('issues client-credentials tokens (HTTP basic) that serve 20 requests', async () => {
    const basic = Buffer.from(`catalog-client:${TOKEN}`).toString('base64');
    const token = await get('/oauth/token', { method: 'POST', headers: { authorization: `Basic ${basic}`, 'content-type': 'application/x-www-form-urlencoded' }, body: 'grant_type=client_credentials' });
    expect(token.body).toMatchObject({ token_type: 'Bearer', expires_in: 3600 });
    const auth = { headers: { authorization: `Bearer ${token.body.access_token}` } };
    for (let i = 0; i < 20; i++) expect((await get('/catalog-api/projects', auth)).status).toBe(200);
    expect((await get('/catalog-api/projects', auth)).status).toBe(401);
    expect((await get('/oauth/token', { method: 'POST', body: 'grant_type=client_credentials' })).status).toBe(401);
  });
  it('projects page by next links; tasks by cursor and has_more', async () => {
    const auth = { headers: { authorization: `Bearer ${TOKEN}` } };
    const p1 = await get('/catalog-api/projects', auth);
    expect(p1.body.projects).toHaveLength(5);
    expect(p1.body.next).toBe(`${pg.url}/catalog-api/projects?after=5`);
    const t1 = await get('/catalog-api/projects/1/tasks', auth);
    expect(t1.body.items.every((t: { project_id: number }) => t.project_id === 1)).toBe(true);
    expect(typeof t1.body.meta.has_more).toBe('boolean');
    expect((await get('/catalog-api/projects/999', auth)).status).toBe(404);
  });
});

describe('catalogue API: records with JavaScript\'s own names as fields', () => {
  it('/odd-keys sends `__proto__`, `constructor`, `toString` as keys; notes are found by a parent\'s `constructor`', async () => {
    const auth = { headers: { authorization: `Bearer ${TOKEN}` } };
    const list = await get('/catalog-api/odd-keys', auth);
    expect(list.status).toBe(200);
    const items = (list.body as { items: Array<Record<string, unknown>> }).items;
    expect(items).toHaveLength(4);
    expect(Object.keys(items[0]!)).toEqual(['id', 'name', '__proto__', 'constructor', 'prototype', 'toString', 'valueOf', 'hasOwnProperty', 'nested', 'updated_at']);
    expect(Object.prototype.hasOwnProperty.call(items[1], 'toString')).toBe(false);
    expect(items[2]!['__proto__']).toBeNull();
    const notes = await get(`/catalog-api/odd-keys/${String(items[0]!.constructor)}/notes`, auth);
    expect((notes.body as { items: unknown[] }).items).toHaveLength(2);
    expect((await get('/catalog-api/odd-keys/builder-9/notes', auth)).status).toBe(404);
  });
});
