/**
 * The playground HTTP server: mounts every mock from the registry on one node:http server, plus
 * admin endpoints under `/__playground/`, fault injection and an optional token-bucket rate limiter
 * (the same algorithm as fivetran-api-playground's rate_limiter.py).
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { performance } from 'node:perf_hooks';
import type { MockApi, MockOptions } from './types.js';
import { mockFactories } from './registry.js';
import { FaultInjector, respond, spoilBody, type RateFault } from './faults.js';

export type FaultStatus = 429 | 500 | 502 | 503;

/** Answer every `every`-th non-admin request with `status` instead of the real response. */
export interface FaultSpec {
  status: FaultStatus;
  every: number;
  /** `Retry-After` header value; 429 defaults to "1", 5xx send none unless given. */
  retryAfter?: string;
}

/** Token bucket: `capacity` burst, refilled at `rps` tokens per second. */
export interface RateLimitSpec {
  capacity: number;
  rps: number;
}

export interface PlaygroundOptions {
  /** 0 picks a free port. */
  port: number;
  /** Default 127.0.0.1. */
  host?: string;
  seed: number;
  token: string;
  scale: number;
  faults?: FaultSpec[];
  /** Faults by kind and rate (`--fault KIND=RATE[,PARAM]`), drawn from `faultSeed` (default: `seed`). */
  rateFaults?: RateFault[];
  faultSeed?: number;
  /** Off unless given. */
  rateLimit?: RateLimitSpec;
  /** Milliseconds every API request waits before it is answered (a slow, far-away API). */
  latencyMs?: number;
  /** Benchmarks: the Better Stack monitors list serves this many pre-rendered monitors. */
  monitors?: number;
  /** Called with one line per finished request (method, path, status, duration). */
  log?: (line: string) => void;
  /** Mock factories to mount; default: the registry's `mockFactories`. */
  factories?: ReadonlyArray<(o: MockOptions) => MockApi>;
}

export interface Playground {
  /** `http://HOST:PORT`, no trailing slash. */
  url: string;
  port: number;
  close(): Promise<void>;
  mocks: MockApi[];
}

const ADMIN_PREFIX = '/__playground/';
const MAX_LOGGED_REQUESTS = 5000;
const MAX_LOGGED_BODY = 4096;
const MAX_BODY_BYTES = 10 * 1024 * 1024;

/** One request as `GET /__playground/requests` lists it. */
export interface RequestLogEntry {
  method: string;
  path: string;
  body: string;
}

const FAULT_ERRORS: Record<FaultStatus, string> = {
  429: 'Rate limit exceeded. Try again later.',
  500: 'Internal Server Error',
  502: 'Bad Gateway',
  503: 'Service Unavailable',
};

function sendJson(
  res: ServerResponse,
  status: number,
  value: unknown,
  headers: Record<string, string> = {},
): void {
  const body = JSON.stringify(value);
  res.writeHead(status, {
    ...headers,
    'content-type': 'application/json',
    'content-length': Buffer.byteLength(body),
  });
  res.end(body);
}

/** Thread-free port of the real playground's TokenBucket. */
export class TokenBucket {
  private tokens: number;
  private last: number;

  constructor(
    private readonly capacity: number,
    private readonly rps: number,
    private readonly now: () => number = () => performance.now() / 1000,
  ) {
    this.tokens = capacity;
    this.last = now();
  }

  /** Take one token: allowed, whole tokens left, seconds until full, seconds until the next token. */
  consume(): { allowed: boolean; remaining: number; untilFull: number; untilNext: number } {
    const t = this.now();
    this.tokens = Math.min(this.capacity, this.tokens + (t - this.last) * this.rps);
    this.last = t;
    const allowed = this.tokens >= 1;
    if (allowed) this.tokens -= 1;
    const rate = this.rps;
    return {
      allowed,
      remaining: Math.max(0, Math.floor(this.tokens)),
      untilFull: rate > 0 ? Math.max(0, (this.capacity - this.tokens) / rate) : 0,
      untilNext: this.tokens >= 1 ? 0 : rate > 0 ? Math.max(0, (1 - this.tokens) / rate) : 0,
    };
  }
}

function readBody(req: IncomingMessage): Promise<string | undefined> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size <= MAX_BODY_BYTES) chunks.push(chunk);
    });
    req.on('end', () => resolve(size > MAX_BODY_BYTES ? undefined : Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

function hostForUrl(host: string): string {
  if (host === '0.0.0.0') return '127.0.0.1';
  if (host === '::') return '[::1]';
  return host.includes(':') ? `[${host}]` : host;
}

export async function startPlayground(opts: PlaygroundOptions): Promise<Playground> {
  const host = opts.host ?? '127.0.0.1';
  const mockOptions: MockOptions = { seed: opts.seed, token: opts.token, scale: opts.scale };
  if (opts.monitors !== undefined) mockOptions.monitors = opts.monitors;
  const mocks = (opts.factories ?? mockFactories).map((factory) => factory(mockOptions));
  const faults = (opts.faults ?? []).map((spec) => ({ spec, count: 0 }));
  const injector = new FaultInjector(opts.rateFaults ?? [], opts.faultSeed ?? opts.seed);
  const bucket = opts.rateLimit ? new TokenBucket(opts.rateLimit.capacity, opts.rateLimit.rps) : undefined;
  let fallbackOrigin = '';
  /** The last requests answered (method, path with query, body; never headers: they hold the secrets). */
  const requestLog: RequestLogEntry[] = [];

  function admin(req: IncomingMessage, res: ServerResponse, url: URL): void {
    const method = req.method ?? 'GET';
    const route = url.pathname.slice(ADMIN_PREFIX.length);
    const expect = route === 'mutate' ? 'POST' : route === 'stats' || route === 'health' || route === 'requests' ? 'GET' : undefined;
    if (!expect) return sendJson(res, 404, { error: 'Not Found', path: url.pathname });
    if (method !== expect && !(expect === 'GET' && method === 'HEAD')) {
      return sendJson(res, 405, { error: 'Method Not Allowed' }, { allow: expect });
    }
    if (route === 'health') return sendJson(res, 200, { status: 'ok', mocks: mocks.map((m) => m.name) });
    if (route === 'requests') return sendJson(res, 200, { requests: requestLog });
    if (route === 'stats') {
      const stats: Record<string, Record<string, number>> = {};
      for (const mock of mocks) stats[mock.name] = mock.stats();
      if (opts.rateFaults?.length) stats.faults = Object.fromEntries(injector.hits);
      return sendJson(res, 200, stats);
    }
    const raw = url.searchParams.get('count');
    const count = raw === null || raw === '' ? 1 : /^\d+$/.test(raw) ? Number(raw) : NaN;
    if (!Number.isSafeInteger(count)) {
      return sendJson(res, 400, { error: "Invalid value for 'count'. It must be a non-negative integer." });
    }
    const changed: Record<string, number> = {};
    for (const mock of mocks) changed[mock.name] = mock.mutate(count);
    sendJson(res, 200, { changed });
  }

  /** Rate limiter, then faults: true when the request was answered here. */
  function gate(res: ServerResponse): boolean {
    if (bucket && opts.rateLimit) {
      const r = bucket.consume();
      res.setHeader('x-ratelimit-limit', String(opts.rateLimit.capacity));
      res.setHeader('x-ratelimit-remaining', String(r.remaining));
      res.setHeader('x-ratelimit-reset', String(Math.ceil(r.untilFull)));
      if (!r.allowed) {
        sendJson(res, 429, { error: 'Rate limit exceeded' }, { 'retry-after': String(Math.ceil(r.untilNext)) });
        return true;
      }
    }
    let hit: FaultSpec | undefined;
    for (const f of faults) {
      f.count += 1;
      if (!hit && f.spec.every > 0 && f.count % f.spec.every === 0) hit = f.spec;
    }
    if (hit) {
      const headers: Record<string, string> = {};
      const retryAfter = hit.retryAfter ?? (hit.status === 429 ? '1' : undefined);
      if (retryAfter !== undefined) headers['retry-after'] = retryAfter;
      sendJson(res, hit.status, { error: FAULT_ERRORS[hit.status] }, headers);
      return true;
    }
    return false;
  }

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const body = await readBody(req);
    if (body === undefined) return sendJson(res, 413, { error: 'Payload Too Large' });
    const hostHeader = req.headers.host;
    const origin = hostHeader && /^[A-Za-z0-9.\-:[\]]+$/.test(hostHeader) ? `http://${hostHeader}` : fallbackOrigin;
    const target = req.url ?? '/';
    let url: URL;
    try {
      url = target.startsWith('/') ? new URL(origin + target) : new URL(target);
    } catch {
      return sendJson(res, 400, { error: 'Bad Request' });
    }
    if (url.pathname.startsWith(ADMIN_PREFIX)) return admin(req, res, url);
    requestLog.push({ method: req.method ?? 'GET', path: url.pathname + url.search, body: body.slice(0, MAX_LOGGED_BODY) });
    if (requestLog.length > MAX_LOGGED_REQUESTS) requestLog.splice(0, requestLog.length - MAX_LOGGED_REQUESTS);
    if (opts.latencyMs) await new Promise((resolve) => setTimeout(resolve, opts.latencyMs));
    if (gate(res)) return;
    for (const action of injector.decide(url)) {
      if (action.kind === 'respond') return respond(res, action);
      if (action.kind === 'reset') return void req.socket.destroy();
      if (action.kind === 'delay') await new Promise((resolve) => setTimeout(resolve, action.ms));
      if (action.kind === 'rewrite') url = action.url;
      if (action.kind === 'body') spoilBody(req, res, action.fault, url);
    }
    for (const mock of mocks) {
      if (await mock.handle({ req, res, url, origin, body })) return;
    }
    sendJson(res, 404, { error: 'Not Found', path: url.pathname });
  }

  const server = createServer((req, res) => {
    const started = performance.now();
    if (opts.log) {
      const log = opts.log;
      res.on('finish', () => {
        log(`${req.method} ${req.url} ${res.statusCode} ${(performance.now() - started).toFixed(1)}ms`);
      });
    }
    handle(req, res).catch((err: unknown) => {
      process.stderr.write(`playground: ${req.method} ${req.url} failed: ${err instanceof Error ? err.stack : String(err)}\n`);
      if (!res.headersSent) sendJson(res, 500, { error: 'Internal Server Error' });
      else res.destroy();
    });
  });
  server.keepAliveTimeout = 65_000;
  server.headersTimeout = 66_000;

  await new Promise<void>((resolve, reject) => {
    const onError = (err: Error) => reject(err);
    server.once('error', onError);
    server.listen(opts.port, host, () => {
      server.off('error', onError);
      resolve();
    });
  });

  const port = (server.address() as AddressInfo).port;
  const url = `http://${hostForUrl(host)}:${port}`;
  fallbackOrigin = url;

  let closing: Promise<void> | undefined;
  return {
    url,
    port,
    mocks,
    close() {
      closing ??= new Promise<void>((resolve, reject) => {
        server.close((err) => (err ? reject(err) : resolve()));
        server.closeIdleConnections();
        server.closeAllConnections();
      });
      return closing;
    },
  };
}
