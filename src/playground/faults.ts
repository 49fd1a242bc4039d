/**
 * Fault injection for the playground: every fault a tap meets in production, by kind and rate,
 * reproducible by seed. `--fault KIND=RATE[,PARAM]` (RATE: the share of API requests hit, 0..1;
 * `every` form `STATUS:EVERY[:RETRY_AFTER]` kept). Requests are drawn in arrival order from one
 * seeded generator per fault, so the same seed, run and request order give the same faults.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { mulberry32 } from './users.js';
import { GRAPHQL_PATH, POINTS_PER_HOUR, rateLimitHeaders, rateLimitedBody } from './graphql-api.js';

export const FAULT_KINDS = {
  '429': '429 with Retry-After in seconds (PARAM, default 0)',
  '429-date': '429 with Retry-After as an HTTP date (1 s ahead)',
  '429-absent': '429 without Retry-After',
  '429-empty': '429 with an empty Retry-After',
  '500': 'HTTP 500', '502': 'HTTP 502', '503': 'HTTP 503', '504': 'HTTP 504',
  '5xx-burst': 'PARAM (default 3) requests in a row answered 500/502/503/504',
  html: '502 with an HTML error page (a proxy)',
  'reset-before': 'connection reset before any response',
  'reset-mid-body': 'connection reset half-way through the body (Content-Length says more)',
  truncated: '200 whose body is cut short, properly ended',
  slow: 'answer after PARAM ms (default 1500: slower than a 1 s timeout)',
  stall: 'headers and half the body, then nothing until the client gives up',
  loop: 'the next-page link points back to the first page',
  'empty-page': 'a page with its records emptied, pagination fields kept',
  'repeat-page': 'the previous page of the same path answered again',
  'page-cap': 'page size parameters capped at PARAM (default 7) without a word',
  'graphql-error': 'POST /graphql: 200 with a GraphQL error and no data (GitHub\'s "Something went wrong")',
  'graphql-rate-limited': 'POST /graphql: 200 with a RATE_LIMITED error, X-RateLimit-Remaining 0, reset in PARAM s (default 1)',
} as const;

export type FaultKind = keyof typeof FAULT_KINDS;

export interface RateFault {
  kind: FaultKind;
  /** Share of requests hit, 0..1 (1 = every request). */
  rate: number;
  param?: number;
}

/** `KIND=RATE[,PARAM]` → a fault, or a one-line reason it is not one. */
export function parseRateFault(raw: string): RateFault | string {
  const m = /^([a-z0-9-]+)=([0-9.]+)(?:,(\d+))?$/.exec(raw);
  if (!m) return `--fault expects KIND=RATE[,PARAM] or STATUS:EVERY[:RETRY_AFTER], got '${raw}'`;
  const kind = m[1] as FaultKind;
  if (!(kind in FAULT_KINDS)) return `--fault kind must be one of ${Object.keys(FAULT_KINDS).join(', ')}; got '${m[1]}'`;
  const rate = Number(m[2]);
  if (!(rate >= 0 && rate <= 1)) return `--fault rate must be between 0 and 1, got '${m[2]}'`;
  const fault: RateFault = { kind, rate };
  if (m[3] !== undefined) fault.param = Number(m[3]);
  return fault;
}

const GRAPHQL_FAILURE = 'Something went wrong while executing your query. This may be the result of a timeout, or it could be a GitHub bug. Please include `0000:0000:00000:00000:00000000` when reporting this issue.';
const PAGE_SIZE_PARAMS = ['per_page', 'limit', 'page_size', 'pageSize', 'size'];
const SERVER_ERRORS = [500, 502, 503, 504];

/** What the server does with one request. */
export type FaultAction =
  | { kind: 'respond'; status: number; headers: Record<string, string>; body: string; contentType: string }
  | { kind: 'reset' }
  | { kind: 'delay'; ms: number }
  | { kind: 'body'; fault: 'truncated' | 'reset-mid-body' | 'stall' | 'empty-page' | 'loop' }
  | { kind: 'rewrite'; url: URL };

export class FaultInjector {
  private readonly draws: Array<{ fault: RateFault; next: () => number }>;
  private burst = 0;
  /** The last request URL per path, for `repeat-page`. */
  private readonly lastByPath = new Map<string, URL>();
  /** The first request URL of a path (no page parameters), for `loop`. */
  readonly hits = new Map<FaultKind, number>();

  constructor(faults: readonly RateFault[], seed: number) {
    this.draws = faults.map((fault, i) => ({ fault, next: mulberry32(seed * 31 + i + 1) }));
  }

  /** Decides what happens to a request; mutates nothing but the injector's own memory. */
  decide(url: URL): FaultAction[] {
    const actions: FaultAction[] = [];
    const previous = this.lastByPath.get(url.pathname);
    this.lastByPath.set(url.pathname, new URL(url));
    if (this.burst > 0) {
      this.burst--;
      actions.push(this.status(SERVER_ERRORS[this.burst % SERVER_ERRORS.length] as number, {}));
      return actions;
    }
    for (const { fault, next } of this.draws) {
      if (fault.kind === 'page-cap') {
        const cap = fault.param ?? 7;
        const capped = new URL(url);
        let changed = false;
        for (const p of PAGE_SIZE_PARAMS) {
          const v = Number(capped.searchParams.get(p));
          if (capped.searchParams.has(p) && v > cap && next() < fault.rate) {
            capped.searchParams.set(p, String(cap));
            changed = true;
          }
        }
        if (changed) {
          this.count('page-cap');
          actions.push({ kind: 'rewrite', url: capped });
        }
        continue;
      }
      if (next() >= fault.rate) continue;
      const action = this.action(fault, url, previous);
      if (!action) continue;
      this.count(fault.kind);
      actions.push(action);
      // One response-changing fault per request.
      if (action.kind !== 'delay' && action.kind !== 'rewrite') break;
    }
    return actions;
  }

  private count(kind: FaultKind): void {
    this.hits.set(kind, (this.hits.get(kind) ?? 0) + 1);
  }

  private status(status: number, headers: Record<string, string>): FaultAction {
    return { kind: 'respond', status, headers, body: JSON.stringify({ error: `injected fault: HTTP ${status}` }), contentType: 'application/json' };
  }

  private action(fault: RateFault, url: URL, previous: URL | undefined): FaultAction | undefined {
    switch (fault.kind) {
      case '429': return this.status(429, { 'retry-after': String(fault.param ?? 0) });
      case '429-date': return this.status(429, { 'retry-after': new Date(Date.now() + 1000).toUTCString() });
      case '429-absent': return this.status(429, {});
      case '429-empty': return this.status(429, { 'retry-after': '' });
      case '500': case '502': case '503': case '504': return this.status(Number(fault.kind), {});
      case '5xx-burst':
        this.burst = Math.max(0, (fault.param ?? 3) - 1);
        return this.status(SERVER_ERRORS[0] as number, {});
      case 'html':
        return { kind: 'respond', status: 502, headers: {}, contentType: 'text/html',
          body: '<html><head><title>502 Bad Gateway</title></head><body><center><h1>502 Bad Gateway</h1></center><hr><center>nginx</center></body></html>' };
      case 'reset-before': return { kind: 'reset' };
      case 'slow': return { kind: 'delay', ms: fault.param ?? 1500 };
      case 'truncated': case 'reset-mid-body': case 'stall': case 'empty-page': case 'loop':
        return { kind: 'body', fault: fault.kind };
      case 'graphql-error':
        if (url.pathname !== GRAPHQL_PATH) return undefined;
        return { kind: 'respond', status: 200, headers: {}, contentType: 'application/json; charset=utf-8', body: JSON.stringify({ data: null, errors: [{ message: GRAPHQL_FAILURE }] }) };
      case 'graphql-rate-limited':
        if (url.pathname !== GRAPHQL_PATH) return undefined;
        return { kind: 'respond', status: 200, headers: rateLimitHeaders(POINTS_PER_HOUR, 0, Date.now() + (fault.param ?? 1) * 1000), contentType: 'application/json; charset=utf-8', body: JSON.stringify(rateLimitedBody()) };
      case 'repeat-page':
        return previous && previous.search !== url.search ? { kind: 'rewrite', url: previous } : undefined;
      default: return undefined;
    }
  }
}

/** Sends a decided response instead of the real one. */
export function respond(res: ServerResponse, action: Extract<FaultAction, { kind: 'respond' }>): void {
  res.writeHead(action.status, { ...action.headers, 'content-type': action.contentType, 'content-length': Buffer.byteLength(action.body) });
  res.end(action.body);
}

/**
 * Lets the mock write its response, then spoils the body: cut short, reset half-way, stalled, its
 * records emptied, or its next link turned back to the first page.
 */
export function spoilBody(req: IncomingMessage, res: ServerResponse, fault: Extract<FaultAction, { kind: 'body' }>['fault'], url: URL): void {
  const writeHead = res.writeHead.bind(res) as (status: number, headers?: Record<string, string | number>) => ServerResponse;
  let status = 200;
  let headers: Record<string, string | number> = {};
  res.writeHead = ((s: number, h?: Record<string, string | number>) => {
    status = s;
    headers = { ...h };
    return res;
  }) as typeof res.writeHead;
  const end = res.end.bind(res) as (chunk?: string | Buffer) => ServerResponse;
  res.end = ((chunk?: string | Buffer) => {
    const body = chunk === undefined ? '' : String(chunk);
    delete headers['content-length'];
    delete headers['Content-Length'];
    if (status !== 200) {
      writeHead(status, headers);
      return end(body);
    }
    const half = body.slice(0, Math.floor(body.length / 2));
    switch (fault) {
      case 'truncated':
        writeHead(200, headers);
        return end(half);
      case 'reset-mid-body':
        writeHead(200, { ...headers, 'content-length': Buffer.byteLength(body) });
        res.write(half);
        setTimeout(() => req.socket.destroy(), 5);
        return res;
      case 'stall':
        writeHead(200, headers);
        res.write(half);
        return res;
      case 'empty-page':
      case 'loop': {
        const changed = fault === 'empty-page' ? emptied(body) : loopedBack(body, url);
        writeHead(200, headers);
        return end(changed);
      }
    }
    return res;
  }) as typeof res.end;
}

function emptied(body: string): string {
  try {
    const value = JSON.parse(body) as unknown;
    if (typeof value !== 'object' || value === null || Array.isArray(value)) return Array.isArray(value) ? '[]' : body;
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) out[k] = Array.isArray(v) ? [] : v;
    return JSON.stringify(out);
  } catch {
    return body;
  }
}

/** Every URL-valued field of the body (top level or one object down) pointing at this path is turned back to its first page. */
function loopedBack(body: string, url: URL): string {
  try {
    const value = JSON.parse(body) as Record<string, unknown>;
    const first = new URL(url);
    for (const p of ['page', 'offset', 'scroll_param', 'cursor']) first.searchParams.delete(p);
    const back = `${first.toString()}${first.search ? '&' : '?'}page=1`;
    const rewrite = (obj: Record<string, unknown>, depth: number) => {
      for (const [k, v] of Object.entries(obj)) {
        if (typeof v === 'string' && v.includes(url.pathname) && /^https?:/.test(v)) obj[k] = back;
        else if (depth === 0 && typeof v === 'object' && v !== null && !Array.isArray(v)) rewrite(v as Record<string, unknown>, 1);
      }
    };
    rewrite(value, 0);
    return JSON.stringify(value);
  } catch {
    return body;
  }
}
