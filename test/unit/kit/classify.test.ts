// Response classification (issue 20 #4): declarative rules (status, header, body text, a JSON value)
// and classify hooks, per stream and tap-wide, mapping a response to retry, fail, ignore or end,
// against a local HTTP server.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { describe, it, expect, beforeAll, afterAll, afterEach } from 'vitest';
import { retrieve } from '../../../src/kit/retrieve/retriever.js';
import { requestFor } from '../../../src/kit/retrieve/request-for.js';
import { HttpClient, classifier, type Classification } from '../../../src/kit/http/index.js';
import { UserError } from '../../../src/kit/core/errors.js';
import { Logger } from '../../../src/kit/log/log.js';
import { Redactor } from '../../../src/kit/log/redact.js';
import { noAuth } from '../../../src/kit/http/auth.js';
import { describeRule, ruleMatches, type ResponseRule, type RuleInput } from '../../../src/kit/http/response-rules.js';
import { nextUrl } from '../../../src/kit/paging/index.js';
import { rest } from '../../../src/kit/tap/stream.js';
import { listenLocal } from './support.js';

type Handler = (req: IncomingMessage, res: ServerResponse, hit: number) => void;
let server: Awaited<ReturnType<typeof listenLocal>>;
let handler: Handler;
const hits: string[] = [];
const clients: HttpClient[] = [];

beforeAll(async () => {
  server = await listenLocal((req, res) => {
    hits.push(req.url ?? '');
    handler(req, res, hits.length);
  });
});
afterAll(() => server.close());
afterEach(() => {
  hits.length = 0;
  for (const c of clients.splice(0)) c.close();
});

function json(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  res.writeHead(status, { 'content-type': 'application/json', ...headers });
  res.end(JSON.stringify(body));
}

function setup(o: { maxRetries?: number; backoffSeconds?: number } = {}) {
  const lines: string[] = [];
  const out = { write: (s: string) => { lines.push(s); return true; }, isTTY: false } as unknown as NodeJS.WriteStream;
  const log = new Logger('tap-test', { redactor: new Redactor(), out, level: 'info' });
  const client = new HttpClient({ baseUrl: server.base, auth: noAuth, userAgent: 'tap-test/1.0', timeoutSeconds: 5, maxRetries: o.maxRetries ?? 2, backoffSeconds: o.backoffSeconds ?? 0.01 }, log);
  clients.push(client);
  return { client, text: () => lines.join('') };
}

/** Every record id of `/items` and the pages after it (a `next` link), classified by the scopes given. */
async function ids(client: HttpClient, ...scopes: Classification[]): Promise<number[]> {
  const out: number[] = [];
  const classify = classifier(scopes);
  for await (const page of retrieve({ transport: client, first: client.request('/items'), paginator: nextUrl('next'), selector: 'data', origin: { stream: 's', endpoint: '/items' }, classify })) {
    out.push(...page.records.map((r) => Number(r.id)));
  }
  return out;
}

/** Three pages of one record each, at `/items`, `/items?p=2`, `/items?p=3`. */
function page(req: IncomingMessage, res: ServerResponse, headers: Record<string, string> = {}): void {
  const p = Number(new URL(req.url ?? '/', 'http://x').searchParams.get('p') ?? 1);
  json(res, 200, { data: [{ id: p }], ...(p < 3 ? { next: `/items?p=${p + 1}` } : {}) }, headers);
}

const RATE_LIMITED: ResponseRule = { status: 200, body: { path: 'errors[0].type', equals: 'RATE_LIMITED' }, action: 'retry' };

describe('rule matchers', () => {
  const input = (status: number, headers: RuleInput['headers'], body: unknown): RuleInput => ({ status, headers, text: JSON.stringify(body), json: body });
  it('status: one, a list, a range, a class', () => {
    expect(ruleMatches({ status: 404, action: 'ignore' }, input(404, {}, {}))).toBe(true);
    expect(ruleMatches({ status: [404, '410'], action: 'ignore' }, input(410, {}, {}))).toBe(true);
    expect(ruleMatches({ status: '500-503', action: 'retry' }, input(503, {}, {}))).toBe(true);
    expect(ruleMatches({ status: '500-503', action: 'retry' }, input(504, {}, {}))).toBe(false);
    expect(ruleMatches({ status: '5xx', action: 'retry' }, input(520, {}, {}))).toBe(true);
    expect(ruleMatches({ status: '5xx', action: 'retry' }, input(429, {}, {}))).toBe(false);
  });
  it('header: present, equal, matching; its name in any case', () => {
    const r = input(200, { 'x-last-page': 'true' }, {});
    expect(ruleMatches({ header: { name: 'X-Last-Page' }, action: 'end' }, r)).toBe(true);
    expect(ruleMatches({ header: { name: 'x-last-page', value: 'true' }, action: 'end' }, r)).toBe(true);
    expect(ruleMatches({ header: { name: 'x-last-page', value: 'false' }, action: 'end' }, r)).toBe(false);
    expect(ruleMatches({ header: { name: 'x-last-page', value: /^t/ }, action: 'end' }, r)).toBe(true);
    expect(ruleMatches({ header: { name: 'x-other' }, action: 'end' }, r)).toBe(false);
  });
  it('body: a value at a path (equal, matching, present), text contained; every condition must match', () => {
    const r = input(200, {}, { errors: [{ type: 'RATE_LIMITED', code: 42 }], meta: { done: false } });
    expect(ruleMatches(RATE_LIMITED, r)).toBe(true);
    expect(ruleMatches({ body: { path: '$.errors[0].code', equals: '42' }, action: 'fail' }, r)).toBe(true);
    expect(ruleMatches({ body: { path: 'meta.done', equals: false }, action: 'end' }, r)).toBe(true);
    expect(ruleMatches({ body: { path: 'errors[0].type', matches: /^RATE/ }, action: 'retry' }, r)).toBe(true);
    expect(ruleMatches({ body: { path: 'errors' }, action: 'fail' }, r)).toBe(true);
    expect(ruleMatches({ body: { path: 'data' }, action: 'fail' }, r)).toBe(false);
    expect(ruleMatches({ content: 'RATE_LIMITED', status: 500, action: 'retry' }, r)).toBe(false);
    expect(ruleMatches({ action: 'fail' }, r)).toBe(false);
  });
  it('describes a rule for the log', () => {
    expect(describeRule(RATE_LIMITED)).toBe('status 200 and body errors[0].type == "RATE_LIMITED" -> retry');
    expect(describeRule({ header: { name: 'x-last-page', value: /true/ }, action: 'end' })).toBe('header x-last-page ~ /true/ -> end');
  });
});

describe('classification: rules', () => {
  it('retry: a 200 with a GraphQL-style error body is retried like a 503, counted and logged, then succeeds', async () => {
    handler = (req, res, hit) => (hit <= 2 ? json(res, 200, { errors: [{ type: 'RATE_LIMITED', message: 'slow down' }] }) : page(req, res));
    const { client, text } = setup();
    expect(await ids(client, { responseRules: [RATE_LIMITED] })).toEqual([1, 2, 3]);
    expect(hits).toEqual(['/items', '/items', '/items', '/items?p=2', '/items?p=3']);
    expect(client.retries).toBe(2);
    expect(text()).toContain(`stream 's': GET ${server.base}/items HTTP 200 matched response rule 'status 200 and body errors[0].type == "RATE_LIMITED" -> retry'; retry 1/2 in`);
    expect(text()).toContain('retry 2/2');
  });

  it('retry: gives up after max_retries with one clear line', async () => {
    handler = (_req, res) => json(res, 200, { errors: [{ type: 'RATE_LIMITED', message: 'slow down' }] });
    const { client } = setup();
    const error = await ids(client, { responseRules: [RATE_LIMITED] }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(UserError);
    expect((error as Error).message).toBe(`GET ${server.base}/items failed: HTTP 200 - matched response rule 'status 200 and body errors[0].type == "RATE_LIMITED" -> retry' (slow down); still so after 2 retries`);
    expect(hits).toHaveLength(3);
  });

  it('retry: the wait is read from the header a rule names', async () => {
    handler = (req, res, hit) => (hit === 1 ? json(res, 200, { pending: true }, { 'x-wait': '0' }) : page(req, res));
    // A backoff of a minute: only the header's 0 seconds lets this test end.
    const { client, text } = setup({ backoffSeconds: 60 });
    expect(await ids(client, { responseRules: [{ body: { path: 'pending', equals: true }, action: 'retry', after: 'X-Wait' }] })).toEqual([1, 2, 3]);
    expect(text()).toContain('retry 1/2 in 0.0s (as the server asked)');
  });

  it('end: a header says this is the last page: its records are kept, no further page is asked for', async () => {
    handler = (req, res) => page(req, res, req.url === '/items?p=2' ? { 'x-last-page': 'true' } : {});
    const { client, text } = setup();
    expect(await ids(client, { responseRules: [{ header: { name: 'x-last-page', value: 'true' }, action: 'end' }] })).toEqual([1, 2]);
    expect(hits).toEqual(['/items', '/items?p=2']);
    expect(text()).toContain(`stream 's': HTTP 200 from ${server.base}/items?p=2 matched response rule 'header x-last-page == "true" -> end'`);
  });

  it('end on an error status: the records so far are kept, without failing', async () => {
    handler = (req, res) => (req.url === '/items?p=3' ? json(res, 400, { error: 'page out of range' }) : page(req, res));
    const { client } = setup();
    expect(await ids(client, { responseRules: [{ status: 400, content: 'out of range', action: 'end' }] })).toEqual([1, 2]);
  });

  it('fail: a 200 whose body says the account is suspended stops with the message, naming stream and URL, not retried', async () => {
    handler = (_req, res) => json(res, 200, { status: 'suspended', data: [] });
    const { client } = setup();
    const error = await ids(client, { responseRules: [{ body: { path: 'status', equals: 'suspended' }, action: 'fail', message: 'the account is suspended' }] }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(UserError);
    expect((error as Error).message).toBe(`stream 's': GET ${server.base}/items failed: HTTP 200 - the account is suspended (matched response rule 'body status == "suspended" -> fail')`);
    expect(hits).toHaveLength(1);
  });

  it('fail and ignore on a 503 are final: not retried', async () => {
    handler = (_req, res) => json(res, 503, { error: 'maintenance' });
    const { client } = setup();
    await expect(ids(client, { responseRules: [{ status: '5xx', action: 'fail' }] })).rejects.toThrow(`stream 's': GET ${server.base}/items failed: HTTP 503 - maintenance (matched response rule 'status "5xx" -> fail')`);
    expect(hits).toHaveLength(1);
    expect(await ids(client, { responseRules: [{ status: 503, action: 'ignore' }] })).toEqual([]);
    expect(hits).toHaveLength(2);
  });

  it('without a rule the default holds: a 503 is retried, a 404 fails', async () => {
    handler = (req, res, hit) => (hit === 1 ? json(res, 503, {}) : req.url === '/items?p=3' ? json(res, 404, { error: 'gone' }) : page(req, res));
    const { client } = setup();
    await expect(ids(client, { responseRules: [{ status: 410, action: 'ignore' }] })).rejects.toThrow(/HTTP 404 - gone/);
    expect(hits).toEqual(['/items', '/items', '/items?p=2', '/items?p=3']);
  });
});

describe('classification: hooks and scopes', () => {
  it('the hook runs before the rules; undefined falls through to them', async () => {
    handler = (req, res, hit) => (hit === 1 ? json(res, 200, { errors: [{ type: 'RATE_LIMITED' }] }) : page(req, res));
    const seen: number[] = [];
    const { client, text } = setup({ backoffSeconds: 60 });
    const got = await ids(client, {
      classify: (r) => {
        seen.push(r.status);
        if ((r.json as { errors?: unknown }).errors) return { retry: { afterSeconds: 0 } };
        return r.url.endsWith('p=2') ? 'end' : undefined;
      },
      // The hook decides first: this rule would fail every page.
      responseRules: [{ status: 200, body: { path: 'errors' }, action: 'fail' }, { header: { name: 'content-type' }, action: 'ignore' }],
    });
    expect(got).toEqual([]);
    expect(seen).toEqual([200, 200]);
    expect(text()).toContain("classified 'retry' by the stream classify hook; retry 1/2 in 0.0s (as the server asked)");
    expect(text()).toContain("matched response rule 'header content-type -> ignore'");
  });

  it('a hook says fail, with its message', async () => {
    handler = (req, res) => page(req, res);
    const { client } = setup();
    await expect(ids(client, { classify: (r) => (r.url.endsWith('p=2') ? { fail: 'page 2 is not for us' } : undefined) }))
      .rejects.toThrow(`stream 's': GET ${server.base}/items?p=2 failed: HTTP 200 - page 2 is not for us (classified 'fail' by the stream classify hook)`);
  });

  it('a stream declaration and the tap: the stream\'s hook and rules, then the tap\'s', async () => {
    handler = (req, res) => page(req, res, req.url === '/items?p=2' ? { 'x-last-page': 'yes' } : {});
    const stream = rest<object>({ name: 's', path: '/items', primaryKey: ['id'], records: 'data', paginator: nextUrl('next'), responseRules: [{ status: 404, action: 'ignore' }] });
    const tap: Classification = { responseRules: [{ header: { name: 'x-last-page' }, action: 'end' }] };
    const run = async (scope?: Classification) => {
      const { client } = setup();
      const { path, init, ...reading } = requestFor(stream, { settings: {}, context: {}, syncStart: '' }, scope);
      const out: number[] = [];
      for await (const p of retrieve({ transport: client, first: client.request(path, init), ...reading })) out.push(...p.records.map((r) => Number(r.id)));
      return out;
    };
    expect(await run(tap)).toEqual([1, 2]);
    expect(await run()).toEqual([1, 2, 3]);
    // The stream's own decision comes first.
    const mine = { ...stream, classify: () => 'ignore' as const };
    const { client } = setup();
    const { path, init, ...reading } = requestFor(mine, { settings: {}, context: {}, syncStart: '' }, { classify: () => 'end' });
    const pages = [];
    for await (const p of retrieve({ transport: client, first: client.request(path, init), ...reading })) pages.push(p);
    expect(pages).toEqual([]);
  });
});
