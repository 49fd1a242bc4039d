// Paginators as strategy × where the token goes: every strategy (page number, offset, cursor) pages a
// real HTTP server to the end with its token in the query, the JSON body, a header or the URL path.
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HttpClient } from '../../../src/kit/http/transport.js';
import { noAuth } from '../../../src/kit/http/auth.js';
import { Logger } from '../../../src/kit/log/log.js';
import { Redactor } from '../../../src/kit/log/redact.js';
import { retrieve } from '../../../src/kit/retrieve/retriever.js';
import { pageNumber, offset } from '../../../src/kit/paging/paginators.js';
import { cursor } from '../../../src/kit/paging/cursor.js';
import { placeTokens, type TokenPlace } from '../../../src/kit/paging/token-place.js';
import type { Paginator } from '../../../src/kit/paging/page.js';

const ITEMS = Array.from({ length: 7 }, (_, i) => ({ id: i }));
const SIZE = 3;
let server: Server;
let base = '';
/** Where each request carried its token, as the server saw it. */
const seen: string[] = [];

async function body(req: IncomingMessage): Promise<Record<string, unknown>> {
  let text = '';
  for await (const chunk of req) text += String(chunk);
  return text ? (JSON.parse(text) as Record<string, unknown>) : {};
}

/** The token (page, offset or cursor) from wherever this request carries it. */
function tokenOf(req: IncomingMessage, url: URL, json: Record<string, unknown>, name: string): [string, string] | undefined {
  const inPath = /\/items\/at\/([^/]+)$/.exec(url.pathname)?.[1]?.replace(/^first$/, '') || undefined;
  if (url.searchParams.has(name)) return ['query', url.searchParams.get(name) as string];
  const paging = json.paging as Record<string, unknown> | undefined;
  if (paging?.[name] !== undefined) return ['body', String(paging[name])];
  const header = req.headers[`x-${name}`];
  if (typeof header === 'string') return ['header', header];
  if (inPath !== undefined) return ['path', decodeURIComponent(inPath)];
  return undefined;
}

beforeAll(async () => {
  server = createServer((req, res) => {
    void (async () => {
      const url = new URL(req.url ?? '/', 'http://x');
      const json = await body(req);
      const kind = url.searchParams.get('kind') ?? '';
      const token = tokenOf(req, url, json, kind === 'cursor' ? 'cursor' : kind === 'offset' ? 'offset' : 'page');
      if (token) seen.push(token[0]);
      let start = 0;
      if (token && kind === 'page') start = (Number(token[1]) - 1) * SIZE;
      if (token && kind === 'offset') start = Number(token[1]);
      if (token && kind === 'cursor') start = Number(token[1].replace(/^c/, ''));
      const data = ITEMS.slice(start, start + SIZE);
      const next = start + SIZE < ITEMS.length ? `c${start + SIZE}` : null;
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ data, total: ITEMS.length, next }));
    })();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

const STRATEGIES: Array<[string, string, () => Paginator]> = [
  ['page', 'page', () => pageNumber({ param: 'page', start: 1, totalItemsPath: 'total', pageSizeParam: 'size', pageSize: SIZE })],
  ['offset', 'offset', () => offset({ limit: SIZE, totalPath: 'total' })],
  ['cursor', 'cursor', () => cursor({ cursorPath: 'next', param: 'cursor' })],
];
const PLACES: Array<[string, (param: string) => TokenPlace]> = [
  ['query', () => ({ in: 'query' })],
  ['body', (param) => ({ in: 'body', path: `paging.${param}` })],
  ['header', (param) => ({ in: 'header', name: `X-${param}` })],
  ['path', (param) => ({ in: 'path', template: `/items/at/{${param}}` })],
];

describe('placeTokens: each strategy with its token in each place', () => {
  for (const [kind, param, make] of STRATEGIES) {
    for (const [where, place] of PLACES) {
      it(`${kind} in the ${where}`, async () => {
        const log = new Logger('tap-test', { redactor: new Redactor(), out: { write: () => true, isTTY: false } as unknown as NodeJS.WriteStream, level: 'error' });
        const client = new HttpClient({ baseUrl: base, auth: noAuth, userAgent: 't', timeoutSeconds: 5 }, log);
        seen.length = 0;
        try {
          const first = client.request(`/items${where === 'path' ? '/at/first' : ''}`, { method: where === 'body' ? 'POST' : 'GET', params: { kind }, ...(where === 'body' ? { json: { query: 'x' } } : {}) });
          const paginator = placeTokens(make(), { [param]: place(param) });
          const ids: number[] = [];
          for await (const page of retrieve({ transport: client, first, paginator, selector: 'data', origin: { stream: kind, endpoint: '/items' } })) ids.push(...page.records.map((r) => Number(r.id)));
          expect(ids).toEqual(ITEMS.map((i) => i.id));
          // Every token the server saw was where it was placed (the cursor's first request has none).
          expect(seen.length).toBeGreaterThanOrEqual(2);
          expect(new Set(seen)).toEqual(new Set([where]));
        } finally {
          client.close();
        }
      });
    }
  }
});
