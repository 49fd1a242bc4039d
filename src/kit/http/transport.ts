import { Agent as HttpAgent } from 'node:http';
import { Agent as HttpsAgent } from 'node:https';
import { setMaxListeners } from 'node:events';
import got, { HTTPError, RequestError, type Got, type OptionsInit, type Response } from 'got';
import { HttpError, UserError } from '../core/errors.js';
import type { Logger } from '../log/log.js';
import type { Authenticator, RequestSpec } from './auth.js';
import { REVISIT, type Page, type Paginator } from '../paging/paginators.js';
import { RETRY_STATUS, NETWORK_CODES, BAD_BODY, UNREACHABLE_CODES, UNREACHABLE_RETRIES, UNREACHABLE_DELAY_SECONDS, isRateLimited, networkProblem, serverDelaySeconds, retryDelaySeconds } from './retry.js';
import { createHash } from 'node:crypto';
import { parseJson } from '../core/jsontext.js';
import { RequestBudget } from './budget.js';
import { serverMessage, selectRecords, type RecordSelector } from './response.js';
import { orderedMap } from '../run/ordered.js';
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
  /** Requests in flight at once across the tap (default 1: one at a time). */
  maxParallelRequests?: number;
  /** Request attempts per second across the tap (default: no limit but the server's headers). */
  maxRequestsPerSecond?: number;
  headers?: Record<string, string>;
}

/** Where a request is made from, for METRIC tags and error messages. */
export interface RequestOrigin {
  stream: string;
  endpoint: string;
}

/**
 * The HTTP transport: one keep-alive got instance per tap run, every request through one budget
 * (in-flight slots, rate, the server's quota, 429 pauses), retries by the retry policy, timeouts,
 * auth, METRIC lines, pages one after another or in parallel where the paginator can plan them, and
 * errors that name method, URL (redacted), status and the server's message.
 */
/** How one resource's pages are read (see `HttpClient.pages`). */
export interface PageOptions {
  /** Pages requested at once where the paginator can plan them (default 1). */
  parallel?: number;
  /** The rows of a page, as a string (their keys, in order): the first page read again must match it. */
  identify?: (page: Page) => string;
  /** Check a read of several pages one at a time too (a stream whose version is activated). */
  verifyEnd?: boolean;
  /** Set to false when the list kept changing through every read. */
  outcome?: { settled: boolean };
}

/** Reads one page (undefined: an `ignore` rule matched); `revisit`: a position read before, on purpose. */
type PageRead = (spec: RequestSpec, revisit?: boolean) => Promise<Page | undefined>;

export class HttpClient {
  private readonly got: Got;
  private readonly agents = { http: new HttpAgent({ keepAlive: true, maxSockets: 16 }), https: new HttpsAgent({ keepAlive: true, maxSockets: 16 }) };
  readonly requestCounts = new Map<string, number>();
  /** Retries scheduled so far (every stream), for the run's summary line. */
  retries = 0;
  /** Aborts every request in flight (a SIGINT/SIGTERM should not wait out timeouts and retries). */
  private readonly aborter = new AbortController();
  readonly budget: RequestBudget;
  /** Responses whose attempt was counted done in afterResponse (the others are counted in calculateDelay). */
  private readonly answered = new WeakSet<object>();
  /** Bodies parsed in the afterResponse hook (where a bad one can still be retried). */
  private readonly parsed = new WeakMap<object, unknown>();

  constructor(readonly options: HttpClientOptions, private readonly log: Logger) {
    // Every request and every budget wait listens to the one abort signal: many at once is expected.
    setMaxListeners(0, this.aborter.signal);
    const policy = { backoffSeconds: options.backoffSeconds ?? 1, maxWaitSeconds: options.maxRetryAfterSeconds ?? 600 };
    const budgetOptions: ConstructorParameters<typeof RequestBudget>[0] = {
      maxInFlight: options.maxParallelRequests ?? 1, maxWaitSeconds: policy.maxWaitSeconds, signal: this.aborter.signal,
    };
    if (options.maxRequestsPerSecond) budgetOptions.maxPerSecond = options.maxRequestsPerSecond;
    this.budget = new RequestBudget(budgetOptions);
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
          // A failed attempt is over: counted here unless its whole response reached afterResponse.
          if (!error.response || !this.answered.has(error.response)) this.budget.attemptDone();
          const status = error.response?.statusCode;
          const limit = options.maxRetries ?? 5;
          const spentQuota = status === 403 && isRateLimited(403, error.response?.headers ?? {}) && attemptCount <= limit;
          if (computedValue === 0 && !spentQuota) return 0;
          // Nothing listening there: a short, bounded retry, not the full backoff.
          const unreachable = error.response === undefined && UNREACHABLE_CODES.includes(error.code ?? '');
          if (unreachable && attemptCount > Math.min(UNREACHABLE_RETRIES, limit)) return 0;
          const fromServer = error.response ? serverDelaySeconds(error.response.headers, Date.now(), status) : undefined;
          let seconds = retryDelaySeconds(policy, attemptCount, status, fromServer, status === 429 || spentQuota);
          if (unreachable) seconds = Math.min(seconds, UNREACHABLE_DELAY_SECONDS);
          // A rate limit is the whole tap's problem: every request waits, not only this one.
          if (status === 429 || spentQuota) this.budget.pause(seconds);
          const origin = error.options.context as Partial<RequestOrigin> | undefined;
          const why = error.code === BAD_BODY ? error.message
            : status !== undefined && status < 400 ? `truncated response (${error.code ?? 'cut short'})`
              : status !== undefined ? `HTTP ${status}` : (error.code ?? error.message);
          const maxWait = policy.maxWaitSeconds;
          const hint = fromServer === undefined ? '' : fromServer > maxWait
            ? ` (the server asked for ${Math.round(fromServer)}s; capped at ${maxWait}s)` : ' (as the server asked)';
          this.retries++;
          const tries = unreachable ? Math.min(UNREACHABLE_RETRIES, limit) : limit;
          this.log.warn(`${origin?.stream ? `stream '${origin.stream}': ` : ''}${error.options.method} ${this.log.redactor.url(String(error.options.url))} ${unreachable ? networkProblem(error.code) : why}; retry ${attemptCount}/${tries} in ${seconds.toFixed(1)}s${hint}`);
          // got treats a delay of 0 as "do not retry": `Retry-After: 0` (or a past date) means retry now.
          return Math.max(1, seconds * 1000);
        },
      },
      hooks: {
        beforeRequest: [async (request) => {
          await this.budget.start();
          // Credentials fetched at run time (OAuth2): set before every attempt, renewed once after a 401.
          const auth = this.authOf(request.context);
          if (auth.refresh) request.headers = { ...request.headers, ...(await this.credentials(auth, false)) };
        }],
        afterResponse: [
          (response) => {
            this.answered.add(response);
            this.budget.attemptDone();
            this.budget.observe(response.statusCode, response.headers);
            this.metric(response);
            // Parsed here, where a body that is not complete JSON can still be retried.
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
      const plain = networkProblem(error.code);
      return new HttpError(spec.method, url, undefined, plain ?? this.log.redactor.redact(`${error.code ?? ''} ${error.message}`.trim()));
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

  private parse(response: Response<string>, _spec?: RequestSpec): unknown {
    return this.parsed.has(response) ? this.parsed.get(response) : this.parseBody(response);
  }


  /** One request with its retries, holding one slot of the budget; the body as text. */
  private async send(spec: RequestSpec, origin: RequestOrigin, auth?: Authenticator): Promise<Response<string>>;
  /** ... or undefined when the response matched an `ignore` response rule (no records, no further page). */
  private async send(spec: RequestSpec, origin: RequestOrigin, auth: Authenticator, rules: readonly ResponseRule[] | undefined, signal?: AbortSignal): Promise<Response<string> | undefined>;
  private async send(spec: RequestSpec, origin: RequestOrigin, auth: Authenticator = this.options.auth, rules?: readonly ResponseRule[], signal?: AbortSignal): Promise<Response<string> | undefined> {
    auth.apply(spec);
    const release = await this.budget.slot();
    try {
      const context = { ...origin, ...(auth !== this.options.auth ? { auth } : {}) };
      const response = await this.got(spec.url, {
        method: spec.method, headers: spec.headers, json: spec.json, context,
        ...(signal ? { signal } : {}),
      });
      return this.ignoredBy(rules, response.statusCode, response.body, spec, origin) ? undefined : response;
    } catch (error) {
      if (error instanceof HTTPError && this.ignoredBy(rules, error.response.statusCode, String(error.response.body ?? ''), spec, origin)) return undefined;
      throw this.toError(error, spec);
    } finally {
      release();
    }
  }

  /** True when a response matched an `ignore` rule; every matching rule is logged. */
  private ignoredBy(rules: readonly ResponseRule[] | undefined, status: number, text: string, spec: RequestSpec, origin: RequestOrigin): boolean {
    if (!rules) return false;
    const matched = matchingRules(rules, status, text);
    for (const rule of matched) this.log.info(`stream '${origin.stream}': HTTP ${status} from ${this.log.redactor.url(spec.url)} matched response rule '${describeRule(rule)}'`);
    return matched.some((r) => r.action === 'ignore');
  }

  /** One request with its retries, holding one slot of the budget, parsed as JSON. */
  async json(spec: RequestSpec, origin: RequestOrigin): Promise<{ body: unknown; response: Response<string> }> {
    const response = await this.send(spec, origin);
    return { body: this.parse(response, spec), response };
  }

  /** A response read as a page: parsed only when its turn comes (text waiting is a third of the objects' size). */
  private toPage(response: Response<string>, spec: RequestSpec, selector: RecordSelector | undefined, origin: RequestOrigin): Page {
    const body = this.parse(response, spec);
    return { url: response.url, status: response.statusCode, headers: response.headers, body, records: selectRecords(body, selector, `stream '${origin.stream}'`) };
  }



  /**
   * Every page of a paginated resource, in order. The next request comes from the paginator; a
   * request seen before is a pagination loop and stops the run (unless the paginator goes back on
   * purpose: the list shrank under it). With `parallel` > 1 and a paginator that can plan the
   * remaining pages from the first (a known total, a last-page link), up to `parallel` pages are
   * requested at once and still yielded in order. `auth` replaces the client's credentials for this
   * resource (an endpoint with its own key or scheme); a response matching an `ignore` rule of `rules`
   * ends the sequence, without records from it.
   *
   * A list read in several pages may change while it is read. Planned pages are read out of order, so
   * a row moving between pages could be missed: each planned page's length must match the first's,
   * and the first page, read again at the end, must hold the same rows (`identify`); otherwise the
   * list is read again, one page at a time, in order (where a row moving up to the top or down the
   * list is read twice rather than missed, and a shrinking total sends the paginator back). With
   * `verifyEnd` (a stream whose version is activated: a missed row would be deleted) a read one page
   * at a time is checked the same way. After `MAX_PASSES` reads that changed, `outcome.settled` is
   * false and the rows that moved are left to the next run.
   */
  async *pages(first: RequestSpec, paginator: Paginator, selector: RecordSelector | undefined, origin: RequestOrigin, auth: Authenticator = this.options.auth, rules?: readonly ResponseRule[], signal?: AbortSignal, options: PageOptions = {}): AsyncGenerator<Page> {
    paginator.first?.(first);
    const parallel = options.parallel ?? 1;
    const identify = options.identify;
    const MAX_PASSES = 3;
    for (let pass = 1; ; pass++) {
      const read = this.pageReader(origin, selector, auth, rules, signal);
      const head = await read(first);
      if (!head) return;
      const planned = pass === 1 && parallel > 1 ? paginator.plan?.(head, first) : undefined;
      yield head;
      let pagesRead = 1;
      let changed: string | undefined;
      if (planned) {
        const extent = paginator.extent?.(head);
        for await (const next of orderedMap(planned, (spec) => read(spec), parallel)) {
          if (!next) return;
          pagesRead++;
          const here = paginator.extent?.(next);
          if (changed === undefined && here !== extent) changed = `its length went from ${extent ?? '?'} to ${here ?? '?'}`;
          yield next;
        }
      } else {
        for await (const next of this.following(head, first, paginator, read, origin, auth)) {
          pagesRead++;
          yield next;
        }
        if (!options.verifyEnd) return;
      }
      if (pagesRead === 1) return;
      if (changed === undefined && identify) {
        const again = await read(first, true);
        if (again && identify(again) !== identify(head)) changed = 'its first page holds other rows now';
      }
      if (changed === undefined) return;
      if (pass >= MAX_PASSES) {
        if (options.outcome) options.outcome.settled = false;
        this.log.warn(`stream '${origin.stream}': the list kept changing while it was read (${changed}), ${pass} times; rows that moved meanwhile are read by the next run`);
        return;
      }
      this.log.info(`stream '${origin.stream}': the list changed while it was read (${changed}); reading it again one page at a time, in order, so that no row is missed (rows already written are sent again)`);
    }
  }

  /** The pages after `head`, one at a time, as the paginator names them; a repeated request is a loop. */
  private async *following(head: Page, first: RequestSpec, paginator: Paginator, read: PageRead, origin: RequestOrigin, auth: Authenticator): AsyncGenerator<Page> {
    const seen = new Set<string>([requestKey(first)]);
    const paging = { log: this.log, stream: origin.stream };
    let current = first;
    let page: Page | undefined = head;
    for (;;) {
      const next = paginator.next(page, current, paging);
      if (!next) return;
      auth.apply(next);
      const key = requestKey(next);
      const back = next.memo?.[REVISIT] === true;
      if (back) delete (next.memo as Record<string, unknown>)[REVISIT];
      else if (seen.has(key)) {
        throw new UserError(`stream '${origin.stream}': pagination loop: the ${paginator.kind} paginator asked for ${this.log.redactor.url(next.url)} again`);
      }
      seen.add(key);
      current = next;
      page = await read(current, back);
      if (!page) return;
      yield page;
    }
  }

  /**
   * Reads one page. Digests of the pages read: a page answered with the very bytes of one already read
   * (a loop back to page 1 under another URL, a repeated page) is stopped before its records are
   * written again, unless the request goes back on purpose (`revisit`).
   */
  private pageReader(origin: RequestOrigin, selector: RecordSelector | undefined, auth: Authenticator, rules: readonly ResponseRule[] | undefined, signal: AbortSignal | undefined): PageRead {
    const bodies = new Set<string>();
    return async (spec, revisit = false) => {
      const response = await this.send(spec, origin, auth, rules, signal);
      if (!response) return undefined;
      const page = this.toPage(response, spec, selector, origin);
      if (page.records.length === 0) return page;
      const digest = createHash('sha1').update(response.body).digest('base64');
      if (bodies.has(digest) && !revisit) {
        throw new UserError(`stream '${origin.stream}': ${this.log.redactor.url(response.url)} answered with a page already read (a repeated page or a loop); stopping rather than skipping the page it should have been (run again; the last STATE is safe)`);
      }
      bodies.add(digest);
      return page;
    };
  }

  abort(): void {
    this.aborter.abort();
  }

  /**
   * An abort signal for one stream's requests, also aborted with the whole client. One listener per
   * stream, removed by `release()` (a signal combined per request would keep every request alive).
   */
  streamSignal(): { signal: AbortSignal; abort(): void; release(): void } {
    const controller = new AbortController();
    // One listener per request in flight on this stream (many with max_parallel_requests above 10).
    setMaxListeners(0, controller.signal);
    const onAbort = () => controller.abort(this.aborter.signal.reason);
    if (this.aborter.signal.aborted) onAbort();
    else this.aborter.signal.addEventListener('abort', onAbort, { once: true });
    return {
      signal: controller.signal,
      abort: () => controller.abort(),
      release: () => this.aborter.signal.removeEventListener('abort', onAbort),
    };
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
