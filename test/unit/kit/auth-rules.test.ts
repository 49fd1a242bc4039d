// OAuth2 client credentials, api key in a cookie, and per-stream response rules, against a local server.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { describe, it, expect, beforeAll, afterAll, afterEach } from 'vitest';
import { retrieve } from '../../../src/kit/retrieve/retriever.js';
import { HttpClient } from '../../../src/kit/http/index.js';
import { Logger } from '../../../src/kit/log/log.js';
import { Redactor } from '../../../src/kit/log/redact.js';
import { apiKey, noAuth, registerSecrets, type Authenticator } from '../../../src/kit/http/auth.js';
import { oauth2ClientCredentials } from '../../../src/kit/http/oauth2.js';
import { matchingRules, type ResponseRule } from '../../../src/kit/http/response-rules.js';
import { nextUrl, singlePage } from '../../../src/kit/paging/index.js';
import { listenLocal } from './support.js';

type Handler = (req: IncomingMessage, res: ServerResponse, body: string) => void;
let server: Awaited<ReturnType<typeof listenLocal>>;
let base: string;
let handler: Handler;
const hits: Array<{ url: string; headers: IncomingMessage['headers']; body: string }> = [];
const clients: HttpClient[] = [];

beforeAll(async () => {
  server = await listenLocal((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => { body += c.toString(); });
    req.on('end', () => {
      hits.push({ url: req.url ?? '', headers: req.headers, body });
      handler(req, res, body);
    });
  });
  base = server.base;
});
afterAll(() => server.close());
afterEach(() => {
  hits.length = 0;
  for (const c of clients.splice(0)) c.close();
});

function json(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(JSON.stringify(body));
}

function setup(auth: Authenticator = noAuth) {
  const redactor = new Redactor();
  const lines: string[] = [];
  const out = { write: (s: string) => { lines.push(s); return true; }, isTTY: false } as unknown as NodeJS.WriteStream;
  const log = new Logger('tap-test', { redactor, out, level: 'debug' });
  registerSecrets(auth, redactor);
  const client = new HttpClient({ baseUrl: base, auth, userAgent: 'tap-test/1.0', timeoutSeconds: 5, maxRetries: 1, backoffSeconds: 0.01 }, log);
  clients.push(client);
  return { client, text: () => lines.join('') };
}

async function drain(client: HttpClient, path: string, rules?: ResponseRule[]): Promise<number[]> {
  const ids: number[] = [];
  for await (const page of retrieve({ transport: client, first: client.request(path), paginator: nextUrl('next'), selector: 'data', origin: { stream: 's', endpoint: path }, rules })) ids.push(...page.records.map((r) => Number(r.id)));
  return ids;
}

describe('oauth2ClientCredentials', () => {
  const SECRET = 'client-secret-value-42';
  let issued = 0;
  /** Token endpoint plus an API that accepts each token for `uses` requests. */
  function api(uses: number, expiresIn?: number) {
    issued = 0;
    const left = new Map<string, number>();
    handler = (req, res, body) => {
      if (req.url === '/token') {
        const form = new URLSearchParams(body);
        const basic = Buffer.from(`app:${SECRET}`).toString('base64');
        if (req.headers.authorization !== `Basic ${basic}` || form.get('grant_type') !== 'client_credentials') return json(res, 401, { error: 'invalid_client' });
        const token = `tok-${++issued}-abcdef`;
        left.set(token, uses);
        return json(res, 200, { access_token: token, ...(expiresIn !== undefined ? { expires_in: expiresIn } : {}) });
      }
      const token = (req.headers.authorization ?? '').replace('Bearer ', '');
      const n = left.get(token) ?? 0;
      if (n <= 0) return json(res, 401, { error: 'expired' });
      left.set(token, n - 1);
      const page = Number(new URL(req.url ?? '/', base).searchParams.get('p') ?? 1);
      json(res, 200, { data: [{ id: page }], next: page < 5 ? `/items?p=${page + 1}` : null });
    };
  }
  const auth = (now?: () => number) => oauth2ClientCredentials({ tokenUrl: `${base}/token`, clientId: 'app', clientSecret: SECRET, ...(now ? { now } : {}) });

  it('fetches the token once and reuses it', async () => {
    api(100);
    const { client } = setup(auth());
    expect(await drain(client, '/items')).toEqual([1, 2, 3, 4, 5]);
    expect(hits.filter((h) => h.url === '/token')).toHaveLength(1);
  });

  it('renews the token on a 401 and retries the request once', async () => {
    api(2);
    const { client, text } = setup(auth());
    expect(await drain(client, '/items')).toEqual([1, 2, 3, 4, 5]);
    expect(issued).toBe(3);
    expect(text()).toContain('renewing the access token');
    // neither the client secret nor any token is ever printed
    expect(text()).not.toContain(SECRET);
    expect(text()).not.toMatch(/tok-\d-abcdef/);
  });

  it('renews before expiry', async () => {
    api(100, 120);
    let clock = 0;
    const a = auth(() => clock);
    const first = await a.refresh!(false);
    clock = 30_000;
    expect((await a.refresh!(false)).headers).toEqual(first.headers);
    clock = 110_000; // within the renewal margin of a 120 s token
    expect((await a.refresh!(false)).headers).not.toEqual(first.headers);
    expect(issued).toBe(2);
  });

  it('a refused client is one clear error without the secret', async () => {
    handler = (_req, res) => json(res, 401, { error: 'invalid_client' });
    const { client } = setup(oauth2ClientCredentials({ tokenUrl: `${base}/token`, clientId: 'app', clientSecret: 'wrong-secret-xyz' }));
    const error = await drain(client, '/items').then(() => undefined, (e: Error) => e);
    expect(error?.message).toMatch(/OAuth2 token request to .*\/token failed: HTTP 401 - invalid_client \(check client_id and client_secret\)/);
    expect(error?.message).not.toContain('wrong-secret-xyz');
  });
});

describe('apiKey in a cookie', () => {
  it('sends Cookie: name=value alongside other cookies', async () => {
    handler = (_req, res) => json(res, 200, { data: [] });
    const { client } = setup(apiKey({ name: 'session_key', value: 'k e y', location: 'cookie' }));
    const r = client.request('/items', { headers: { cookie: 'theme=dark' } });
    for await (const _ of retrieve({ transport: client, first: r, paginator: singlePage(), selector: 'data', origin: { stream: 's', endpoint: '/items' } })) { /* drain */ }
    expect(hits[0]?.headers.cookie).toBe('theme=dark; session_key=k%20e%20y');
  });
});

describe("a stream's own authenticator", () => {
  it('replaces the client\'s for that request sequence, next pages included; its secret is redacted', async () => {
    handler = (req, res) => json(res, 200, { data: [{ id: 1 }], next: req.url === '/items' ? '/items?p=2' : null });
    const { client, text } = setup(apiKey({ name: 'x-client-key', value: 'client-key-123' }));
    const own = apiKey({ name: 'x-stream-key', value: 'stream-key-456' });
    for await (const _ of retrieve({ transport: client, first: client.request('/items'), paginator: nextUrl('next'), selector: 'data', origin: { stream: 's', endpoint: '/items' }, auth: own })) { /* drain */ }
    expect(hits.map((h) => [h.headers['x-stream-key'], h.headers['x-client-key']])).toEqual([['stream-key-456', undefined], ['stream-key-456', undefined]]);
    expect(text()).not.toContain('stream-key-456');
  });
});

describe('response rules', () => {
  it('every matching rule applies, in order (dlt applies only the first)', () => {
    const rules: ResponseRule[] = [{ status: 404, action: 'ignore' }, { content: 'not found', action: 'ignore' }, { status: 500, action: 'ignore' }];
    expect(matchingRules(rules, 404, 'resource not found')).toEqual([rules[0], rules[1]]);
    expect(matchingRules(rules, 200, 'not found')).toEqual([rules[1]]);
    expect(matchingRules([{ status: 404, content: 'gone', action: 'ignore' }], 404, 'missing')).toEqual([]);
  });

  it('an ignored 404 ends the sequence without failing; other errors still fail', async () => {
    handler = (req, res) => (req.url === '/items' ? json(res, 200, { data: [{ id: 1 }], next: '/items?p=2' }) : json(res, 404, { error: 'no such page' }));
    const { client, text } = setup();
    expect(await drain(client, '/items', [{ status: 404, action: 'ignore' }])).toEqual([1]);
    expect(text()).toContain("matched response rule 'status 404 -> ignore'");
    await expect(drain(client, '/items', [{ status: 403, action: 'ignore' }])).rejects.toThrow(/HTTP 404/);
  });

  it('a 200 whose body matches a content rule yields no records', async () => {
    handler = (_req, res) => json(res, 200, { data: [{ id: 1 }], note: 'no data for this account' });
    const { client } = setup();
    expect(await drain(client, '/items', [{ content: 'no data for', action: 'ignore' }])).toEqual([]);
  });
});
