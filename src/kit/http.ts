import { createHash } from 'node:crypto';
import { Agent as HttpAgent } from 'node:http';
import { Agent as HttpsAgent } from 'node:https';
import got, { HTTPError, RequestError, type Got, type OptionsInit, type Response } from 'got';
import { HttpError, UserError } from './errors.js';
import { isJsonObject, getPath, type JsonObject } from './json.js';
import type { Logger } from './log.js';
import { parseJson } from './jsontext.js';
import type { Authenticator, RequestSpec } from './auth.js';
import type { Page, Paginator } from './paginators.js';
import { describeRule, matchingRules, type ResponseRule } from './response-rules.js';

export interface HttpClientOptions {
  baseUrl: string;
  auth: Authenticator;
  userAgent: string;
  /** Seconds before one request attempt is abandoned. */
  timeoutSeconds: number;
  /** Retries after the first attempt, for 429, 5xx, timeouts and resets. */
  maxRetries?: number;
  /** Seconds of the first backoff; doubles each retry, with jitter. */
  backoffSeconds?: number;
  /** Longest wait the kit accepts from a `Retry-After`/rate-limit reset header, in seconds. */
  maxRetryAfterSeconds?: number;
  headers?: Record<string, string>;
}

/** Where a request is made from, for METRIC tags and error messages. */
export interface RequestOrigin {
  stream: string;
  endpoint: string;
}

export type RecordSelector = string | ((body: unknown) => unknown);

const RETRY_STATUS = [408, 429, 500, 502, 503, 504, 520, 521, 522, 523, 524];
/** A 2xx whose body is not complete JSON (cut short, or a proxy's HTML page): retried like a reset. */
const BAD_BODY = 'ERR_INCOMPLETE_BODY';
const NETWORK_CODES = [BAD_BODY, 'ETIMEDOUT', 'ECONNRESET', 'EADDRINUSE', 'ECONNREFUSED', 'EPIPE', 'ENOTFOUND', 'ENETUNREACH', 'EAI_AGAIN', 'ESOCKETTIMEDOUT', 'ECONNABORTED'];

function header(headers: Record<string, string | string[] | undefined>, name: string): string | undefined {
  const v = headers[name];
  return Array.isArray(v) ? v[0] : v;
}

/**
 * Seconds to wait according to `Retry-After` (seconds or HTTP date) or, for a rate-limit answer (429,
 * or a 403 saying the quota is spent), `X-RateLimit-Reset` (epoch or delta). An empty header is no hint.
 */
export function serverDelaySeconds(headers: Record<string, string | string[] | undefined>, now = Date.now(), status?: number): number | undefined {
  const retryAfter = header(headers, 'retry-after')?.trim();
  if (retryAfter) {
    const secs = Number(retryAfter);
    if (Number.isFinite(secs)) return Math.max(0, secs);
    const at = Date.parse(retryAfter);
    if (Number.isFinite(at)) return Math.max(0, (at - now) / 1000);
  }
  // A reset time says when the quota refills: no reason to sleep that long on a 502.
  if (status !== undefined && !isRateLimited(status, headers)) return undefined;
  const reset = Number(header(headers, 'x-ratelimit-reset') ?? header(headers, 'ratelimit-reset') ?? NaN);
  if (Number.isFinite(reset) && reset > 0) return reset > 1e9 ? Math.max(0, reset - now / 1000) : reset;
  return undefined;
}

/** A 429, or a 403 that says the rate-limit quota is spent (GitHub-style `X-RateLimit-Remaining: 0`). */
function isRateLimited(status: number, headers: Record<string, string | string[] | undefined>): boolean {
  if (status === 429) return true;
  const remaining = header(headers, 'x-ratelimit-remaining') ?? header(headers, 'ratelimit-remaining');
  return status === 403 && remaining?.trim() === '0';
}

/**
 * The server's own words from an error body: JSON `error`/`message`/`errors[0]`, or text without HTML.
 * A symbolic `code` next to the message (`{"code":"INVALID_TOKEN","message":...}`) leads it.
 */
export function serverMessage(body: unknown): string {
  const text = Buffer.isBuffer(body) ? body.toString('utf8') : typeof body === 'string' ? body : JSON.stringify(body ?? '');
  try {
    const parsed: unknown = JSON.parse(text);
    if (isJsonObject(parsed)) {
      const code = typeof parsed.code === 'string' && /^[A-Za-z][\w.-]*$/.test(parsed.code) ? parsed.code : undefined;
      const lead = (m: string) => (code && !m.includes(code) ? `${code}: ${m}` : m).slice(0, 300);
      const err = Array.isArray(parsed.errors) ? parsed.errors[0] : undefined;
      const candidates = [parsed.error, parsed.message, parsed.detail, parsed.errors,
        isJsonObject(err) ? err.detail ?? err.title ?? err.message : err];
      for (const c of candidates) {
        if (typeof c === 'string' && c) return lead(c);
        if (isJsonObject(c) && typeof c.message === 'string') return lead(c.message);
      }
      if (code) return code;
    }
  } catch {
    // not JSON: fall through to text
  }
  const title = /<title>([^<]*)<\/title>/i.exec(text)?.[1];
  const para = /<p>([\s\S]*?)<\/p>/i.exec(text)?.[1];
  const plain = (para ? `${title ?? ''} ${para}` : text).replace(/<[^>]+>/g, ' ').replace(/\s+/g, ' ').trim();
  return plain.slice(0, 300);
}

/** Lists a page's records from its body via a dotted path or a function. */
export function selectRecords(body: unknown, selector: RecordSelector | undefined, where: string): JsonObject[] {
  const value = typeof selector === 'function' ? selector(body) : selector === undefined ? body : getPath(body, selector);
  if (value === undefined || value === null) return [];
  const list = Array.isArray(value) ? value : [value];
  for (const item of list) {
    if (!isJsonObject(item)) throw new UserError(`${where}: expected records (objects) at '${String(selector ?? '$')}', got ${JSON.stringify(item).slice(0, 80)}`);
  }
  return list as JsonObject[];
}

/**
 * The HTTP layer: one keep-alive got instance per tap run, with retries (exponential backoff with
 * jitter, `Retry-After`), timeouts, auth, pagination through got's paginate, METRIC lines, and
 * errors that name method, URL (redacted), status and the server's message.
 */
export class HttpClient {
  private readonly got: Got;
  private readonly agents = { http: new HttpAgent({ keepAlive: true, maxSockets: 16 }), https: new HttpsAgent({ keepAlive: true, maxSockets: 16 }) };
  readonly requestCounts = new Map<string, number>();
  /** Bodies parsed in the afterResponse hook (where a bad one can still be retried). */
  private readonly parsed = new WeakMap<object, unknown>();
  /** Retries scheduled so far (every stream), for the run's summary line. */
  retries = 0;
  /** Aborts every request in flight (a SIGINT/SIGTERM should not wait out timeouts and retries). */
  private readonly aborter = new AbortController();

  constructor(readonly options: HttpClientOptions, private readonly log: Logger) {
    const backoff = options.backoffSeconds ?? 1;
    const maxWait = options.maxRetryAfterSeconds ?? 600;
    this.got = got.extend({
      agent: this.agents,
      signal: this.aborter.signal,
      timeout: { request: Math.round(options.timeoutSeconds * 1000) },
      headers: { 'user-agent': options.userAgent, accept: 'application/json', ...options.headers },
      responseType: 'text',
      retry: {
        limit: options.maxRetries ?? 5,
        methods: ['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'HEAD', 'OPTIONS'],
        statusCodes: RETRY_STATUS,
        errorCodes: NETWORK_CODES,
        // The kit caps server-asked waits itself (and says so): got would silently not retry at all.
        maxRetryAfter: Number.POSITIVE_INFINITY,
        calculateDelay: ({ attemptCount, error, computedValue }) => {
          const status = error.response?.statusCode;
          const limit = options.maxRetries ?? 5;
          const spentQuota = status === 403 && isRateLimited(403, error.response?.headers ?? {}) && attemptCount <= limit;
          if (computedValue === 0 && !spentQuota) return 0;
          const fromServer = error.response ? serverDelaySeconds(error.response.headers, Date.now(), status) : undefined;
          // A 429 with no hint of when to come back: back off from 4 s, so five retries span over a minute.
          const base = status === 429 || spentQuota ? backoff * 4 : backoff;
          const exp = Math.min(60, base * 2 ** (attemptCount - 1));
          const seconds = fromServer !== undefined ? Math.min(fromServer, maxWait) : exp / 2 + (Math.random() * exp) / 2;
          const origin = error.options.context as Partial<RequestOrigin> | undefined;
          const why = error.code === BAD_BODY ? error.message
            : status !== undefined && status < 400 ? `truncated response (${error.code ?? 'cut short'})`
              : status !== undefined ? `HTTP ${status}` : (error.code ?? error.message);
          const hint = fromServer === undefined ? '' : fromServer > maxWait
            ? ` (the server asked for ${Math.round(fromServer)}s; capped at ${maxWait}s)` : ' (as the server asked)';
          this.retries++;
          this.log.warn(`${origin?.stream ? `stream '${origin.stream}': ` : ''}${error.options.method} ${this.log.redactor.url(String(error.options.url))} ${why}; retry ${attemptCount}/${limit} in ${seconds.toFixed(1)}s${hint}`);
          // got treats a delay of 0 as "do not retry": `Retry-After: 0` (or a past date) means retry now.
          return Math.max(1, seconds * 1000);
        },
      },
      hooks: {
        // Credentials fetched at run time (OAuth2): set before every attempt, renewed once after a 401.
        beforeRequest: [async (request) => {
          const auth = this.authOf(request.context);
          if (auth.refresh) request.headers = { ...request.headers, ...(await this.credentials(auth, false)) };
        }],
        afterResponse: [
          (response) => {
            this.metric(response);
            if (response.statusCode >= 200 && response.statusCode < 300) this.parsed.set(response, this.parseBody(response as Response<string>));
            return response;
          },
          async (response: Response, retryWithMergedOptions: (o: OptionsInit) => never) => {
            const context = response.request.options.context as { authRenewed?: boolean };
            const auth = this.authOf(context);
            if (response.statusCode !== 401 || !auth.refresh || context.authRenewed) return response;
            this.log.info('HTTP 401: renewing the access token and retrying once');
            return retryWithMergedOptions({ headers: await this.credentials(auth, true), context: { authRenewed: true } });
          },
        ],
      },
    });
  }

  /** The authenticator of a request: its stream's own (in the request context), else the client's. */
  private authOf(context: unknown): Authenticator {
    return (context as { auth?: Authenticator } | undefined)?.auth ?? this.options.auth;
  }

  /** Headers from an authenticator that fetches its credentials (the token is registered as a secret first). */
  private async credentials(auth: Authenticator, force: boolean): Promise<Record<string, string>> {
    const refresh = auth.refresh;
    if (!refresh) return {};
    const { headers, secrets } = await refresh(force);
    for (const secret of secrets) this.log.redactor.add(secret);
    return headers;
  }

  private metric(response: Response): void {
    const origin = response.request.options.context as Partial<RequestOrigin> | undefined;
    const stream = origin?.stream ?? '';
    this.requestCounts.set(stream, (this.requestCounts.get(stream) ?? 0) + 1);
    if (this.log.enabled('debug')) {
      this.log.debug(`${stream ? `stream '${stream}': ` : ''}${response.request.options.method} ${this.log.redactor.url(response.url)} -> HTTP ${response.statusCode} in ${response.timings.phases.total ?? '?'} ms`);
    }
    if (!this.log.enabled('info')) return;
    const ok = response.statusCode < 400;
    this.log.metric('timer', 'http_request_duration', (response.timings.phases.total ?? 0) / 1000, {
      stream, endpoint: origin?.endpoint ?? '', http_status_code: response.statusCode, status: ok ? 'succeeded' : 'failed',
    });
  }

  /** A request for a path (or absolute URL) relative to the base URL, with auth applied. */
  request(path: string, init: { method?: RequestSpec['method']; params?: Record<string, string | number | boolean | undefined>; json?: unknown; headers?: Record<string, string> } = {}): RequestSpec {
    const base = this.options.baseUrl.replace(/\/+$/, '');
    let url: URL;
    try {
      url = /^https?:\/\//.test(path) ? new URL(path) : new URL(base + (path.startsWith('/') ? path : `/${path}`));
    } catch {
      throw new UserError(`cannot build a URL from base_url '${this.options.baseUrl}' and path '${path}'`);
    }
    for (const [k, v] of Object.entries(init.params ?? {})) if (v !== undefined) url.searchParams.set(k, String(v));
    const spec: RequestSpec = { method: init.method ?? 'GET', url, headers: { ...init.headers } };
    if (init.json !== undefined) spec.json = init.json;
    return spec;
  }

  private toError(error: unknown, spec: RequestSpec): Error {
    const url = this.log.redactor.url(spec.url);
    if (error instanceof HTTPError) {
      const status = error.response.statusCode;
      const hint = status === 401 || status === 403 ? ' (check the credentials in the config)' : '';
      return new HttpError(spec.method, this.log.redactor.url(error.response.url || spec.url), status,
        this.log.redactor.redact(serverMessage(error.response.body)) + hint);
    }
    if (error instanceof RequestError && error.code === BAD_BODY) {
      const response = error.response;
      const shown = response && !/^truncated/.test(error.message) ? `: ${this.log.redactor.redact(serverMessage(response.body).slice(0, 120))}` : '';
      return new HttpError(spec.method, url, response?.statusCode, `${error.message}${shown}`);
    }
    if (error instanceof RequestError && error.cause instanceof UserError) return error.cause;
    if (error instanceof RequestError) {
      return new HttpError(spec.method, url, undefined, this.log.redactor.redact(`${error.code ?? ''} ${error.message}`.trim()));
    }
    return error instanceof Error ? error : new Error(String(error));
  }

  /** A 2xx body as JSON; one that is not complete JSON throws a retryable error (got retries it). */
  private parseBody(response: Response<string>): unknown {
    const body = response.body;
    if (body === '') return null;
    try {
      return parseJson(body);
    } catch (error) {
      if (error instanceof RangeError) throw new UserError(`${response.request.options.method} ${this.log.redactor.url(response.url)}: response nested too deeply to read`);
      const looksJson = /^\s*[[{]/.test(body);
      const problem = new Error(looksJson ? `truncated response (${body.length} characters, not complete JSON)` : 'response is not JSON');
      (problem as NodeJS.ErrnoException).code = BAD_BODY;
      throw problem;
    }
  }

  private parse(response: Response<string>): unknown {
    return this.parsed.has(response) ? this.parsed.get(response) : this.parseBody(response);
  }

  /** One request (no pagination), parsed as JSON: for taps' own calls outside a stream's pages. */
  async json(spec: RequestSpec, origin: RequestOrigin): Promise<{ body: unknown; response: Response<string> }> {
    this.options.auth.apply(spec);
    try {
      const response = await this.got(spec.url, { method: spec.method, headers: spec.headers, json: spec.json, context: { ...origin } });
      return { body: this.parse(response), response };
    } catch (error) {
      throw this.toError(error, spec);
    }
  }

  /**
   * Every page of a paginated resource, one at a time, through got's paginate. The next request
   * comes from the paginator; a request seen before is a pagination loop and stops the run.
   * `auth` replaces the client's credentials for this resource (an endpoint with its own key or scheme).
   */
  async *pages(first: RequestSpec, paginator: Paginator, selector: RecordSelector | undefined, origin: RequestOrigin, auth: Authenticator = this.options.auth, rules?: readonly ResponseRule[], signal?: AbortSignal): AsyncGenerator<Page> {
    const ownAuth = auth !== this.options.auth;
    paginator.first?.(first);
    auth.apply(first);
    let current = first;
    const seen = new Set<string>([requestKey(first)]);
    /**
     * Digests of the pages read: a page answered with the very bytes of one already read (a loop back to
     * page 1 under another URL, a repeated page) is stopped before its records are written again.
     */
    const bodies = new Set<string>();
    const where = `stream '${origin.stream}'`;
    const paging = { log: this.log, stream: origin.stream };
    /** True when the response matched an `ignore` rule: no records from it, no further page. */
    const ignored = (status: number, text: string): boolean => {
      const matched = matchingRules(rules, status, text);
      for (const rule of matched) this.log.info(`${where}: HTTP ${status} from ${this.log.redactor.url(current.url)} matched response rule '${describeRule(rule)}'`);
      return matched.some((r) => r.action === 'ignore');
    };
    let stop = false;
    const iterator = this.got.paginate<Page, string>(first.url, {
      method: first.method,
      headers: first.headers,
      json: first.json,
      context: { ...origin, ...(ownAuth ? { auth } : {}) },
      ...(signal ? { signal: AbortSignal.any([this.aborter.signal, signal]) } : {}),
      pagination: {
        transform: (response) => {
          if (rules && ignored(response.statusCode, response.body)) {
            stop = true;
            return [{ url: response.url, status: response.statusCode, headers: response.headers, body: null, records: [] }];
          }
          const body = this.parse(response);
          const records = selectRecords(body, selector, where);
          if (records.length > 0) {
            const digest = createHash('sha1').update(response.body).digest('base64');
            if (bodies.has(digest)) {
              throw new UserError(`${where}: ${this.log.redactor.url(response.url)} answered with a page already read (a repeated page or a loop); stopping rather than skipping the page it should have been (run again; the last STATE is safe)`);
            }
            bodies.add(digest);
          }
          return [{ url: response.url, status: response.statusCode, headers: response.headers, body, records }];
        },
        paginate: ({ currentItems }) => {
          const page = currentItems[0];
          if (!page || stop) return false;
          const next = paginator.next(page, current, paging);
          if (!next) return false;
          auth.apply(next);
          const key = requestKey(next);
          if (seen.has(key)) {
            throw new UserError(`${where}: pagination loop: the ${paginator.kind} paginator asked for ${this.log.redactor.url(next.url)} again`);
          }
          seen.add(key);
          current = next;
          return { url: next.url, headers: next.headers, json: next.json };
        },
        stackAllItems: false,
        countLimit: Number.POSITIVE_INFINITY,
        requestLimit: Number.POSITIVE_INFINITY,
        backoff: 0,
      },
    });
    try {
      for await (const page of iterator) yield page;
    } catch (error) {
      if (rules && error instanceof HTTPError && ignored(error.response.statusCode, String(error.response.body ?? ''))) return;
      throw error instanceof UserError ? error : this.toError(error, current);
    }
  }

  abort(): void {
    this.aborter.abort();
  }

  close(): void {
    this.agents.http.destroy();
    this.agents.https.destroy();
  }
}

/**
 * A request in canonical form, so that the first request (`?limit=50&offset=0`) and the same page's
 * next link (`?offset=0&limit=50`) are one request to the loop check.
 */
export function requestKey(r: RequestSpec): string {
  const url = new URL(r.url);
  url.searchParams.sort();
  url.hash = '';
  return `${r.method} ${url.toString()} ${r.json === undefined ? '' : JSON.stringify(r.json)}`;
}
