import type { IncomingMessage, ServerResponse } from 'node:http';
import { describe, it, expect, beforeAll, afterAll, afterEach } from 'vitest';
import { retrieve } from '../../../src/kit/retrieve/retriever.js';
import { HttpClient, serverDelaySeconds, serverMessage, selectRecords, type HttpClientOptions } from '../../../src/kit/http/index.js';
import { Logger } from '../../../src/kit/log/log.js';
import { Redactor } from '../../../src/kit/log/redact.js';
import { apiKey, bearer, noAuth, registerSecrets, type Authenticator } from '../../../src/kit/http/auth.js';
import { HttpError, UserError } from '../../../src/kit/core/errors.js';
import { fromLastValue, nextUrl, offset, pageNumber, singlePage } from '../../../src/kit/paging/index.js';
import { listenLocal } from './support.js';

type Handler = (req: IncomingMessage, res: ServerResponse, n: number) => void;
let server: Awaited<ReturnType<typeof listenLocal>>;
let base: string;
let handler: Handler = (_req, res) => res.end('{}');
let hits: Array<{ method: string; url: string; headers: IncomingMessage['headers']; body: string }> = [];
const clients: HttpClient[] = [];

beforeAll(async () => {
  server = await listenLocal((req, res) => {
    const hit = { method: req.method ?? '', url: req.url ?? '', headers: req.headers, body: '' };
    hits.push(hit);
    req.setEncoding('utf8').on('data', (chunk: string) => { hit.body += chunk; });
    req.on('end', () => handler(req, res, hits.length));
  });
  base = server.base;
});

afterAll(() => server.close());

afterEach(() => {
  hits = [];
  for (const c of clients.splice(0)) c.close();
});

function json(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  res.writeHead(status, { 'content-type': 'application/json', ...headers });
  res.end(JSON.stringify(body));
}

function setup(opts: Partial<HttpClientOptions> & { auth?: Authenticator } = {}) {
  const redactor = new Redactor();
  const lines: string[] = [];
  const out = { write: (s: string) => { lines.push(s); return true; }, isTTY: false } as unknown as NodeJS.WriteStream;
  const log = new Logger('tap-test', { redactor, out, level: 'info' });
  const auth = opts.auth ?? noAuth;
  registerSecrets(auth, redactor);
  const client = new HttpClient({ baseUrl: base, auth, userAgent: 'tap-test/1.0', timeoutSeconds: 5, maxRetries: 3, backoffSeconds: 0.01, ...opts }, log);
  clients.push(client);
  return { client, log: () => lines.join(''), redactor };
}

const origin = { stream: 'items', endpoint: '/items' };

async function failure(p: Promise<unknown>): Promise<Error> {
  try {
    await p;
  } catch (error) {
    return error as Error;
  }
  throw new Error('expected a failure');
}

describe('serverDelaySeconds', () => {
  const now = Date.UTC(2024, 0, 1, 12, 0, 0);
  it('Retry-After in seconds', () => {
    expect(serverDelaySeconds({ 'retry-after': '5' }, now)).toBe(5);
    expect(serverDelaySeconds({ 'retry-after': '0' }, now)).toBe(0);
    expect(serverDelaySeconds({ 'retry-after': ['7', '9'] }, now)).toBe(7);
  });
  it('Retry-After as an HTTP date', () => {
    expect(serverDelaySeconds({ 'retry-after': new Date(now + 30_000).toUTCString() }, now)).toBe(30);
    expect(serverDelaySeconds({ 'retry-after': new Date(now - 30_000).toUTCString() }, now)).toBe(0);
  });
  it('X-RateLimit-Reset as an epoch or a delta', () => {
    expect(serverDelaySeconds({ 'x-ratelimit-reset': String(now / 1000 + 42) }, now)).toBe(42);
    expect(serverDelaySeconds({ 'x-ratelimit-reset': String(now / 1000 - 42) }, now)).toBe(0);
    expect(serverDelaySeconds({ 'x-ratelimit-reset': '17' }, now)).toBe(17);
    expect(serverDelaySeconds({ 'ratelimit-reset': '3' }, now)).toBe(3);
  });
  it('Retry-After wins; nothing usable means undefined', () => {
    expect(serverDelaySeconds({ 'retry-after': '2', 'x-ratelimit-reset': '50' }, now)).toBe(2);
    expect(serverDelaySeconds({}, now)).toBeUndefined();
    expect(serverDelaySeconds({ 'retry-after': 'soon' }, now)).toBeUndefined();
    expect(serverDelaySeconds({ 'x-ratelimit-reset': 'x' }, now)).toBeUndefined();
  });
});

describe('serverMessage and selectRecords', () => {
  it('takes error, message, errors[0] from JSON bodies', () => {
    expect(serverMessage('{"error":"bad thing"}')).toBe('bad thing');
    expect(serverMessage('{"message":"not found"}')).toBe('not found');
    expect(serverMessage('{"errors":[{"detail":"d1"},{"detail":"d2"}]}')).toBe('d1');
    expect(serverMessage('{"errors":["first","second"]}')).toBe('first');
    expect(serverMessage('{"error":{"message":"nested"}}')).toBe('nested');
    expect(serverMessage(Buffer.from('{"message":"buf"}'))).toBe('buf');
  });
  it('a symbolic code leads the message (Harness, Google, many others); numeric codes do not', () => {
    expect(serverMessage('{"status":"ERROR","code":"INVALID_REQUEST","message":"Invalid account"}')).toBe('INVALID_REQUEST: Invalid account');
    expect(serverMessage('{"code":"INVALID_TOKEN"}')).toBe('INVALID_TOKEN');
    expect(serverMessage('{"code":"NOT_FOUND","message":"NOT_FOUND: gone"}')).toBe('NOT_FOUND: gone');
    expect(serverMessage('{"code":404,"message":"gone"}')).toBe('gone');
    expect(serverMessage('{"code":"404","message":"gone"}')).toBe('gone');
    expect(serverMessage('{"code":"E1","error":{"message":"nested"}}')).toBe('E1: nested');
  });
  it('reduces HTML to text', () => {
    const msg = serverMessage('<html><head><title>401 Unauthorized</title></head><body><h1>Oops</h1><p>Invalid <b>token</b>\n given</p></body></html>');
    expect(msg).toBe('401 Unauthorized Invalid token given');
  });
  it('selectRecords finds records by path; a value that is not an object is one {value} record (dlt\'s normaliser wraps it so)', () => {
    expect(selectRecords({ data: [{ a: 1 }] }, 'data', 'x')).toEqual([{ a: 1 }]);
    expect(selectRecords({ data: { a: 1 } }, 'data', 'x')).toEqual([{ a: 1 }]);
    expect(selectRecords([{ a: 1 }], undefined, 'x')).toEqual([{ a: 1 }]);
    expect(selectRecords({ data: null }, 'data', 'x')).toEqual([]);
    expect(selectRecords({ d: 1 }, (b) => (b as { d: number }).d === 1 ? [{ ok: true }] : [], 'x')).toEqual([{ ok: true }]);
    expect(selectRecords({ data: [1, null, 'b', [2]] }, 'data', "stream 'x'")).toEqual([{ value: 1 }, { value: 'b' }, { value: [2] }]);
    expect(selectRecords(7, '$', 'x')).toEqual([{ value: 7 }]);
    expect(selectRecords('some text', undefined, 'x')).toEqual([{ value: 'some text' }]);
    const list = [{ a: 1 }, { a: 2 }];
    // Records that are objects: the very list, not a copy.
    expect(selectRecords(list, undefined, 'x')).toBe(list);
  });
});

describe('HttpClient.json', () => {
  it('sends user agent and auth; parses JSON', async () => {
    handler = (_req, res) => json(res, 200, { ok: true });
    const { client } = setup({ auth: bearer('tok-abcdef') });
    const { body } = await client.json(client.request('/items', { params: { a: 1, skip: undefined } }), origin);
    expect(body).toEqual({ ok: true });
    expect(hits).toHaveLength(1);
    expect(hits[0]!.url).toBe('/items?a=1');
    expect(hits[0]!.headers['user-agent']).toBe('tap-test/1.0');
    expect(hits[0]!.headers.authorization).toBe('Bearer tok-abcdef');
  });

  it('retries 503 and 429, then succeeds, logging each retry', async () => {
    handler = (_req, res, n) => {
      if (n === 1) json(res, 503, { error: 'down' });
      else if (n === 2) json(res, 429, { error: 'slow down' });
      else json(res, 200, { ok: n });
    };
    const { client, log } = setup();
    const { body } = await client.json(client.request('/items'), origin);
    expect(body).toEqual({ ok: 3 });
    expect(hits).toHaveLength(3);
    expect(log()).toMatch(/WARN tap-test stream 'items': GET http:\/\/127\.0\.0\.1:\d+\/items HTTP 503; retry 1\/3/);
    expect(log()).toMatch(/HTTP 429; retry 2\/3/);
    expect(log()).toContain('METRIC: {"type":"timer","metric":"http_request_duration"');
    expect(log()).toContain('"http_status_code":503');
    expect(client.requestCounts.get('items')).toBe(3);
  });

  it('honours Retry-After: 1', async () => {
    handler = (_req, res, n) => (n === 1 ? json(res, 429, {}, { 'retry-after': '1' }) : json(res, 200, { ok: true }));
    const { client, log } = setup();
    const t0 = performance.now();
    await client.json(client.request('/items'), origin);
    const elapsed = performance.now() - t0;
    expect(elapsed).toBeGreaterThanOrEqual(950);
    expect(elapsed).toBeLessThan(3000);
    expect(hits).toHaveLength(2);
    expect(log()).toContain('in 1.0s (as the server asked)');
  });

  it('honours an HTTP-date Retry-After', async () => {
    handler = (_req, res, n) => (n === 1 ? json(res, 503, {}, { 'retry-after': new Date(Date.now() + 2000).toUTCString() }) : json(res, 200, { ok: true }));
    const { client, log } = setup();
    const t0 = performance.now();
    await client.json(client.request('/items'), origin);
    const elapsed = performance.now() - t0;
    // HTTP dates have one-second precision: the wait is between 1 and 2 seconds
    expect(elapsed).toBeGreaterThanOrEqual(900);
    expect(elapsed).toBeLessThan(3000);
    expect(hits).toHaveLength(2);
    expect(log()).toContain('(as the server asked)');
  });

  it('Retry-After: 0 or a past date still retries (at once)', async () => {
    handler = (_req, res, n) => {
      if (n === 1) json(res, 503, {}, { 'retry-after': '0' });
      else if (n === 2) json(res, 429, {}, { 'retry-after': new Date(Date.now() - 60_000).toUTCString() });
      else json(res, 200, { ok: true });
    };
    const { client } = setup();
    const t0 = performance.now();
    const { body } = await client.json(client.request('/items'), origin);
    expect(body).toEqual({ ok: true });
    expect(hits).toHaveLength(3);
    expect(performance.now() - t0).toBeLessThan(1000);
  });

  it('a Retry-After beyond maxRetryAfterSeconds is waited for up to the cap, and the log says so (issue 9 #13)', async () => {
    handler = (_req, res) => json(res, 429, { error: 'quota' }, { 'retry-after': '3600' });
    const { client, log } = setup({ maxRetryAfterSeconds: 0.02, maxRetries: 2 });
    const e = await failure(client.json(client.request('/items'), origin));
    expect(e).toBeInstanceOf(HttpError);
    expect((e as HttpError).status).toBe(429);
    expect(hits).toHaveLength(3);
    expect(log()).toContain('HTTP 429; retry 1/2 in 0.0s (the server asked for 3600s; capped at 0.02s)');
  });

  it('an empty Retry-After is no hint, and X-RateLimit-Reset is not obeyed on a 502 (issue 9 #13)', async () => {
    expect(serverDelaySeconds({ 'retry-after': '' })).toBeUndefined();
    expect(serverDelaySeconds({ 'retry-after': ' ' }, 0, 503)).toBeUndefined();
    expect(serverDelaySeconds({ 'x-ratelimit-reset': '3000' }, 0, 502)).toBeUndefined();
    expect(serverDelaySeconds({ 'x-ratelimit-reset': '30' }, 0, 429)).toBe(30);
    expect(serverDelaySeconds({ 'x-ratelimit-reset': '30', 'x-ratelimit-remaining': '0' }, 0, 403)).toBe(30);
    expect(serverDelaySeconds({ 'x-ratelimit-reset': '30' }, 0, 403)).toBeUndefined();
    handler = (_req, res, n) => (n === 1 ? json(res, 502, { error: 'bad gateway' }, { 'x-ratelimit-reset': '3000' }) : json(res, 200, { ok: true }));
    const { client, log } = setup();
    expect((await client.json(client.request('/items'), origin)).body).toEqual({ ok: true });
    expect(log()).not.toContain('as the server asked');
  });

  it('a 403 saying the rate-limit quota is spent is retried; a plain 403 is not (issue 9 #13)', async () => {
    handler = (_req, res, n) => (n === 1 ? json(res, 403, { message: 'API rate limit exceeded' }, { 'x-ratelimit-remaining': '0', 'x-ratelimit-reset': '0' }) : json(res, 200, { ok: true }));
    const { client } = setup();
    expect((await client.json(client.request('/items'), origin)).body).toEqual({ ok: true });
    hits = [];
    handler = (_req, res) => json(res, 403, { message: 'forbidden' });
    await failure(client.json(client.request('/items'), origin));
    expect(hits).toHaveLength(1);
  });

  it('a truncated 200 is retried and logged as a truncated response (issue 9 #12)', async () => {
    handler = (_req, res, n) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(n === 1 ? '{"data": [{"id": 1}, {"id"' : '{"data": [{"id": 1}]}');
    };
    const { client, log } = setup();
    expect((await client.json(client.request('/items'), origin)).body).toEqual({ data: [{ id: 1 }] });
    expect(log()).toContain('truncated response (26 characters, not complete JSON); retry 1/3');
    expect(log()).not.toContain('HTTP 200');
  });

  it('a reset mid-body is logged as a truncated response, not "HTTP 200" (issue 9 #12)', async () => {
    handler = (_req, res, n) => {
      if (n > 1) return json(res, 200, { ok: true });
      res.writeHead(200, { 'content-type': 'application/json', 'content-length': '100' });
      res.write('{"data": [');
      setTimeout(() => res.socket?.destroy(), 5);
    };
    const { client, log } = setup();
    expect((await client.json(client.request('/items'), origin)).body).toEqual({ ok: true });
    expect(log()).toMatch(/truncated response \(\w+\); retry 1\/3/);
    expect(log()).not.toContain('HTTP 200');
  });

  it('gives up after maxRetries with the last status', async () => {
    handler = (_req, res) => json(res, 502, { message: 'bad gateway' });
    const { client } = setup({ maxRetries: 2 });
    const e = await failure(client.json(client.request('/items'), origin));
    expect(e).toBeInstanceOf(HttpError);
    expect(e.message).toMatch(/HTTP 502 - bad gateway/);
    expect(hits).toHaveLength(3);
  });

  it('maxRetries: 0 fails at once', async () => {
    handler = (_req, res) => json(res, 503, { error: 'down' });
    const { client, log } = setup({ maxRetries: 0 });
    const e = await failure(client.json(client.request('/items'), origin));
    expect(e).toBeInstanceOf(HttpError);
    expect((e as HttpError).status).toBe(503);
    expect(hits).toHaveLength(1);
    expect(log()).not.toContain('retry');
  });

  it('a 404 fails at once, naming method, URL, status and the JSON error', async () => {
    handler = (_req, res) => json(res, 404, { error: 'no such project' });
    const { client } = setup();
    const e = await failure(client.json(client.request('/projects/7', { params: { page: 2 } }), origin));
    expect(hits).toHaveLength(1);
    expect(e).toBeInstanceOf(HttpError);
    expect(e).toBeInstanceOf(UserError);
    const h = e as HttpError;
    expect(h.method).toBe('GET');
    expect(h.status).toBe(404);
    expect(h.url).toBe(`${base}/projects/7?page=2`);
    expect(e.message).toBe(`GET ${base}/projects/7?page=2 failed: HTTP 404 - no such project`);
  });

  it('message and errors[] bodies', async () => {
    handler = (req, res) => (req.url === '/m' ? json(res, 400, { message: 'bad filter' }) : json(res, 422, { errors: [{ title: 'Invalid', detail: 'since must be a date' }] }));
    const { client } = setup();
    expect((await failure(client.json(client.request('/m'), origin))).message).toMatch(/HTTP 400 - bad filter$/);
    expect((await failure(client.json(client.request('/e'), origin))).message).toMatch(/HTTP 422 - since must be a date$/);
  });

  it('an HTML 401 is reduced to text, with a credentials hint', async () => {
    handler = (_req, res) => {
      res.writeHead(401, { 'content-type': 'text/html' });
      res.end('<html><head><title>401 Authorization Required</title></head><body><center><h1>401</h1></center><p>Bad credentials</p></body></html>');
    };
    const { client } = setup();
    const e = await failure(client.json(client.request('/items'), origin));
    expect(e.message).toContain('HTTP 401 - Authorization Required Bad credentials (check the credentials in the config)');
    expect(e.message).not.toMatch(/[<>]/);
  });

  it('a 200 that is not JSON is an HttpError (after its retries)', async () => {
    handler = (_req, res) => res.end('<html>maintenance</html>');
    const { client } = setup({ maxRetries: 1 });
    const e = await failure(client.json(client.request('/items'), origin));
    expect(e).toBeInstanceOf(HttpError);
    expect(e.message).toMatch(/response is not JSON/);
  });

  it('an unreachable server is an HttpError with no response', async () => {
    const { client } = setup({ baseUrl: 'http://127.0.0.1:1', maxRetries: 0 });
    const e = await failure(client.json(client.request('/items'), origin));
    expect(e).toBeInstanceOf(HttpError);
    expect(e.message).toMatch(/failed: no response - connection refused \(is the server up, and is the base URL right\?\)$/);
  });
});

describe('secrets never leak', () => {
  const QUERY_SECRET = 'qs-SECRET-4f9d2a';
  const TOKEN = 'bearer-SECRET-77c1e0';

  it('a query-string api key is redacted from retry logs and errors (sensitive and custom param names)', async () => {
    // the server echoes the URL it got, as some APIs do
    handler = (req, res) => json(res, 500, { error: `failed for ${req.url}` });
    for (const name of ['api_key', 'x_custom']) {
      const { client, log } = setup({ auth: apiKey({ name, value: QUERY_SECRET, location: 'query' }), maxRetries: 1 });
      const e = await failure(client.json(client.request('/items', { params: { q: 'x' } }), origin));
      expect(hits.at(-1)!.url).toContain(QUERY_SECRET); // it was really sent
      expect(e.message).not.toContain(QUERY_SECRET);
      expect(e.message).toContain(`${name}=***`);
      expect((e as HttpError).url).not.toContain(QUERY_SECRET);
      expect(log()).toContain('retry 1/1');
      expect(log()).not.toContain(QUERY_SECRET);
      expect(log()).toContain(`${name}=***`);
    }
  });

  it('a bearer token echoed by the server is redacted', async () => {
    handler = (req, res) => json(res, 401, { message: `token ${req.headers.authorization} is revoked` });
    const { client, log } = setup({ auth: bearer(TOKEN) });
    const e = await failure(client.json(client.request('/items'), origin));
    expect(e.message).toContain('token Bearer *** is revoked');
    expect(e.message).not.toContain(TOKEN);
    expect(log()).not.toContain(TOKEN);
  });

  it('pagination errors are redacted too', async () => {
    handler = (req, res) => json(res, 200, { data: [{ id: 1 }], next: req.url });
    const { client, log } = setup({ auth: apiKey({ name: 'x_custom', value: QUERY_SECRET, location: 'query' }) });
    const e = await failure((async () => {
      for await (const _ of retrieve({ transport: client, first: client.request('/items'), paginator: nextUrl('next'), selector: 'data', origin })) { /* drain */ }
    })());
    expect(e).toBeInstanceOf(UserError);
    expect(e.message).not.toContain(QUERY_SECRET);
    expect(log()).not.toContain(QUERY_SECRET);
  });
});

describe('HttpClient.pages', () => {
  /**
   * Rows sharing one value fill more than a page (values 1, then six 5s, then 9, two per page), so the
   * group of 5s is paged by position from `since=5`. When `churn` allows, asking a position past the
   * group's start moves the group's first row (already read) to the end with a new value: the group
   * slides back one place under the reader.
   */
  function tiedGroup(churn: number) {
    let clock = 100;
    const rows = [{ id: 1, at: 1 }, ...[2, 3, 4, 5, 6, 7].map((id) => ({ id, at: 5 })), { id: 8, at: 9 }];
    handler = (req, res) => {
      const url = new URL(req.url ?? '/', base);
      const since = Number(url.searchParams.get('since'));
      const at = Number(url.searchParams.get('offset') ?? 0);
      const from = rows.filter((r) => r.at >= since);
      if (at > 0 && since === 5 && from[0]?.at === 5 && churn-- > 0) {
        (from[0] as { at: number }).at = ++clock;
        rows.sort((a, b) => a.at - b.at || a.id - b.id);
      }
      json(res, 200, { data: rows.filter((r) => r.at >= since).slice(at, at + 2) });
    };
    return rows;
  }
  const fromLast = () => fromLastValue(offset({ limit: 2 }), { param: 'since', key: 'at' });

  it('a position within a group of one value is yielded only once the page before it, read again, holds the same rows; else the group is read again from its first page', async () => {
    tiedGroup(1);
    const { client, log } = setup();
    const read: number[][] = [];
    const outcome = { settled: true };
    for await (const page of retrieve({ transport: client, first: client.request('/items', { params: { since: 0 } }), paginator: fromLast(), selector: 'data', origin, outcome })) read.push(page.records.map((r) => r.id as number));
    // Offset 2 after row 2 moved answered [5, 6] (row 4 slid back past it): not yielded. The group is
    // read again from its first page ([3, 4]), its positions after it, then on from 9 and from row 2's
    // new value (a short page without a total is not the end: the empty page after it is).
    expect(read).toEqual([[1, 2], [2, 3], [3, 4], [5, 6], [7, 8], [8, 2], [2], []]);
    expect(log()).toMatch(/a row left a group of rows sharing one value .* read again from .*since=5&offset=0/);
    expect(outcome.settled).toBe(true);
  });

  it('a group that keeps moving is read again at most 3 times, then the read stops there (a WARN): nothing past the group is yielded', async () => {
    tiedGroup(Infinity);
    const { client, log } = setup();
    const read: Array<{ id: number; at: number }> = [];
    const outcome = { settled: true };
    for await (const page of retrieve({ transport: client, first: client.request('/items', { params: { since: 0 } }), paginator: fromLast(), selector: 'data', origin, outcome })) read.push(...(page.records as Array<{ id: number; at: number }>));
    // Everything yielded is at or below the group's value: a bookmark cannot pass a row of it not read.
    expect(read.every((r) => r.at <= 5)).toBe(true);
    expect(log()).toMatch(/WARN .*rows sharing one value fill more than a page and kept moving .*\(3 times\).*next run reads on from that value/);
    expect(outcome.settled).toBe(false);
  });

  it('walks a paginated endpoint page by page', async () => {
    handler = (req, res) => {
      const url = new URL(req.url ?? '/', base);
      const p = Number(url.searchParams.get('page') ?? '1');
      json(res, 200, { data: p <= 3 ? [{ id: p * 10 }, { id: p * 10 + 1 }] : [], next: p < 3 ? `/items?page=${p + 1}&per_page=2` : null });
    };
    const { client } = setup({ auth: bearer('tok-xyz123') });
    const pages = [];
    for await (const page of retrieve({ transport: client, first: client.request('/items'), paginator: nextUrl('next', { pageSizeParam: 'per_page', pageSize: 2 }), selector: 'data', origin })) pages.push(page);
    expect(pages).toHaveLength(3);
    expect(pages.flatMap((p) => p.records.map((r) => r.id))).toEqual([10, 11, 20, 21, 30, 31]);
    expect(pages[0]!.status).toBe(200);
    expect(hits.map((h) => h.url)).toEqual(['/items?per_page=2', '/items?page=2&per_page=2', '/items?page=3&per_page=2']);
    // auth applied on every request
    expect(hits.every((h) => h.headers.authorization === 'Bearer tok-xyz123')).toBe(true);
  });

  it('page-number pagination stops on a short page', async () => {
    handler = (req, res) => {
      const p = Number(new URL(req.url ?? '/', base).searchParams.get('page'));
      json(res, 200, p < 3 ? [{ id: p }, { id: p + 100 }] : [{ id: p }]);
    };
    const { client } = setup();
    const ids = [];
    for await (const page of retrieve({ transport: client, first: client.request('/items'), paginator: pageNumber({ pageSizeParam: 'size', pageSize: 2 }), origin })) ids.push(...page.records.map((r) => r.id));
    expect(ids).toEqual([1, 101, 2, 102, 3]);
    expect(hits).toHaveLength(3);
  });

  it('a POST body is sent on every page of a page-number resource (page params in the query)', async () => {
    handler = (req, res) => {
      const p = Number(new URL(req.url ?? '/', base).searchParams.get('page'));
      json(res, 200, { data: { content: p < 2 ? [{ id: p }] : [], totalPages: 5, empty: p >= 2 } });
    };
    const { client } = setup();
    const ids = [];
    const first = client.request('/list', { method: 'POST', params: { account: 'a1' }, json: { filterType: 'PipelineSetup' } });
    const paginator = pageNumber({ start: 0, totalPagesPath: 'data.totalPages', emptyPath: 'data.empty' });
    for await (const page of retrieve({ transport: client, first, paginator, selector: 'data.content', origin })) ids.push(...page.records.map((r) => r.id));
    expect(ids).toEqual([0, 1]);
    expect(hits.map((h) => h.url)).toEqual(['/list?account=a1&page=0', '/list?account=a1&page=1', '/list?account=a1&page=2']);
    for (const h of hits) {
      expect(h.method).toBe('POST');
      expect(JSON.parse(h.body)).toEqual({ filterType: 'PipelineSetup' });
    }
  });

  it('a resource with its own credentials sends them instead of the client\'s', async () => {
    handler = (_req, res) => json(res, 200, { ok: true });
    const { client } = setup({ auth: apiKey({ name: 'x-api-key', value: 'client-key-123' }) });
    const own = apiKey({ name: 'authorization', value: 'sei-key-456', prefix: 'APIKEY' });
    for await (const _ of retrieve({ transport: client, first: client.request('/metric', { method: 'POST', json: {} }), paginator: singlePage(), origin, auth: own })) { /* drain */ }
    expect(hits[0]!.headers.authorization).toBe('APIKEY sei-key-456');
    expect(hits[0]!.headers['x-api-key']).toBeUndefined();
  });

  it('retries inside pagination', async () => {
    handler = (req, res, n) => {
      if (n === 2) return json(res, 503, {});
      const p = Number(new URL(req.url ?? '/', base).searchParams.get('page') ?? '1');
      json(res, 200, { data: [{ id: p }], next: p < 2 ? '/items?page=2' : null });
    };
    const { client } = setup();
    const ids = [];
    for await (const page of retrieve({ transport: client, first: client.request('/items'), paginator: nextUrl(), selector: 'data', origin })) ids.push(...page.records.map((r) => r.id));
    expect(ids).toEqual([1, 2]);
    expect(hits).toHaveLength(3);
  });

  it('a server returning the same next URL is a pagination loop (UserError), not an endless run', async () => {
    handler = (req, res) => json(res, 200, { data: [{ id: 1 }], next: '/items?page=2', self: req.url });
    const { client } = setup();
    const seen: number[] = [];
    const e = await failure((async () => {
      for await (const page of retrieve({ transport: client, first: client.request('/items'), paginator: nextUrl(), selector: 'data', origin })) seen.push(page.records.length);
    })());
    expect(e).toBeInstanceOf(UserError);
    expect(e).not.toBeInstanceOf(HttpError);
    expect(e.message).toMatch(/stream 'items': pagination loop: the json_link paginator asked for http:\/\/127\.0\.0\.1:\d+\/items\?page=2 again/);
    expect(hits).toHaveLength(2);
    expect(seen.length).toBeLessThanOrEqual(2);
  });

  it('a next link back to the first page, its parameters in another order, is caught before it is re-sent (issue 9 #21)', async () => {
    handler = (req, res) => json(res, 200, { data: [{ id: 1 }], next: req.url === '/items?limit=5&offset=0' ? '/items?limit=5&offset=5' : '/items?offset=0&limit=5' });
    const { client } = setup();
    const e = await failure((async () => {
      for await (const _ of retrieve({ transport: client, first: client.request('/items', { params: { limit: 5, offset: 0 } }), paginator: nextUrl(), selector: 'data', origin })) { /* drain */ }
    })());
    expect(e.message).toMatch(/pagination loop/);
    expect(hits.map((h) => h.url)).toEqual(['/items?limit=5&offset=0', '/items?limit=5&offset=5']);
  });

  it('a page answered with the previous page\'s very bytes is an error, not records silently skipped (issue 9 faults)', async () => {
    const bodies = new Map<string, string>();
    handler = (req, res) => {
      const url = req.url ?? '';
      const body = url === '/items?offset=2' ? (bodies.get('/items?offset=1') as string) : JSON.stringify({ data: [{ id: url }], next: url.replace(/\d$/, (d) => String(Number(d) + 1)) });
      bodies.set(url, body);
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(body);
    };
    const { client } = setup();
    const e = await failure((async () => {
      for await (const _ of retrieve({ transport: client, first: client.request('/items', { params: { offset: 0 } }), paginator: nextUrl(), selector: 'data', origin })) { /* drain */ }
    })());
    expect(e.message).toMatch(/answered with a page already read/);
  });

  /**
   * A newest-first list of 9 rows, 2 a page, no total. After the third page is served, two new rows
   * arrive at the top: every row moves down by exactly one page, and page 4 answers page 3's very bytes.
   */
  function movingByAPage() {
    let rows = [9, 8, 7, 6, 5, 4, 3, 2, 1];
    let served = 0;
    handler = (req, res) => {
      const p = Number(new URL(req.url ?? '/', base).searchParams.get('page'));
      json(res, 200, { data: rows.slice((p - 1) * 2, p * 2).map((id) => ({ id })) });
      if (++served === 3) rows = [11, 10, ...rows];
    };
  }

  it('a list that moved by exactly one page answers a page already read: read on, every row once, nothing skipped (F8)', async () => {
    movingByAPage();
    const { client, log } = setup();
    const ids: unknown[] = [];
    for await (const page of retrieve({ transport: client, first: client.request('/items'), paginator: pageNumber({ pageSizeParam: 'size', pageSize: 2 }), selector: 'data', origin })) ids.push(...page.records.map((r) => r.id));
    // Pages 1-3 before the move: 9..4; page 4 now repeats page 3 (5, 4): asked again, then page 3 read again
    // (it moved: 7, 6), so page 4 is not yielded; pages 5 and 6 hold the rest.
    expect(ids).toEqual([9, 8, 7, 6, 5, 4, 3, 2, 1]);
    expect(hits.map((h) => new URL(h.url, base).searchParams.get('page'))).toEqual(['1', '2', '3', '4', '4', '3', '5', '6']);
    expect(log()).toMatch(/answered the rows of a page already read, and the page before it now holds other rows/);
  });

  it('an API answering the same page for every page number is a loop, even asked again (F8 keeps the guard)', async () => {
    handler = (_req, res) => json(res, 200, { data: [{ id: 1 }, { id: 2 }] });
    const { client } = setup();
    const e = await failure((async () => {
      for await (const _ of retrieve({ transport: client, first: client.request('/items'), paginator: pageNumber({ pageSizeParam: 'size', pageSize: 2 }), selector: 'data', origin })) { /* drain */ }
    })());
    expect(e).toBeInstanceOf(UserError);
    expect(e.message).toMatch(/page=2&size=2 answered with a page already read, again when asked again, while the page before it did not change/);
    expect(hits.map((h) => new URL(h.url, base).searchParams.get('page'))).toEqual(['1', '2', '2', '1']);
  });

  it('a wrong page answered once (a proxy repeating the page before) is asked again, and its real rows are read', async () => {
    let wrongOnce = true;
    handler = (req, res) => {
      const p = Number(new URL(req.url ?? '/', base).searchParams.get('page'));
      const shown = p === 3 && wrongOnce ? 2 : p;
      if (p === 3) wrongOnce = false;
      json(res, 200, { data: p > 4 ? [] : [{ id: shown * 10 }, { id: shown * 10 + 1 }] });
    };
    const { client } = setup();
    const ids: unknown[] = [];
    for await (const page of retrieve({ transport: client, first: client.request('/items'), paginator: pageNumber({ pageSizeParam: 'size', pageSize: 2 }), selector: 'data', origin })) ids.push(...page.records.map((r) => r.id));
    expect(ids).toEqual([10, 11, 20, 21, 30, 31, 40, 41]);
  });

  it('an HTTP error on a later page names that page', async () => {
    handler = (req, res) => (req.url === '/items' ? json(res, 200, { data: [{ id: 1 }], next: '/items?page=2' }) : json(res, 403, { error: 'forbidden page' }));
    const { client } = setup();
    const e = await failure((async () => {
      for await (const _ of retrieve({ transport: client, first: client.request('/items'), paginator: nextUrl(), selector: 'data', origin })) { /* drain */ }
    })());
    expect(e).toBeInstanceOf(HttpError);
    expect(e.message).toContain(`GET ${base}/items?page=2 failed: HTTP 403 - forbidden page`);
  });
});

describe('HttpClient.pages in parallel', () => {
  /** Offset pages with a total; answers in reverse order of arrival, counting requests in flight. */
  function offsetServer(total: number) {
    let inFlight = 0;
    let peak = 0;
    handler = (req, res) => {
      const url = new URL(req.url ?? '/', base);
      const off = Number(url.searchParams.get('offset'));
      const limit = Number(url.searchParams.get('limit'));
      inFlight++;
      peak = Math.max(peak, inFlight);
      const ids = Array.from({ length: Math.max(0, Math.min(limit, total - off)) }, (_, i) => ({ id: off + i }));
      setTimeout(() => { inFlight--; json(res, 200, { data: ids, total }); }, 30 - (off / limit) % 3 * 10);
    };
    return { peak: () => peak };
  }

  it('planned pages are requested up to `parallel` at once and come out in order', async () => {
    const server = offsetServer(95);
    const { client } = setup({ maxParallelRequests: 3 });
    const ids: number[] = [];
    for await (const page of retrieve({ transport: client, first: client.request('/items'), paginator: offset({ limit: 10, totalPath: 'total' }), selector: 'data', origin, parallel: 3 })) ids.push(...page.records.map((r) => Number(r.id)));
    expect(ids).toEqual(Array.from({ length: 95 }, (_, i) => i));
    expect(hits).toHaveLength(10);
    expect(server.peak()).toBe(3);
  });

  it('a planned page answered with another page\'s bytes is not taken: the list is read again in order, every row read (F8)', async () => {
    let wrongOnce = true;
    handler = (req, res) => {
      const url = new URL(req.url ?? '/', base);
      let off = Number(url.searchParams.get('offset'));
      // The first answer for offset 30 is offset 20's page (a proxy's stale copy).
      if (off === 30 && wrongOnce) { wrongOnce = false; off = 20; }
      json(res, 200, { data: Array.from({ length: Math.max(0, Math.min(10, 50 - off)) }, (_, i) => ({ id: off + i })), total: 50 });
    };
    const { client, log } = setup({ maxParallelRequests: 3 });
    const ids = new Set<number>();
    for await (const page of retrieve({ transport: client, first: client.request('/items'), paginator: offset({ limit: 10, totalPath: 'total' }), selector: 'data', origin, parallel: 3 })) for (const r of page.records) ids.add(Number(r.id));
    expect([...ids].sort((a, b) => a - b)).toEqual(Array.from({ length: 50 }, (_, i) => i));
    expect(log()).toMatch(/a page answered the rows of another/);
  });

  it('the request budget bounds every stream together', async () => {
    const server = offsetServer(60);
    const { client } = setup({ maxParallelRequests: 2 });
    const read = async () => {
      const ids: number[] = [];
      for await (const page of retrieve({ transport: client, first: client.request('/items'), paginator: offset({ limit: 10, totalPath: 'total' }), selector: 'data', origin, parallel: 8 })) ids.push(...page.records.map((r) => Number(r.id)));
      return ids;
    };
    const [a, b] = await Promise.all([read(), read()]);
    expect(a).toEqual(Array.from({ length: 60 }, (_, i) => i));
    expect(b).toEqual(a);
    expect(server.peak()).toBe(2);
  });

  /**
   * Paths that page by next links (`pages` each, answered after `delayMs(path)`), where `/a`'s page 2
   * is refused once with 429 and `Retry-After: 1`; every request's path, page and start is kept.
   */
  function limitedOnce(pages: number, delayMs: (path: string) => number) {
    const api = { limitedAt: 0, starts: [] as Array<{ path: string; page: number; at: number }> };
    handler = (req, res) => {
      const url = new URL(req.url ?? '/', base);
      const p = Number(url.searchParams.get('page') ?? '1');
      api.starts.push({ path: url.pathname, page: p, at: Date.now() });
      if (url.pathname === '/a' && p === 2 && !api.limitedAt) {
        api.limitedAt = Date.now();
        return json(res, 429, { error: 'slow down' }, { 'retry-after': '1' });
      }
      setTimeout(() => json(res, 200, { data: [{ id: p }], next: p < pages ? `${url.pathname}?page=${p + 1}` : null }), delayMs(url.pathname));
    };
    const { client } = setup({ maxParallelRequests: 4 });
    const read = async (path: string) => {
      const ids: unknown[] = [];
      for await (const page of retrieve({ transport: client, first: client.request(path), paginator: nextUrl(), selector: 'data', origin })) ids.push(...page.records.map((r) => r.id));
      return ids;
    };
    const later = () => api.starts.filter(({ at }) => at > api.limitedAt + 5);
    return { api, read, later };
  }

  it('after a 429 pause the refused request goes first, so one stream is not refused at every pause', async () => {
    const { read, later } = limitedOnce(4, (path) => (path === '/a' ? 0 : 30));
    const results = await Promise.all([read('/a'), read('/b'), read('/c')]);
    for (const ids of results) expect(ids).toEqual([1, 2, 3, 4]);
    // /b and /c were waiting in the pause before /a's retry was due; /a's retry still starts first.
    expect(later().length).toBeGreaterThan(1);
    expect(later()[0]).toMatchObject({ path: '/a', page: 2 });
  });

  it('a 429 on one stream pauses the others too: no request starts before its Retry-After', async () => {
    // /b pages take a while, so /b is still paging when /a is limited.
    const { api, read, later } = limitedOnce(6, (path) => (path === '/b' ? 60 : 0));
    const [a, b] = await Promise.all([read('/a'), read('/b')]);
    expect(a).toEqual([1, 2, 3, 4, 5, 6]);
    expect(b).toEqual([1, 2, 3, 4, 5, 6]);
    expect(later().some(({ path }) => path === '/b')).toBe(true);
    expect(later().every(({ at }) => at >= api.limitedAt + 900)).toBe(true);
  });
});
