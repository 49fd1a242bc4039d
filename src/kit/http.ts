import { Agent as HttpAgent } from 'node:http';
import { Agent as HttpsAgent } from 'node:https';
import got, { HTTPError, RequestError, type Got, type OptionsInit, type Response } from 'got';
import { HttpError, UserError } from './errors.js';
import { isJsonObject, getPath, type JsonObject } from './json.js';
import type { Logger } from './log.js';
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
const NETWORK_CODES = ['ETIMEDOUT', 'ECONNRESET', 'EADDRINUSE', 'ECONNREFUSED', 'EPIPE', 'ENOTFOUND', 'ENETUNREACH', 'EAI_AGAIN', 'ESOCKETTIMEDOUT', 'ECONNABORTED'];

function header(headers: Record<string, string | string[] | undefined>, name: string): string | undefined {
  const v = headers[name];
  return Array.isArray(v) ? v[0] : v;
}

/** Seconds to wait according to `Retry-After` (seconds or HTTP date) or `X-RateLimit-Reset` (epoch or delta). */
export function serverDelaySeconds(headers: Record<string, string | string[] | undefined>, now = Date.now()): number | undefined {
  const retryAfter = header(headers, 'retry-after');
  if (retryAfter !== undefined) {
    const secs = Number(retryAfter);
    if (Number.isFinite(secs)) return Math.max(0, secs);
    const at = Date.parse(retryAfter);
    if (Number.isFinite(at)) return Math.max(0, (at - now) / 1000);
  }
  const reset = Number(header(headers, 'x-ratelimit-reset') ?? header(headers, 'ratelimit-reset'));
  if (Number.isFinite(reset) && reset > 0) return reset > 1e9 ? Math.max(0, reset - now / 1000) : reset;
  return undefined;
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
        maxRetryAfter: maxWait * 1000,
        calculateDelay: ({ attemptCount, error, computedValue }) => {
          if (computedValue === 0) return 0;
          const fromServer = error.response ? serverDelaySeconds(error.response.headers) : undefined;
          // A 429 with no hint of when to come back: back off from 4 s, so five retries span over a minute.
          const base = error.response?.statusCode === 429 ? backoff * 4 : backoff;
          const exp = Math.min(60, base * 2 ** (attemptCount - 1));
          const seconds = fromServer !== undefined ? Math.min(fromServer, maxWait) : exp / 2 + (Math.random() * exp) / 2;
          const origin = error.options.context as Partial<RequestOrigin> | undefined;
          const why = error.response ? `HTTP ${error.response.statusCode}` : (error.code ?? error.message);
          this.retries++;
          this.log.warn(`${origin?.stream ? `stream '${origin.stream}': ` : ''}${error.options.method} ${this.log.redactor.url(String(error.options.url))} ${why}; retry ${attemptCount}/${options.maxRetries ?? 5} in ${seconds.toFixed(1)}s${fromServer !== undefined ? ' (as the server asked)' : ''}`);
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
    if (error instanceof RequestError) {
      return new HttpError(spec.method, url, undefined, this.log.redactor.redact(`${error.code ?? ''} ${error.message}`.trim()));
    }
    return error instanceof Error ? error : new Error(String(error));
  }

  private parse(response: Response<string>, spec: RequestSpec): unknown {
    const body = response.body;
    if (body === '') return null;
    try {
      return JSON.parse(body);
    } catch {
      throw new HttpError(spec.method, this.log.redactor.url(response.url), response.statusCode,
        `response is not JSON: ${this.log.redactor.redact(body.slice(0, 120))}`);
    }
  }

  /** One request (no pagination), parsed as JSON: for taps' own calls outside a stream's pages. */
  async json(spec: RequestSpec, origin: RequestOrigin): Promise<{ body: unknown; response: Response<string> }> {
    this.options.auth.apply(spec);
    try {
      const response = await this.got(spec.url, { method: spec.method, headers: spec.headers, json: spec.json, context: { ...origin } });
      return { body: this.parse(response, spec), response };
    } catch (error) {
      throw this.toError(error, spec);
    }
  }

  /**
   * Every page of a paginated resource, one at a time, through got's paginate. The next request
   * comes from the paginator; a request seen before is a pagination loop and stops the run.
   * `auth` replaces the client's credentials for this resource (an endpoint with its own key or scheme).
   */
  async *pages(first: RequestSpec, paginator: Paginator, selector: RecordSelector | undefined, origin: RequestOrigin, auth: Authenticator = this.options.auth, rules?: readonly ResponseRule[]): AsyncGenerator<Page> {
    const ownAuth = auth !== this.options.auth;
    paginator.first?.(first);
    auth.apply(first);
    let current = first;
    const seen = new Set<string>([requestKey(first)]);
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
      pagination: {
        transform: (response) => {
          if (rules && ignored(response.statusCode, response.body)) {
            stop = true;
            return [{ url: response.url, status: response.statusCode, headers: response.headers, body: null, records: [] }];
          }
          const body = this.parse(response, current);
          return [{ url: response.url, status: response.statusCode, headers: response.headers, body, records: selectRecords(body, selector, where) }];
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

function requestKey(r: RequestSpec): string {
  return `${r.method} ${r.url.toString()} ${r.json === undefined ? '' : JSON.stringify(r.json)}`;
}
